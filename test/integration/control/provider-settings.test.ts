// demote_nonstreaming and responses_api through a real Connect client: unset by default,
// round-tripped through create, get and update (with and without update_mask), cleared by
// naming them in the mask, and responses_api refused on Anthropic providers however it
// would get there.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderKind, type ProviderSchema } from "../../../src/gen/parley/admin/v1/provider_pb.js";
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
  baseUrl: "https://api.openai.com/v1",
  ...extra,
});
const anthropic = (id: string, extra: ProviderInit = {}): ProviderInit => ({
  id,
  kind: ProviderKind.ANTHROPIC,
  baseUrl: "https://api.anthropic.com",
  ...extra,
});

const settings = (p: { demoteNonstreaming?: boolean; responsesApi?: boolean } | undefined) => [
  p?.demoteNonstreaming,
  p?.responsesApi,
];

describe("demote_nonstreaming and responses_api", () => {
  it("are unset (the defaults) when a provider is created without them", async () => {
    const { provider } = await c.providers.createProvider({ provider: openai("s-default") });
    expect(settings(provider)).toEqual([undefined, undefined]);
    expect(settings((await c.providers.getProvider({ id: "s-default" })).provider)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it("round-trip through create and get, false as well as true", async () => {
    const { provider } = await c.providers.createProvider({
      provider: openai("s-set", { demoteNonstreaming: true, responsesApi: false }),
    });
    expect(settings(provider)).toEqual([true, false]);
    expect(settings((await c.providers.getProvider({ id: "s-set" })).provider)).toEqual([true, false]);
    const listed = (await c.providers.listProviders({})).providers.find((p) => p.id === "s-set");
    expect(settings(listed)).toEqual([true, false]);
  });

  it("update_mask changes one and keeps the other; naming one without a value clears it", async () => {
    await c.providers.createProvider({
      provider: openai("s-mask", { demoteNonstreaming: false, responsesApi: true }),
    });
    const flipped = await c.providers.updateProvider({
      provider: { id: "s-mask", demoteNonstreaming: true, responsesApi: false },
      updateMask: { paths: ["demote_nonstreaming"] },
    });
    expect(settings(flipped.provider)).toEqual([true, true]);
    const cleared = await c.providers.updateProvider({
      provider: { id: "s-mask" },
      updateMask: { paths: ["responsesApi"] },
    });
    expect(settings(cleared.provider)).toEqual([true, undefined]);
    expect(settings((await c.providers.getProvider({ id: "s-mask" })).provider)).toEqual([true, undefined]);
  });

  it("an empty update_mask replaces both, unset included", async () => {
    await c.providers.createProvider({
      provider: openai("s-full", { demoteNonstreaming: true, responsesApi: true }),
    });
    const { provider } = await c.providers.updateProvider({
      provider: openai("s-full", { responsesApi: false }),
    });
    expect(settings(provider)).toEqual([undefined, false]);
  });

  it("demote_nonstreaming is accepted on Anthropic providers", async () => {
    const { provider } = await c.providers.createProvider({
      provider: anthropic("s-anthropic", { demoteNonstreaming: true }),
    });
    expect(settings(provider)).toEqual([true, undefined]);
  });

  it.each([
    [
      "create with it set",
      () => c.providers.createProvider({ provider: anthropic("s-r1", { responsesApi: true }) }),
    ],
    [
      "create with it set to false",
      () => c.providers.createProvider({ provider: anthropic("s-r2", { responsesApi: false }) }),
    ],
    [
      "an update setting it",
      () =>
        c.providers.updateProvider({
          provider: { id: "s-anthropic", responsesApi: true },
          updateMask: { paths: ["responses_api"] },
        }),
    ],
  ])(
    "responses_api on an Anthropic provider is invalid_argument naming the field: %s",
    async (_name, call) => {
      const error = await errorOf(call());
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.message).toMatch(
        /^provider\.responses_api: applies only to PROVIDER_KIND_OPENAI providers/,
      );
    },
  );

  it("nothing is stored when it is refused", async () => {
    expect((await errorOf(c.providers.getProvider({ id: "s-r1" }))).code).toBe(Code.NotFound);
    expect(settings((await c.providers.getProvider({ id: "s-anthropic" })).provider)).toEqual([
      true,
      undefined,
    ]);
  });

  it("changing the kind to Anthropic is refused while responses_api is stored, and works once it is cleared", async () => {
    await c.providers.createProvider({ provider: openai("s-kind", { responsesApi: true }) });
    const toAnthropic = { id: "s-kind", kind: ProviderKind.ANTHROPIC, baseUrl: "https://api.anthropic.com" };
    const error = await errorOf(
      c.providers.updateProvider({ provider: toAnthropic, updateMask: { paths: ["kind", "base_url"] } }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toContain("provider.responses_api:");
    expect((await c.providers.getProvider({ id: "s-kind" })).provider?.kind).toBe(ProviderKind.OPENAI);

    const { provider } = await c.providers.updateProvider({
      provider: toAnthropic,
      updateMask: { paths: ["kind", "base_url", "responses_api"] },
    });
    expect(provider?.kind).toBe(ProviderKind.ANTHROPIC);
    expect(provider?.responsesApi).toBeUndefined();
  });
});
