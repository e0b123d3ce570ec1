// Duration fields of the admin API, over Connect JSON (raw fetch, as curl would send them)
// and the binary protocol (the generated client): every malformed duration is refused
// with invalid_argument naming the field, and health_check_interval has a 10 s floor.
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { type AdminClients, type AdminHarness, errorOf, startAdmin } from "./admin-harness.js";

let h: AdminHarness;
let c: AdminClients;
let n = 0;
beforeAll(async () => {
  h = await startAdmin();
  c = h.clients();
});
afterAll(() => h.close());

const nextId = () => `d-${++n}`;

async function post(path: string, body: unknown) {
  const res = await fetch(`${h.adminUrl}/parley.admin.v1.${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { code?: string; message?: string; provider?: any },
  };
}

const createJson = (provider: Record<string, unknown>) =>
  post("ProviderService/CreateProvider", {
    provider: { id: nextId(), kind: "PROVIDER_KIND_OPENAI", baseUrl: "https://d.example/v1", ...provider },
  });

describe("malformed durations over Connect JSON", () => {
  it.each([
    ["ten decimals", { healthCheckInterval: "0.0000000001s" }, "provider.health_check_interval"],
    ["no unit", { healthCheckInterval: "30" }, "provider.health_check_interval"],
    ["trailing text", { healthCheckInterval: "30sec" }, "provider.health_check_interval"],
    ["exponent", { healthCheckInterval: "1e3s" }, "provider.health_check_interval"],
    ["a number", { healthCheckInterval: 30 }, "provider.health_check_interval"],
    ["an object", { healthCheckInterval: { seconds: 30 } }, "provider.health_check_interval"],
    ["beyond 10,000 years", { healthCheckInterval: "315576000001s" }, "provider.health_check_interval"],
    ["a nested timeout", { timeouts: { connect: "0.0000000001s" } }, "provider.timeouts.connect"],
    ["the breaker", { circuitBreaker: { openDuration: "soon" } }, "provider.circuit_breaker.open_duration"],
  ])("%s is invalid_argument naming the field", async (_case, provider, field) => {
    const { status, body } = await createJson(provider);
    expect(status).toBe(400);
    expect(body.code).toBe("invalid_argument");
    expect(body.message).toMatch(new RegExp(`^${field.replace(/\./g, "\\.")}: `));
    expect(body.message).toContain('e.g. "30s"');
    expect(body.message).not.toContain("Invalid count value");
  });

  it("a health-check job's timeout is named the same way", async () => {
    const { body } = await post("HealthCheckService/CreateHealthCheckJob", {
      job: { providerId: "any", timeout: "0.0000000001s" },
    });
    expect(body.code).toBe("invalid_argument");
    expect(body.message).toMatch(/^job\.timeout: "0\.0000000001s" is not a duration/);
  });

  it("other fields that fail to decode are named too", async () => {
    const kind = await createJson({ kind: "PROVIDER_KIND_GOPHER" });
    expect(kind.body.code).toBe("invalid_argument");
    expect(kind.body.message).toMatch(/^provider\.kind: /);
    const unknown = await createJson({ baseURL: "https://d.example/v1" });
    expect(unknown.body.message).toMatch(/^provider: .*baseURL/);
  });

  it("well-formed durations still decode", async () => {
    const { status, body } = await createJson({
      healthCheckInterval: "10s",
      timeouts: { connect: "2.5s", total: "0.250s" },
    });
    expect(status).toBe(200);
    expect(body.provider).toMatchObject({ healthCheckInterval: "10s", timeouts: { connect: "2.500s" } });
  });
});

describe("health_check_interval", () => {
  it.each([
    ["0.001s", "got 0.001s"],
    ["9.999s", "got 9.999s"],
    ["-1s", "got -1s"],
  ])("%s is refused: at least 10s, and the message says so", async (interval, got) => {
    const { body } = await createJson({ healthCheckInterval: interval });
    expect(body.code).toBe("invalid_argument");
    expect(body.message).toBe(
      `provider.health_check_interval: must be at least 10s (0 turns it off), ${got}`,
    );
  });

  it("10 s is accepted, and 0 means never (returned unset)", async () => {
    expect((await createJson({ healthCheckInterval: "10s" })).status).toBe(200);
    const never = await createJson({ healthCheckInterval: "0s" });
    expect(never.status).toBe(200);
    expect(never.body.provider.healthCheckInterval).toBeUndefined();
  });

  it("an update is held to the same floor", async () => {
    await c.providers.createProvider({
      provider: { id: "floor-upd", kind: ProviderKind.OPENAI, baseUrl: "https://d.example/v1" },
    });
    const error = await errorOf(
      c.providers.updateProvider({
        provider: { id: "floor-upd", healthCheckInterval: durationFromMs(1) },
        updateMask: { paths: ["health_check_interval"] },
      }),
    );
    expect(error).toEqual({
      code: Code.InvalidArgument,
      message: "provider.health_check_interval: must be at least 10s (0 turns it off), got 0.001s",
    });
  });
});

describe("malformed durations over the binary protocol", () => {
  const provider = (healthCheckInterval: { seconds: bigint; nanos: number }) => ({
    id: nextId(),
    kind: ProviderKind.OPENAI,
    baseUrl: "https://d.example/v1",
    healthCheckInterval,
  });

  it.each([
    ["nanos out of range", { seconds: 20n, nanos: 2_000_000_000 }, /is not a valid duration/],
    ["mixed signs", { seconds: 20n, nanos: -5 }, /is not a valid duration/],
    ["below the floor", { seconds: 0n, nanos: 1_000_000 }, /must be at least 10s/],
    ["negative", { seconds: -30n, nanos: 0 }, /must be at least 10s/],
    ["beyond the maximum", { seconds: 2n ** 62n, nanos: 0 }, /must be at most/],
  ])("%s is invalid_argument naming the field", async (_case, interval, reason) => {
    const error = await errorOf(c.providers.createProvider({ provider: provider(interval) }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toMatch(/^provider\.health_check_interval: /);
    expect(error.message).toMatch(reason);
  });
});
