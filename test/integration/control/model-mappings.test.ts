// ModelMappingService through a real Connect client against a real server and SQLite
// file: every RPC, the one-destination rule, alias uniqueness and references.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelMappingSchema } from "../../../src/gen/parley/admin/v1/model_mapping_pb.js";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { type AdminClients, type AdminHarness, errorOf, startAdmin } from "./admin-harness.js";

type MappingInit = MessageInitShape<typeof ModelMappingSchema>;

let h: AdminHarness;
let c: AdminClients;
beforeAll(async () => {
  h = await startAdmin();
  c = h.clients();
  for (const id of ["prov-a", "prov-b"]) {
    await c.providers.createProvider({
      provider: { id, kind: ProviderKind.OPENAI, baseUrl: "https://a.example/v1" },
    });
  }
  await c.chains.createFallbackChain({
    fallbackChain: { id: "chain-a", targets: [{ providerId: "prov-a" }] },
  });
});
afterAll(() => h.close());

const toTarget = (providerId: string, upstreamModel = ""): MappingInit["destination"] => ({
  case: "target",
  value: { providerId, upstreamModel },
});
const toChain = (id: string): MappingInit["destination"] => ({ case: "fallbackChainId", value: id });

describe("ModelMappingService CRUD", () => {
  it("creates, gets and lists a mapping to one target", async () => {
    const { modelMapping } = await c.mappings.createModelMapping({
      modelMapping: {
        id: "m-target",
        alias: "claude-*",
        destination: toTarget("prov-a", "gpt-4.1"),
        maxOutputTokens: 8192,
      },
    });
    expect(modelMapping).toMatchObject({
      id: "m-target",
      alias: "claude-*",
      destination: { case: "target", value: { providerId: "prov-a", upstreamModel: "gpt-4.1" } },
      maxOutputTokens: 8192,
    });
    expect((await c.mappings.getModelMapping({ id: "m-target" })).modelMapping).toEqual(modelMapping);
    const { modelMappings } = await c.mappings.listModelMappings({});
    expect(modelMappings.map((m) => m.id)).toContain("m-target");
  });

  it("creates a mapping to a fallback chain", async () => {
    const { modelMapping } = await c.mappings.createModelMapping({
      modelMapping: { id: "m-chain", alias: "big", destination: toChain("chain-a") },
    });
    expect(modelMapping?.destination).toEqual({ case: "fallbackChainId", value: "chain-a" });
    expect(modelMapping?.maxOutputTokens).toBeUndefined();
  });

  it("setting the other side of the destination through the mask switches it", async () => {
    await c.mappings.createModelMapping({
      modelMapping: { id: "m-switch", alias: "switch", destination: toTarget("prov-a") },
    });
    const toChainRes = await c.mappings.updateModelMapping({
      modelMapping: { id: "m-switch", destination: toChain("chain-a") },
      updateMask: { paths: ["fallback_chain_id"] },
    });
    expect(toChainRes.modelMapping?.destination).toEqual({ case: "fallbackChainId", value: "chain-a" });
    const back = await c.mappings.updateModelMapping({
      modelMapping: { id: "m-switch", destination: toTarget("prov-b", "m2") },
      updateMask: { paths: ["target"] },
    });
    expect(back.modelMapping?.destination).toMatchObject({
      case: "target",
      value: { providerId: "prov-b", upstreamModel: "m2" },
    });
  });

  it("a sub-field of the target changes alone", async () => {
    await c.mappings.createModelMapping({
      modelMapping: { id: "m-sub", alias: "sub", destination: toTarget("prov-a", "x") },
    });
    const { modelMapping } = await c.mappings.updateModelMapping({
      modelMapping: { id: "m-sub", destination: toTarget("", "y") },
      updateMask: { paths: ["target.upstream_model"] },
    });
    expect(modelMapping?.destination).toMatchObject({ value: { providerId: "prov-a", upstreamModel: "y" } });
  });

  it("updates the alias and max_output_tokens; an empty mask replaces everything", async () => {
    await c.mappings.createModelMapping({
      modelMapping: { id: "m-upd", alias: "old-name", destination: toTarget("prov-a"), maxOutputTokens: 100 },
    });
    const renamed = await c.mappings.updateModelMapping({
      modelMapping: { id: "m-upd", alias: "new-name", maxOutputTokens: 5 },
      updateMask: { paths: ["alias"] },
    });
    expect(renamed.modelMapping).toMatchObject({ alias: "new-name", maxOutputTokens: 100 });
    const replaced = await c.mappings.updateModelMapping({
      modelMapping: { id: "m-upd", alias: "NEW-name", destination: toChain("chain-a") },
    });
    expect(replaced.modelMapping).toMatchObject({
      alias: "NEW-name",
      destination: { case: "fallbackChainId" },
    });
    expect(replaced.modelMapping?.maxOutputTokens).toBeUndefined();
  });

  it("deletes a mapping", async () => {
    await c.mappings.createModelMapping({
      modelMapping: { id: "m-del", alias: "gone", destination: toTarget("prov-a") },
    });
    await c.mappings.deleteModelMapping({ id: "m-del" });
    expect((await errorOf(c.mappings.getModelMapping({ id: "m-del" }))).code).toBe(Code.NotFound);
  });
});

