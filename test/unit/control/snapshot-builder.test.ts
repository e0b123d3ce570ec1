// The per-provider dialect settings as the data plane receives them: responses_api resolved
// to a plain boolean (on by default only for api.openai.com, never for Anthropic), and
// demote_nonstreaming kept as null when unset so the process default applies, and request
// limits null when unset (the provider has none of its own).
import { describe, expect, it } from "vitest";
import type { ProviderRow } from "../../../src/control/db/schema.js";
import { snapshotFromRows } from "../../../src/control/snapshot-builder.js";

const TIMEOUTS = { connectMs: 1, headersMs: 2, idleMs: 3, requestMs: 4 };

function row(values: Partial<ProviderRow>): ProviderRow {
  return {
    id: "p",
    kind: "openai",
    baseUrl: "https://api.example.com/v1",
    apiKey: null,
    headers: {},
    connectTimeoutMs: null,
    headersTimeoutMs: null,
    idleTimeoutMs: null,
    requestTimeoutMs: null,
    maxRetries: null,
    breakerFailureThreshold: null,
    breakerOpenMs: null,
    healthCheckIntervalMs: null,
    enabled: true,
    demoteNonStreaming: null,
    responsesApi: null,
    maxBodyBytes: null,
    maxMessages: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...values,
  };
}

function providerOf(values: Partial<ProviderRow>) {
  const snapshot = snapshotFromRows(
    { providers: [row(values)], mappings: [], chainTargets: [] },
    TIMEOUTS,
    1,
  );
  return snapshot.providers.get("p")!;
}

describe("snapshot provider settings", () => {
  it.each<[string, Partial<ProviderRow>, boolean]>([
    ["unset at api.openai.com is on", { baseUrl: "https://api.openai.com/v1" }, true],
    ["unset at api.openai.com in capitals is on", { baseUrl: "https://API.OpenAI.com/v1/" }, true],
    ["unset elsewhere is off", { baseUrl: "https://openrouter.ai/api/v1" }, false],
    ["unset at a look-alike host is off", { baseUrl: "https://api.openai.com.evil.test/v1" }, false],
    ["unset at a subdomain is off", { baseUrl: "https://eu.api.openai.com/v1" }, false],
    ["false at api.openai.com is off", { baseUrl: "https://api.openai.com/v1", responsesApi: false }, false],
    ["true elsewhere is on", { baseUrl: "http://10.0.0.5:8000/v1", responsesApi: true }, true],
    ["an Anthropic provider never has it", { kind: "anthropic", baseUrl: "https://api.openai.com" }, false],
  ])("responses_api %s", (_name, values, expected) => {
    expect(providerOf(values).responsesApi).toBe(expected);
  });

  it.each([null, true, false])("demote_nonstreaming %s is passed on as is", (value) => {
    expect(providerOf({ demoteNonStreaming: value }).demoteNonStreaming).toBe(value);
  });

  it.each<[string, Partial<ProviderRow>, { maxBodyBytes: number | null; maxMessages: number | null }]>([
    ["unset limits stay null: no limit of the provider's own", {}, { maxBodyBytes: null, maxMessages: null }],
    [
      "set limits are passed on",
      { maxBodyBytes: 4096, maxMessages: 10 },
      { maxBodyBytes: 4096, maxMessages: 10 },
    ],
    ["one limit leaves the other null", { maxMessages: 10 }, { maxBodyBytes: null, maxMessages: 10 }],
  ])("request limits: %s", (_name, values, expected) => {
    expect(providerOf(values).limits).toEqual(expected);
  });
});
