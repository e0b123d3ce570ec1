// Provider.limits through a real Connect client: unset by default, round-tripped through
// create, get and list, changed one leaf at a time with update_mask, cleared by naming a
// leaf without a value or by an update with no mask, and out-of-range values refused with
// the field named.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Provider,
  ProviderKind,
  type ProviderSchema,
} from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { type AdminClients, type AdminHarness, errorOf, startAdmin } from "./admin-harness.js";

type ProviderInit = MessageInitShape<typeof ProviderSchema>;

let h: AdminHarness;
let c: AdminClients;
beforeAll(async () => {
  h = await startAdmin();
  c = h.clients();
});
afterAll(() => h.close());

const openai = (id: string, extra: ProviderInit = {}): ProviderInit => ({
  id,
  kind: ProviderKind.OPENAI,
  baseUrl: "https://llm.internal/v1",
  ...extra,
});

const limitsOf = (p: Provider | undefined) => [p?.limits?.maxBodyBytes, p?.limits?.maxMessages];
const stored = async (id: string) => limitsOf((await c.providers.getProvider({ id })).provider);

describe("Provider.limits", () => {
  it("is unset when a provider is created without it", async () => {
    const { provider } = await c.providers.createProvider({ provider: openai("l-default") });
    expect(provider?.limits).toBeUndefined();
    expect(await stored("l-default")).toEqual([undefined, undefined]);
  });

  it("round-trips through create, get and list", async () => {
    const { provider } = await c.providers.createProvider({
      provider: openai("l-set", { limits: { maxBodyBytes: 4096, maxMessages: 10 } }),
    });
    expect(limitsOf(provider)).toEqual([4096, 10]);
    expect(await stored("l-set")).toEqual([4096, 10]);
    const listed = (await c.providers.listProviders({})).providers.find((p) => p.id === "l-set");
    expect(limitsOf(listed)).toEqual([4096, 10]);
  });

  it("takes the bounds themselves: 1 KiB to 1 GiB, 1 to 10,000,000 messages", async () => {
    await c.providers.createProvider({
      provider: openai("l-low", { limits: { maxBodyBytes: 1024, maxMessages: 1 } }),
    });
    await c.providers.createProvider({
      provider: openai("l-high", { limits: { maxBodyBytes: 1024 ** 3, maxMessages: 10_000_000 } }),
    });
    expect(await stored("l-low")).toEqual([1024, 1]);
    expect(await stored("l-high")).toEqual([1024 ** 3, 10_000_000]);
  });

  it("update_mask changes one leaf and keeps the other; a leaf named without a value is cleared", async () => {
    await c.providers.createProvider({
      provider: openai("l-mask", { limits: { maxBodyBytes: 8192, maxMessages: 10 } }),
    });
    await c.providers.updateProvider({
      provider: { id: "l-mask", limits: { maxBodyBytes: 1, maxMessages: 20 } },
      updateMask: { paths: ["limits.max_messages"] },
    });
    expect(await stored("l-mask")).toEqual([8192, 20]);
    await c.providers.updateProvider({
      provider: { id: "l-mask" },
      updateMask: { paths: ["limits.max_body_bytes"] },
    });
    expect(await stored("l-mask")).toEqual([undefined, 20]);
    // "limits" names both leaves.
    await c.providers.updateProvider({
      provider: { id: "l-mask", limits: { maxBodyBytes: 2048 } },
      updateMask: { paths: ["limits"] },
    });
    expect(await stored("l-mask")).toEqual([2048, undefined]);
  });

  it("an update with no mask sets every writable field, so limits it leaves out are cleared", async () => {
    await c.providers.createProvider({
      provider: openai("l-full", { limits: { maxBodyBytes: 8192, maxMessages: 10 } }),
    });
    await c.providers.updateProvider({ provider: openai("l-full", { limits: { maxMessages: 5 } }) });
    expect(await stored("l-full")).toEqual([undefined, 5]);
  });

  it.each<[string, { maxBodyBytes?: number; maxMessages?: number }, string]>([
    ["a body limit under 1 KiB", { maxBodyBytes: 1023 }, "provider.limits.max_body_bytes"],
    ["a body limit over 1 GiB", { maxBodyBytes: 1024 ** 3 + 1 }, "provider.limits.max_body_bytes"],
    ["zero messages", { maxMessages: 0 }, "provider.limits.max_messages"],
    ["over ten million messages", { maxMessages: 10_000_001 }, "provider.limits.max_messages"],
  ])("refuses %s, naming the field", async (_name, limits, field) => {
    // Each case is refused, so they can share one id.
    const error = await errorOf(c.providers.createProvider({ provider: openai("l-bad", { limits }) }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toContain(`${field}: must be between`);
  });

  it("refuses an out-of-range value on update too, leaving the stored one", async () => {
    await c.providers.createProvider({ provider: openai("l-keep", { limits: { maxMessages: 10 } }) });
    const error = await errorOf(
      c.providers.updateProvider({
        provider: { id: "l-keep", limits: { maxMessages: 0 } },
        updateMask: { paths: ["limits.max_messages"] },
      }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toContain("provider.limits.max_messages");
    expect(await stored("l-keep")).toEqual([undefined, 10]);
  });
});
