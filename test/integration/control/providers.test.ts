// ProviderService through a real Connect client against a real server and SQLite file:
// every RPC, every error code, pagination, and the write-only API key.

import type { MessageInitShape } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderSchema } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { type AdminClients, type AdminHarness, errorOf, startAdmin } from "./admin-harness.js";

type ProviderInit = MessageInitShape<typeof ProviderSchema>;

let h: AdminHarness;
let c: AdminClients;
beforeAll(async () => {
  h = await startAdmin();
  c = h.clients();
});
afterAll(() => h.close());

const valid = (id: string, extra: ProviderInit = {}): ProviderInit => ({
  id,
  kind: ProviderKind.OPENAI,
  baseUrl: "https://api.example.com/v1",
  ...extra,
});

describe("ProviderService CRUD", () => {
  it("creates a provider with defaults and returns it as stored", async () => {
    const { provider } = await c.providers.createProvider({
      provider: valid("crud-a", {
        apiKey: "sk-crud-a-0001",
        headers: { "HTTP-Referer": "https://example.com" },
        timeouts: { connect: durationFromMs(2500), total: durationFromMs(120_000) },
        retryPolicy: { maxRetries: 4 },
        circuitBreaker: { failureThreshold: 7, openDuration: durationFromMs(45_000) },
        healthCheckInterval: durationFromMs(300_000),
      }),
    });
    expect(provider).toMatchObject({
      id: "crud-a",
      kind: ProviderKind.OPENAI,
      baseUrl: "https://api.example.com/v1",
      apiKey: "",
      apiKeySet: true,
      apiKeyHint: "0001",
      headers: { "HTTP-Referer": "https://example.com" },
      retryPolicy: { maxRetries: 4 },
      circuitBreaker: { failureThreshold: 7 },
      enabled: true,
    });
    expect(Number(provider?.timeouts?.connect?.seconds)).toBe(2);
    expect(provider?.timeouts?.connect?.nanos).toBe(500_000_000);
    expect(provider?.timeouts?.responseHeaders).toBeUndefined();
    expect(Number(provider?.healthCheckInterval?.seconds)).toBe(300);
    expect(provider?.createTime).toBeDefined();

    const got = await c.providers.getProvider({ id: "crud-a" });
    expect(got.provider).toEqual(provider);
  });

  it("a provider without a key forwards client credentials and says so", async () => {
    const { provider } = await c.providers.createProvider({
      provider: valid("crud-nokey", { enabled: false }),
    });
    expect(provider).toMatchObject({ apiKeySet: false, apiKeyHint: "", enabled: false });
  });

  it("updates only the fields named in update_mask", async () => {
    await c.providers.createProvider({
      provider: valid("crud-b", { apiKey: "sk-crud-b-0002", timeouts: { connect: durationFromMs(3000) } }),
    });
    const { provider } = await c.providers.updateProvider({
      provider: { id: "crud-b", baseUrl: "http://10.0.0.1:8000/v1", kind: ProviderKind.ANTHROPIC },
      updateMask: { paths: ["base_url"] },
    });
    expect(provider).toMatchObject({
      baseUrl: "http://10.0.0.1:8000/v1",
      kind: ProviderKind.OPENAI,
      apiKeySet: true,
      apiKeyHint: "0002",
    });
    expect(Number(provider?.timeouts?.connect?.seconds)).toBe(3);
    expect(provider!.updateTime!.seconds >= provider!.createTime!.seconds).toBe(true);
  });

  it("a nested mask path changes one sub-field and keeps its siblings", async () => {
    await c.providers.createProvider({
      provider: valid("crud-c", {
        timeouts: { connect: durationFromMs(3000), total: durationFromMs(60_000) },
      }),
    });
    const { provider } = await c.providers.updateProvider({
      provider: { id: "crud-c", timeouts: { connect: durationFromMs(9000) } },
      updateMask: { paths: ["timeouts.connect"] },
    });
    expect(Number(provider?.timeouts?.connect?.seconds)).toBe(9);
    expect(Number(provider?.timeouts?.total?.seconds)).toBe(60);

    const cleared = await c.providers.updateProvider({
      provider: { id: "crud-c" },
      updateMask: { paths: ["timeouts"] },
    });
    expect(cleared.provider?.timeouts).toBeUndefined();
  });

  it("an empty mask replaces every writable field but keeps a key it was not sent", async () => {
    await c.providers.createProvider({
      provider: valid("crud-d", {
        apiKey: "sk-crud-d-0004",
        headers: { "x-team": "a" },
        retryPolicy: { maxRetries: 1 },
      }),
    });
    const { provider } = await c.providers.updateProvider({
      provider: { id: "crud-d", kind: ProviderKind.ANTHROPIC, baseUrl: "https://api.anthropic.com" },
    });
    expect(provider).toMatchObject({
      kind: ProviderKind.ANTHROPIC,
      baseUrl: "https://api.anthropic.com",
      headers: {},
      apiKeySet: true,
      apiKeyHint: "0004",
      enabled: true,
    });
    expect(provider?.retryPolicy).toBeUndefined();
  });

  it("api_key in the mask replaces the key, and with an empty value clears it", async () => {
    await c.providers.createProvider({ provider: valid("crud-e", { apiKey: "sk-crud-e-0005" }) });
    const replaced = await c.providers.updateProvider({
      provider: { id: "crud-e", apiKey: "sk-crud-e-9999" },
      updateMask: { paths: ["api_key"] },
    });
    expect(replaced.provider).toMatchObject({ apiKeySet: true, apiKeyHint: "9999" });
    const cleared = await c.providers.updateProvider({
      provider: { id: "crud-e" },
      updateMask: { paths: ["api_key"] },
    });
    expect(cleared.provider).toMatchObject({ apiKeySet: false, apiKeyHint: "" });
  });

  it("deletes a provider nothing uses", async () => {
    await c.providers.createProvider({ provider: valid("crud-f") });
    expect(await c.providers.deleteProvider({ id: "crud-f" })).toBeDefined();
    expect((await errorOf(c.providers.getProvider({ id: "crud-f" }))).code).toBe(Code.NotFound);
  });
});

