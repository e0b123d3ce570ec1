// apply's planner: which writes a (desired, current) pair needs, in which order, and which
// fields each update names — including the write-only API key and secret headers, compared by hint.
import { describe, expect, it } from "vitest";
import { computePlan, diffProvider, type PlanStep } from "../../../src/cli/apply/plan.js";
import type { ProviderSpec, SetupSpec } from "../../../src/cli/apply/resource-specs.js";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";

function provider(id: string, extra: Partial<ProviderSpec> = {}): ProviderSpec {
  return {
    id,
    kind: ProviderKind.OPENAI,
    baseUrl: `https://${id}.test/v1`,
    headers: {},
    enabled: true,
    timeouts: {},
    ...extra,
  };
}

function stored(spec: ProviderSpec, key?: string): ProviderSpec {
  const { apiKey: _omit, ...rest } = spec;
  // The server's rule: the last 4 characters, none for keys under 8 characters.
  const hint = key !== undefined && key.length >= 8 ? key.slice(-4) : "";
  return { ...rest, storedKey: { set: key !== undefined, hint } };
}

const titles = (plan: PlanStep[]) => plan.map((step) => `${step.action} ${step.resource} ${step.id}`);
const empty: SetupSpec = { providers: [], chains: [], mappings: [] };

describe("diffProvider", () => {
  it.each([
    ["an unchanged key (same last 4 characters)", "sk-test-abcd", "sk-test-abcd", []],
    ["a rotated key", "sk-test-abcd", "sk-test-wxyz", [{ path: "api_key", change: "replaced" }]],
    ["a key added", undefined, "sk-test-wxyz", [{ path: "api_key", change: "set" }]],
    [
      "a key removed",
      "sk-test-abcd",
      undefined,
      [{ path: "api_key", change: "removed (clients' own credentials are forwarded)" }],
    ],
    ["no key on either side", undefined, undefined, []],
    ["a short key, which has no hint", "short", "short", []],
  ])("%s", (_name, storedKey, wantedKey, changes) => {
    const current = stored(provider("p"), storedKey);
    expect(diffProvider(current, provider("p", { apiKey: wantedKey }))).toEqual(changes);
  });

  it("names each differing field once, by its update_mask path, never showing header values", () => {
    const current = stored(provider("p", { headers: { "x-secret": "one" }, timeouts: { connect: 10_000 } }));
    const desired = provider("p", {
      baseUrl: "https://moved.test/v1",
      headers: { "x-secret": "two" },
      timeouts: { connect: 5_000, total: 60_000 },
      maxRetries: 0,
      enabled: false,
    });
    const changes = diffProvider(current, desired);
    expect(changes.map((c) => c.path)).toEqual([
      "base_url",
      "headers",
      "enabled",
      "timeouts",
      "retry_policy",
    ]);
    expect(changes.find((c) => c.path === "timeouts")?.change).toBe("connect 10s -> 5s, total default -> 1m");
    expect(changes.find((c) => c.path === "retry_policy")?.change).toBe("max_retries default -> 0");
    expect(JSON.stringify(changes)).not.toContain("two");
  });

  it("compares demote_nonstreaming and responses_api with unset as its own value, the default", () => {
    const current = stored(provider("p", { demoteNonStreaming: true }));
    expect(diffProvider(current, provider("p", { demoteNonStreaming: true }))).toEqual([]);
    expect(diffProvider(current, provider("p", { responsesApi: false }))).toEqual([
      { path: "demote_nonstreaming", change: "true -> default" },
      { path: "responses_api", change: "default -> false" },
    ]);
  });

  describe("secret headers, which the server lists by name and hint only", () => {
    // What the server returns for {x-title: "Parley", api-key: AZURE}: the value of api-key is hidden.
    const AZURE = "azure-key-0a1b2c3d";
    const current = {
      ...stored(provider("p")),
      headers: { "x-title": "Parley" },
      storedSecretHeaders: { "api-key": { set: true, hint: "2c3d" } },
    };
    const headersChange = (headers: Record<string, string>) =>
      diffProvider(current, provider("p", { headers })).filter((c) => c.path === "headers");

    it("the same headers plan nothing, though the secret value is never seen", () => {
      expect(headersChange({ "x-title": "Parley", "api-key": AZURE })).toEqual([]);
    });

    it.each([
      ["a rotated secret", { "x-title": "Parley", "api-key": "azure-key-9z8y7x6w" }],
      ["a secret removed", { "x-title": "Parley" }],
      ["a secret emptied", { "x-title": "Parley", "api-key": "" }],
      ["a secret renamed", { "x-title": "Parley", "x-api-token": AZURE }],
      ["a visible header changed", { "x-title": "Parley 2", "api-key": AZURE }],
    ])("%s plans a headers update that shows names only", (_case, headers) => {
      const changes = headersChange(headers);
      expect(changes).toHaveLength(1);
      expect(changes[0]?.change).toMatch(/^api-key, x-title -> .* \(values not shown\)$/);
      expect(JSON.stringify(changes)).not.toMatch(/azure-key|Parley/);
    });

    it("a secret too short for a hint cannot be told apart, like a short API key", () => {
      const short = { ...current, storedSecretHeaders: { "api-key": { set: true, hint: "" } } };
      expect(
        diffProvider(short, provider("p", { headers: { "x-title": "Parley", "api-key": "abc" } })),
      ).toEqual([]);
    });
  });

  it("treats a zero health-check interval like none", () => {
    expect(diffProvider(stored(provider("p")), provider("p", { healthCheckIntervalMs: undefined }))).toEqual(
      [],
    );
  });
});

