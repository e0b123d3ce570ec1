// Provider.status through real Connect clients: the admin API reports whatever the breaker
// reader says (scripted here), a provider without traffic is CLOSED, an admin API with no
// data plane beside it leaves status unset, and status cannot be written.
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BreakerStatusView } from "../../../src/control/provider-status.js";
import { BreakerState, ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { type AdminApiHarness, type AdminClients, errorOf, startAdminApi } from "./admin-harness.js";

const OPENED_AT = Date.parse("2030-01-02T03:04:05.678Z");

/** What the fake data plane reports, by provider id; absent = no traffic yet. */
const breakers = new Map<string, BreakerStatusView>();
const asked: string[] = [];

let h: AdminApiHarness;
let c: AdminClients;
beforeAll(async () => {
  h = await startAdminApi({
    providerStatus: (id) => {
      asked.push(id);
      return breakers.get(id);
    },
  });
  c = h.clients();
  for (const id of ["quiet", "tripped", "probing", "recovered"]) {
    await c.providers.createProvider({
      provider: { id, kind: ProviderKind.OPENAI, baseUrl: "https://api.example.com/v1" },
    });
  }
});
afterAll(() => h.close());

describe("Provider.status", () => {
  it("a provider the data plane has not used yet is CLOSED with no failures and no times", async () => {
    const { provider } = await c.providers.getProvider({ id: "quiet" });
    expect(provider?.status).toMatchObject({ breakerState: BreakerState.CLOSED, consecutiveFailures: 0 });
    expect(provider?.status?.openTime).toBeUndefined();
    expect(provider?.status?.retryTime).toBeUndefined();
    expect(asked).toContain("quiet");
  });

  it("an open breaker shows OPEN, its failures, when it opened and when it lets a probe through", async () => {
    breakers.set("tripped", {
      state: "open",
      consecutiveFailures: 5,
      openedAt: OPENED_AT,
      retryAt: OPENED_AT + 30_000,
    });
    const { provider } = await c.providers.getProvider({ id: "tripped" });
    expect(provider?.status).toMatchObject({ breakerState: BreakerState.OPEN, consecutiveFailures: 5 });
    expect(timestampMs(provider!.status!.openTime!)).toBe(OPENED_AT);
    expect(timestampMs(provider!.status!.retryTime!)).toBe(OPENED_AT + 30_000);
  });

  it("half-open and recovered breakers keep when they last opened but have no retry time", async () => {
    breakers.set("probing", {
      state: "half_open",
      consecutiveFailures: 5,
      openedAt: OPENED_AT,
      retryAt: OPENED_AT + 30_000,
    });
    breakers.set("recovered", {
      state: "closed",
      consecutiveFailures: 0,
      openedAt: OPENED_AT,
      retryAt: null,
    });
    const probing = (await c.providers.getProvider({ id: "probing" })).provider?.status;
    expect(probing?.breakerState).toBe(BreakerState.HALF_OPEN);
    expect(probing?.retryTime).toBeUndefined();
    const recovered = (await c.providers.getProvider({ id: "recovered" })).provider?.status;
    expect(recovered?.breakerState).toBe(BreakerState.CLOSED);
    expect(timestampMs(recovered!.openTime!)).toBe(OPENED_AT);
  });

  it("ListProviders shows each provider's own state", async () => {
    const { providers } = await c.providers.listProviders({});
    expect(providers.map((p) => [p.id, p.status?.breakerState, p.status?.consecutiveFailures])).toEqual([
      ["probing", BreakerState.HALF_OPEN, 5],
      ["quiet", BreakerState.CLOSED, 0],
      ["recovered", BreakerState.CLOSED, 0],
      ["tripped", BreakerState.OPEN, 5],
    ]);
  });

  it("create and update answer with the status too", async () => {
    breakers.set("fresh", { state: "open", consecutiveFailures: 9, openedAt: OPENED_AT, retryAt: OPENED_AT });
    const created = await c.providers.createProvider({
      provider: { id: "fresh", kind: ProviderKind.OPENAI, baseUrl: "https://api.example.com/v1" },
    });
    expect(created.provider?.status?.consecutiveFailures).toBe(9);
    const updated = await c.providers.updateProvider({
      provider: { id: "fresh", enabled: false },
      updateMask: { paths: ["enabled"] },
    });
    expect(updated.provider?.status?.breakerState).toBe(BreakerState.OPEN);
  });

  it("status is output only: naming it in update_mask is invalid_argument", async () => {
    const error = await errorOf(
      c.providers.updateProvider({ provider: { id: "quiet" }, updateMask: { paths: ["status"] } }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe("update_mask: status is output only");
  });
});

describe("Provider.status without a data plane", () => {
  it("is unset: there is no breaker to report", async () => {
    const alone = await startAdminApi();
    try {
      const clients = alone.clients();
      const { provider } = await clients.providers.createProvider({
        provider: { id: "alone", kind: ProviderKind.OPENAI, baseUrl: "https://api.example.com/v1" },
      });
      expect(provider?.status).toBeUndefined();
      expect((await clients.providers.getProvider({ id: "alone" })).provider?.status).toBeUndefined();
    } finally {
      await alone.close();
    }
  });
});