describe("ProviderService errors", () => {
  it.each([
    ["get", () => c.providers.getProvider({ id: "nope" })],
    [
      "update",
      () =>
        c.providers.updateProvider({
          provider: { id: "nope", baseUrl: "https://x.example" },
          updateMask: { paths: ["base_url"] },
        }),
    ],
    ["delete", () => c.providers.deleteProvider({ id: "nope" })],
  ])("%s of a missing provider is not_found", async (_name, call) => {
    const error = await errorOf(call());
    expect(error.code).toBe(Code.NotFound);
    expect(error.message).toBe('provider "nope" not found');
  });

  it("a taken id is already_exists", async () => {
    await c.providers.createProvider({ provider: valid("dup") });
    const error = await errorOf(c.providers.createProvider({ provider: valid("dup") }));
    expect(error.code).toBe(Code.AlreadyExists);
    expect(error.message).toContain('"dup"');
  });

  const H = (ms: number) => durationFromMs(ms);
  it.each<[string, ProviderInit | undefined]>([
    ["provider", undefined],
    ["provider.id", valid("")],
    ["provider.id", valid("Bad_Id")],
    ["provider.id", valid("1abc")],
    ["provider.id", valid(`a${"b".repeat(63)}`)],
    ["provider.kind", valid("v-kind", { kind: ProviderKind.UNSPECIFIED })],
    ["provider.base_url", valid("v-url", { baseUrl: "" })],
    ["provider.base_url", valid("v-url", { baseUrl: "not a url" })],
    ["provider.base_url", valid("v-url", { baseUrl: "ftp://files.example.com" })],
    ["provider.base_url", valid("v-url", { baseUrl: "https://user:pw@api.example.com" })],
    ["provider.api_key", valid("v-key", { apiKey: "has a space" })],
    ["provider.headers", valid("v-h", { headers: { "bad name": "x" } })],
    ['provider.headers["Authorization"]', valid("v-h", { headers: { Authorization: "Bearer x" } })],
    ['provider.headers["x-api-key"]', valid("v-h", { headers: { "x-api-key": "x" } })],
    ['provider.headers["host"]', valid("v-h", { headers: { host: "x" } })],
    ['provider.headers["x-a"]', valid("v-h", { headers: { "x-a": "line\nbreak" } })],
    ["provider.timeouts.connect", valid("v-t", { timeouts: { connect: H(0) } })],
    ["provider.timeouts.connect", valid("v-t", { timeouts: { connect: H(-1000) } })],
    ["provider.timeouts.connect", valid("v-t", { timeouts: { connect: H(5 * 60_000 + 1000) } })],
    ["provider.timeouts.response_headers", valid("v-t", { timeouts: { responseHeaders: H(3_601_000) } })],
    ["provider.timeouts.stream_idle", valid("v-t", { timeouts: { streamIdle: H(3_601_000) } })],
    ["provider.timeouts.total", valid("v-t", { timeouts: { total: H(3_601_000) } })],
    ["provider.retry_policy.max_retries", valid("v-r", { retryPolicy: { maxRetries: 11 } })],
    ["provider.circuit_breaker.failure_threshold", valid("v-b", { circuitBreaker: { failureThreshold: 0 } })],
    [
      "provider.circuit_breaker.failure_threshold",
      valid("v-b", { circuitBreaker: { failureThreshold: 1001 } }),
    ],
    ["provider.circuit_breaker.open_duration", valid("v-b", { circuitBreaker: { openDuration: H(0) } })],
    ["provider.health_check_interval", valid("v-i", { healthCheckInterval: H(-5000) })],
  ])("create refuses a bad %s with invalid_argument naming it", async (field, provider) => {
    const error = await errorOf(c.providers.createProvider({ provider }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  it("nothing is stored when create is refused", async () => {
    await errorOf(
      c.providers.createProvider({ provider: valid("v-none", { retryPolicy: { maxRetries: 99 } }) }),
    );
    expect((await errorOf(c.providers.getProvider({ id: "v-none" }))).code).toBe(Code.NotFound);
  });

  it.each([
    [["nonsense"], 'update_mask: unknown field "nonsense"'],
    [["id"], "update_mask: id cannot be changed"],
    [["api_key_set"], "update_mask: api_key_set is output only"],
    [["create_time"], "update_mask: create_time is output only"],
    [["timeouts.bogus"], 'update_mask: unknown field "timeouts.bogus"'],
  ])("update_mask %j is invalid_argument", async (paths, message) => {
    await c.providers.createProvider({ provider: valid("mask-target") }).catch(() => {});
    const error = await errorOf(
      c.providers.updateProvider({ provider: { id: "mask-target" }, updateMask: { paths } }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message.startsWith(message)).toBe(true);
  });

  it("update validates the fields it changes", async () => {
    await c.providers.createProvider({ provider: valid("upd-v") });
    const error = await errorOf(
      c.providers.updateProvider({
        provider: { id: "upd-v", baseUrl: "gopher://x" },
        updateMask: { paths: ["base_url"] },
      }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toMatch(/^provider\.base_url: /);
    expect((await c.providers.getProvider({ id: "upd-v" })).provider?.baseUrl).toBe(
      "https://api.example.com/v1",
    );
  });

  it("deleting a provider still in use is failed_precondition naming its users", async () => {
    await c.providers.createProvider({ provider: valid("in-use") });
    await c.providers.createProvider({ provider: valid("other") });
    await c.mappings.createModelMapping({
      modelMapping: {
        id: "uses-direct",
        alias: "in-use-model",
        destination: { case: "target", value: { providerId: "in-use" } },
      },
    });
    await c.chains.createFallbackChain({
      fallbackChain: {
        id: "uses-chain",
        targets: [{ providerId: "other" }, { providerId: "in-use", upstreamModel: "m" }],
      },
    });
    const error = await errorOf(c.providers.deleteProvider({ id: "in-use" }));
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(error.message).toContain('model mappings "uses-direct"');
    expect(error.message).toContain('fallback chains "uses-chain"');
    expect((await c.providers.getProvider({ id: "in-use" })).provider?.id).toBe("in-use");
  });
});

describe("ListProviders pagination", () => {
  let p: AdminHarness;
  beforeAll(async () => {
    p = await startAdmin();
    for (const id of ["p-e", "p-a", "p-d", "p-b", "p-c"]) {
      await p.clients().providers.createProvider({ provider: valid(id) });
    }
  });
  afterAll(() => p.close());

  it("pages through every provider in id order with opaque tokens", async () => {
    const ids: string[] = [];
    const tokens: string[] = [];
    let pageToken = "";
    do {
      const page = await p.clients().providers.listProviders({ pageSize: 2, pageToken });
      ids.push(...page.providers.map((x) => x.id));
      expect(page.providers.length).toBeLessThanOrEqual(2);
      pageToken = page.nextPageToken;
      if (pageToken) tokens.push(pageToken);
    } while (pageToken !== "");
    expect(ids).toEqual(["p-a", "p-b", "p-c", "p-d", "p-e"]);
    expect(tokens).toHaveLength(2);
    for (const t of tokens) expect(t).not.toContain("p-");
  });

  it("page_size 0 means 100 and a size over 1000 is served as 1000", async () => {
    const all = await p.clients().providers.listProviders({ pageSize: 0 });
    expect(all.providers).toHaveLength(5);
    expect(all.nextPageToken).toBe("");
    const big = await p.clients().providers.listProviders({ pageSize: 5000 });
    expect(big.providers).toHaveLength(5);
  });

  it("a last page exactly full has no next token", async () => {
    const page = await p.clients().providers.listProviders({ pageSize: 5 });
    expect(page.providers).toHaveLength(5);
    expect(page.nextPageToken).toBe("");
  });

  it.each([
    [{ pageSize: -1 }, "page_size: "],
    [{ pageToken: "!!garbage!!" }, "page_token: "],
    [{ pageToken: "abc" }, "page_token: "],
    [{ pageToken: Buffer.from("model-mappings:p-b").toString("base64url") }, "page_token: "],
  ])("%j is invalid_argument naming the field", async (req, prefix) => {
    const error = await errorOf(p.clients().providers.listProviders(req));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message.startsWith(prefix)).toBe(true);
  });
});

describe("quick-start rows", () => {
  it("the seeded providers and mappings are listed and can be edited", async () => {
    const q = await startAdmin({
      PARLEY_OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
      PARLEY_OPENAI_API_KEY: "sk-seeded-key-7777",
      PARLEY_MODEL_MAP: "fast=openai/gpt-4.1-mini",
    });
    try {
      const qc = q.clients();
      const { providers } = await qc.providers.listProviders({});
      expect(providers.map((x) => [x.id, x.apiKeySet, x.apiKeyHint])).toEqual([["openai", true, "7777"]]);
      const { modelMappings } = await qc.mappings.listModelMappings({});
      expect(modelMappings.map((m) => [m.id, m.alias])).toEqual([
        ["default", "*"],
        ["fast", "fast"],
      ]);
      const updated = await qc.providers.updateProvider({
        provider: { id: "openai", baseUrl: "http://127.0.0.1:10/v1" },
        updateMask: { paths: ["base_url"] },
      });
      expect(updated.provider).toMatchObject({ baseUrl: "http://127.0.0.1:10/v1", apiKeyHint: "7777" });
      const remapped = await qc.mappings.updateModelMapping({
        modelMapping: {
          id: "fast",
          destination: { case: "target", value: { providerId: "openai", upstreamModel: "gpt-4.1-nano" } },
        },
        updateMask: { paths: ["target"] },
      });
      expect(remapped.modelMapping?.destination).toMatchObject({
        case: "target",
        value: { upstreamModel: "gpt-4.1-nano" },
      });
      expect(await qc.mappings.deleteModelMapping({ id: "default" })).toBeDefined();
    } finally {
      await q.close();
    }
  });
});