describe("ModelMappingService errors", () => {
  it.each([
    ["get", () => c.mappings.getModelMapping({ id: "nope" })],
    [
      "update",
      () =>
        c.mappings.updateModelMapping({
          modelMapping: { id: "nope", alias: "x" },
          updateMask: { paths: ["alias"] },
        }),
    ],
    ["delete", () => c.mappings.deleteModelMapping({ id: "nope" })],
  ])("%s of a missing mapping is not_found", async (_name, call) => {
    const error = await errorOf(call());
    expect(error.code).toBe(Code.NotFound);
    expect(error.message).toBe('model mapping "nope" not found');
  });

  it("a taken id is already_exists", async () => {
    await c.mappings.createModelMapping({
      modelMapping: { id: "m-dup", alias: "dup-1", destination: toTarget("prov-a") },
    });
    const error = await errorOf(
      c.mappings.createModelMapping({
        modelMapping: { id: "m-dup", alias: "dup-2", destination: toTarget("prov-a") },
      }),
    );
    expect(error.code).toBe(Code.AlreadyExists);
  });

  it("a taken alias is already_exists, ignoring case, on create and on update", async () => {
    await c.mappings.createModelMapping({
      modelMapping: { id: "m-alias", alias: "GPT-4o", destination: toTarget("prov-a") },
    });
    const created = await errorOf(
      c.mappings.createModelMapping({
        modelMapping: { id: "m-alias-2", alias: "gpt-4O", destination: toTarget("prov-b") },
      }),
    );
    expect(created.code).toBe(Code.AlreadyExists);
    expect(created.message).toContain('"m-alias"');
    await c.mappings.createModelMapping({
      modelMapping: { id: "m-alias-3", alias: "other", destination: toTarget("prov-b") },
    });
    const updated = await errorOf(
      c.mappings.updateModelMapping({
        modelMapping: { id: "m-alias-3", alias: "gpt-4o" },
        updateMask: { paths: ["alias"] },
      }),
    );
    expect(updated.code).toBe(Code.AlreadyExists);
    // A mapping keeps its own alias when it is re-sent with another case.
    const self = await c.mappings.updateModelMapping({
      modelMapping: { id: "m-alias", alias: "gpt-4o" },
      updateMask: { paths: ["alias"] },
    });
    expect(self.modelMapping?.alias).toBe("gpt-4o");
  });

  it.each<[string, MappingInit, string]>([
    [
      "a missing provider",
      { id: "m-fp1", alias: "fp1", destination: toTarget("ghost") },
      "model_mapping.target.provider_id: ",
    ],
    [
      "a missing chain",
      { id: "m-fp2", alias: "fp2", destination: toChain("ghost-chain") },
      "model_mapping.fallback_chain_id: ",
    ],
  ])("a mapping to %s is failed_precondition", async (_name, modelMapping, prefix) => {
    const error = await errorOf(c.mappings.createModelMapping({ modelMapping }));
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(error.message.startsWith(prefix)).toBe(true);
    expect((await errorOf(c.mappings.getModelMapping({ id: modelMapping.id! }))).code).toBe(Code.NotFound);
  });

  it("an update pointing at a missing provider is failed_precondition and changes nothing", async () => {
    await c.mappings.createModelMapping({
      modelMapping: { id: "m-fp3", alias: "fp3", destination: toTarget("prov-a") },
    });
    const error = await errorOf(
      c.mappings.updateModelMapping({
        modelMapping: { id: "m-fp3", alias: "fp3-renamed", destination: toTarget("ghost") },
      }),
    );
    expect(error.code).toBe(Code.FailedPrecondition);
    expect((await c.mappings.getModelMapping({ id: "m-fp3" })).modelMapping?.alias).toBe("fp3");
  });

  it.each<[string, MappingInit | undefined]>([
    ["model_mapping", undefined],
    ["model_mapping.id", { id: "", alias: "a", destination: toTarget("prov-a") }],
    ["model_mapping.id", { id: "Has Space", alias: "a", destination: toTarget("prov-a") }],
    ["model_mapping.alias", { id: "m-v", alias: "", destination: toTarget("prov-a") }],
    ["model_mapping.alias", { id: "m-v", alias: "two words", destination: toTarget("prov-a") }],
    ["model_mapping.alias", { id: "m-v", alias: "claude-[0-9]", destination: toTarget("prov-a") }],
    ["model_mapping.alias", { id: "m-v", alias: "x".repeat(201), destination: toTarget("prov-a") }],
    ["model_mapping.destination", { id: "m-v", alias: "no-dest" }],
    ["model_mapping.target.provider_id", { id: "m-v", alias: "no-prov", destination: toTarget("") }],
    ["model_mapping.fallback_chain_id", { id: "m-v", alias: "empty-chain", destination: toChain("") }],
    [
      "model_mapping.target.upstream_model",
      { id: "m-v", alias: "ws", destination: toTarget("prov-a", "gpt 4") },
    ],
    [
      "model_mapping.max_output_tokens",
      { id: "m-v", alias: "mot", destination: toTarget("prov-a"), maxOutputTokens: 0 },
    ],
    [
      "model_mapping.max_output_tokens",
      { id: "m-v", alias: "mot", destination: toTarget("prov-a"), maxOutputTokens: 10_000_001 },
    ],
  ])("create refuses a bad %s with invalid_argument naming it", async (field, modelMapping) => {
    const error = await errorOf(c.mappings.createModelMapping({ modelMapping }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  it("an alias of 200 characters and globs with * and ? are accepted", async () => {
    const alias = `${"x".repeat(197)}-*?`;
    const { modelMapping } = await c.mappings.createModelMapping({
      modelMapping: { id: "m-long", alias, destination: toTarget("prov-a") },
    });
    expect(modelMapping?.alias).toBe(alias);
  });

  it.each([
    [["bogus"], "update_mask: unknown field"],
    [["id"], "update_mask: id cannot be changed"],
    [["update_time"], "update_mask: update_time is output only"],
  ])("update_mask %j is invalid_argument", async (paths, prefix) => {
    const error = await errorOf(
      c.mappings.updateModelMapping({ modelMapping: { id: "m-target" }, updateMask: { paths } }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message.startsWith(prefix)).toBe(true);
  });

  it("a mask that removes the only destination is invalid_argument", async () => {
    const error = await errorOf(
      c.mappings.updateModelMapping({ modelMapping: { id: "m-target" }, updateMask: { paths: ["target"] } }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toMatch(/^model_mapping\.destination: /);
  });

  it("page_token garbage is invalid_argument", async () => {
    const error = await errorOf(c.mappings.listModelMappings({ pageToken: "%%%" }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toMatch(/^page_token: /);
  });

  it("pages mappings in id order", async () => {
    const first = await c.mappings.listModelMappings({ pageSize: 3 });
    const second = await c.mappings.listModelMappings({ pageSize: 3, pageToken: first.nextPageToken });
    const ids = [...first.modelMappings, ...second.modelMappings].map((m) => m.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(6);
  });
});