describe("computePlan", () => {
  it("writes providers and chains before the mappings that use them", () => {
    const desired: SetupSpec = {
      providers: [provider("a")],
      chains: [{ id: "c", description: "", targets: [{ providerId: "a", upstreamModel: "m" }] }],
      mappings: [{ id: "m", alias: "m-*", chainId: "c" }],
    };
    expect(titles(computePlan(desired, empty))).toEqual([
      "create provider a",
      "create chain c",
      "create mapping m",
    ]);
  });

  it("deletes mappings before the chains and providers they used, and old mappings before new ones", () => {
    const current: SetupSpec = {
      providers: [stored(provider("old")), stored(provider("kept"))],
      chains: [{ id: "c", description: "", targets: [{ providerId: "old", upstreamModel: "" }] }],
      mappings: [{ id: "old-map", alias: "claude-*", chainId: "c" }],
    };
    const desired: SetupSpec = {
      providers: [provider("kept")],
      chains: [],
      mappings: [{ id: "new-map", alias: "claude-*", target: { providerId: "kept", upstreamModel: "" } }],
    };
    expect(titles(computePlan(desired, current))).toEqual([
      "delete mapping old-map",
      "create mapping new-map",
      "delete chain c",
      "delete provider old",
    ]);
  });

  it("plans nothing when the state already matches", () => {
    const desired: SetupSpec = {
      providers: [provider("a", { apiKey: "sk-test-1234" })],
      chains: [{ id: "c", description: "d", targets: [{ providerId: "a", upstreamModel: "x" }] }],
      mappings: [
        { id: "m", alias: "m", target: { providerId: "a", upstreamModel: "x" }, maxOutputTokens: 10 },
      ],
    };
    const current: SetupSpec = { ...desired, providers: [stored(provider("a"), "sk-test-1234")] };
    expect(computePlan(desired, current)).toEqual([]);
  });

  it("a mapping moving from a target to a chain is one update naming fallback_chain_id", () => {
    const current: SetupSpec = {
      ...empty,
      mappings: [{ id: "m", alias: "m", target: { providerId: "a", upstreamModel: "x" } }],
    };
    const desired: SetupSpec = { ...empty, mappings: [{ id: "m", alias: "m", chainId: "c" }] };
    const [step] = computePlan(desired, current);
    expect(step).toMatchObject({
      action: "update",
      changes: [{ path: "fallback_chain_id", change: "a/x -> chain c" }],
    });
  });
});
