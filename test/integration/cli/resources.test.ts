// `parley providers|mappings|chains …` as a subprocess against a real admin API: every verb,
// --json output parsed, table output, update masks that touch only the flags given, and
// errors as one line with a non-zero exit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminUnderTest, type CliRun, cliFor, jsonOf, runCli, startAdmin } from "./cli-harness.js";

let admin: AdminUnderTest;
let parley: ReturnType<typeof cliFor>;

beforeAll(async () => {
  admin = await startAdmin();
  parley = cliFor(admin);
});
afterAll(async () => {
  await admin?.close();
});

/** Expects a successful run and returns it. */
function ok(run: CliRun): CliRun {
  expect(run.stderr, run.stdout).toBe("");
  expect(run.code).toBe(0);
  return run;
}

/** Expects a failed run with exactly one line on stderr matching `pattern`. */
function failure(run: CliRun, code: number, pattern: RegExp): void {
  expect(run.code, run.stdout).toBe(code);
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

async function createProvider(id: string, ...flags: string[]): Promise<void> {
  ok(
    await parley([
      "providers",
      "create",
      id,
      "--kind",
      "openai",
      "--base-url",
      "https://example.test/v1",
      ...flags,
    ]),
  );
}

describe("parley providers", () => {
  it("create sets every field from flags, taking the key from an environment variable", async () => {
    const run = ok(
      await parley(
        [
          "providers",
          "create",
          "full",
          "--kind",
          "openai",
          "--base-url",
          "https://api.example.test/v1",
          "--api-key-env",
          "UPSTREAM_KEY",
          "--header",
          "http-referer=https://team.example",
          "--header",
          "x-title=parley",
          "--connect-timeout",
          "1.5s",
          "--response-headers-timeout",
          "2m",
          "--stream-idle-timeout",
          "500ms",
          "--total-timeout",
          "10m",
          "--max-retries",
          "3",
          "--failure-threshold",
          "7",
          "--open-duration",
          "45s",
          "--enabled=false",
          "--health-check-interval",
          "15m",
          "--json",
        ],
        { env: { UPSTREAM_KEY: "sk-secret-value-9876" } },
      ),
    );
    expect(run.stdout).not.toContain("sk-secret");
    const { provider } = jsonOf(run);
    expect(provider).toMatchObject({
      id: "full",
      kind: "PROVIDER_KIND_OPENAI",
      baseUrl: "https://api.example.test/v1",
      apiKeySet: true,
      apiKeyHint: "9876",
      headers: { "http-referer": "https://team.example", "x-title": "parley" },
      timeouts: { connect: "1.500s", responseHeaders: "120s", streamIdle: "0.500s", total: "600s" },
      retryPolicy: { maxRetries: 3 },
      circuitBreaker: { failureThreshold: 7, openDuration: "45s" },
      enabled: false,
      healthCheckInterval: "900s",
    });
    expect(provider.apiKey ?? "").toBe("");
  });

  it("create reads the key from stdin", async () => {
    const run = ok(
      await parley(
        [
          "providers",
          "create",
          "from-stdin",
          "--kind",
          "anthropic",
          "--base-url",
          "https://a.test",
          "--api-key-stdin",
          "--json",
        ],
        { stdin: "sk-ant-from-stdin-abcd\n" },
      ),
    );
    expect(jsonOf(run).provider).toMatchObject({
      kind: "PROVIDER_KIND_ANTHROPIC",
      apiKeySet: true,
      apiKeyHint: "abcd",
    });
  });

  it("list prints an aligned table with one row per provider", async () => {
    await createProvider("listed-a", "--api-key", "sk-test-1111");
    await createProvider("listed-b");
    const run = ok(await parley(["providers", "list"]));
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+KIND\s+BASE URL\s+API KEY\s+ENABLED\s+BREAKER\s+LAST HEALTH CHECK$/);
    const rowA = lines.find((line) => line.startsWith("listed-a "));
    const rowB = lines.find((line) => line.startsWith("listed-b "));
    expect(rowA).toMatch(/^listed-a\s+openai\s+https:\/\/example\.test\/v1\s+…1111\s+true\s+closed\s+-$/);
    expect(rowB).toMatch(/client's/);
    // Aligned: every row's second column starts where the KIND header does.
    const kindColumn = lines[0]!.indexOf("KIND");
    expect(rowA!.indexOf("openai")).toBe(kindColumn);
    expect(rowB!.indexOf("openai")).toBe(kindColumn);
  });

  it("list --json returns every provider as proto JSON", async () => {
    await createProvider("json-listed");
    const { providers } = jsonOf(ok(await parley(["providers", "list", "--json"])));
    expect(providers.map((p: { id: string }) => p.id)).toContain("json-listed");
    expect(providers.every((p: { kind: string }) => p.kind.startsWith("PROVIDER_KIND_"))).toBe(true);
  });

  it("get shows one provider's fields, and --json its message", async () => {
    await createProvider("shown", "--api-key", "sk-shown-4321", "--connect-timeout", "3s");
    const table = ok(await parley(["providers", "get", "shown"])).stdout;
    expect(table).toMatch(/^id\s+shown$/m);
    expect(table).toMatch(/^api_key\s+set, ends in 4321$/m);
    expect(table).toMatch(/^connect_timeout\s+3s$/m);
    expect(table).toMatch(/^total_timeout\s+default$/m);
    expect(table).not.toContain("sk-shown");
    const { provider } = jsonOf(ok(await parley(["providers", "get", "shown", "--json"])));
    expect(provider).toMatchObject({ id: "shown", apiKeyHint: "4321" });
  });

  it("update changes only the fields whose flags are given", async () => {
    await createProvider(
      "updated",
      "--api-key",
      "sk-keep-5555",
      "--header",
      "x-a=1",
      "--connect-timeout",
      "5s",
      "--total-timeout",
      "1m",
    );
    const first = jsonOf(
      ok(await parley(["providers", "update", "updated", "--base-url", "https://moved.test/v1", "--json"])),
    );
    expect(first.provider).toMatchObject({
      baseUrl: "https://moved.test/v1",
      apiKeySet: true,
      apiKeyHint: "5555",
      headers: { "x-a": "1" },
      timeouts: { connect: "5s", total: "60s" },
    });
    const second = jsonOf(
      ok(await parley(["providers", "update", "updated", "--connect-timeout", "2s", "--json"])),
    );
    expect(second.provider.timeouts).toMatchObject({ connect: "2s", total: "60s" });
    expect(second.provider.baseUrl).toBe("https://moved.test/v1");
    const third = jsonOf(
      ok(await parley(["providers", "update", "updated", "--enabled=false", "--clear-api-key", "--json"])),
    );
    expect(third.provider).toMatchObject({ enabled: false, apiKeySet: false, headers: { "x-a": "1" } });
  });

  it("delete removes the provider; get then fails with not_found", async () => {
    await createProvider("doomed");
    expect(ok(await parley(["providers", "delete", "doomed"])).stdout).toBe("deleted provider doomed\n");
    failure(await parley(["providers", "get", "doomed"]), 1, /^parley: not_found: .*doomed/);
  });

  it("a server-side validation error prints its code and message on one line", async () => {
    const run = await parley([
      "providers",
      "create",
      "bad-url",
      "--kind",
      "openai",
      "--base-url",
      "ftp://x.test",
    ]);
    failure(run, 1, /^parley: invalid_argument: provider\.base_url: /);
    expect(run.stdout).toBe("");
  });

  it("creating an existing id fails with already_exists", async () => {
    await createProvider("twice");
    failure(
      await parley(["providers", "create", "twice", "--kind", "openai", "--base-url", "https://x.test/v1"]),
      1,
      /^parley: already_exists: /,
    );
  });

  it.each([
    [
      ["providers", "create", "x", "--kind", "soap", "--base-url", "https://x.test"],
      /--kind: expected openai or anthropic/,
    ],
    [["providers", "create", "x", "--base-url", "https://x.test"], /--kind is required/],
    [["providers", "update", "x"], /nothing to update/],
    [["providers", "list", "--colour"], /Unknown option '--colour'/],
    [
      ["providers", "create", "x", "--kind", "openai", "--base-url", "h", "--connect-timeout", "10"],
      /--connect-timeout: expected a duration/,
    ],
    [
      ["providers", "create", "x", "--kind", "openai", "--base-url", "h", "--api-key-env", "NOPE_NOT_SET"],
      /NOPE_NOT_SET is not set/,
    ],
    [["providers", "frobnicate"], /unknown command "providers frobnicate"/],
    [["providers", "get"], /missing <id>/],
  ])("usage mistakes exit 2 with one line: %j", async (args, pattern) => {
    failure(await parley(args), 2, new RegExp(`^parley: .*${pattern.source}`));
  });

  it("an unreachable admin API fails with unavailable", async () => {
    const run = await runCli(["providers", "list", "--admin-url", "http://127.0.0.1:9"]);
    failure(run, 1, /^parley: unavailable: .*127\.0\.0\.1:9/);
  });
});

describe("parley chains", () => {
  beforeAll(async () => {
    await createProvider("chain-a");
    await createProvider("chain-b");
  });

  it("create keeps the targets in the order given; get and list show them", async () => {
    const created = jsonOf(
      ok(
        await parley([
          "chains",
          "create",
          "main",
          "--target",
          "chain-a/model-one",
          "--target",
          "chain-b/vendor/model-two",
          "--description",
          "primary then backup",
          "--json",
        ]),
      ),
    );
    expect(created.fallbackChain).toMatchObject({
      id: "main",
      description: "primary then backup",
      targets: [
        { providerId: "chain-a", upstreamModel: "model-one" },
        { providerId: "chain-b", upstreamModel: "vendor/model-two" },
      ],
    });
    const table = ok(await parley(["chains", "list"])).stdout;
    expect(table).toMatch(/^ID\s+TARGETS\s+DESCRIPTION$/m);
    expect(table).toMatch(/^main\s+chain-a\/model-one -> chain-b\/vendor\/model-two\s+primary then backup$/m);
    const fields = ok(await parley(["chains", "get", "main"])).stdout;
    expect(fields).toMatch(/^target 2\s+chain-b\/vendor\/model-two$/m);
    expect(
      jsonOf(ok(await parley(["chains", "list", "--json"]))).fallbackChains.map((c: { id: string }) => c.id),
    ).toContain("main");
  });

  it("update --description keeps the targets; update --target replaces them", async () => {
    ok(await parley(["chains", "create", "edited", "--target", "chain-a/m1", "--target", "chain-b/m2"]));
    const described = jsonOf(
      ok(await parley(["chains", "update", "edited", "--description", "now documented", "--json"])),
    );
    expect(described.fallbackChain.targets).toHaveLength(2);
    expect(described.fallbackChain.description).toBe("now documented");
    const retargeted = jsonOf(
      ok(await parley(["chains", "update", "edited", "--target", "chain-b/m3", "--json"])),
    );
    expect(retargeted.fallbackChain).toMatchObject({
      description: "now documented",
      targets: [{ providerId: "chain-b", upstreamModel: "m3" }],
    });
  });

  it("a chain naming a missing provider fails with failed_precondition", async () => {
    failure(
      await parley(["chains", "create", "dangling", "--target", "ghost/model"]),
      1,
      /^parley: failed_precondition: /,
    );
  });

  it("delete is refused while a mapping uses the chain, and works after", async () => {
    ok(await parley(["chains", "create", "in-use", "--target", "chain-a/m"]));
    ok(await parley(["mappings", "create", "uses-chain", "--alias", "in-use-*", "--chain", "in-use"]));
    failure(await parley(["chains", "delete", "in-use"]), 1, /^parley: failed_precondition: /);
    ok(await parley(["mappings", "delete", "uses-chain"]));
    expect(ok(await parley(["chains", "delete", "in-use"])).stdout).toBe("deleted chain in-use\n");
    failure(await parley(["chains", "get", "in-use"]), 1, /^parley: not_found: /);
  });
});

describe("parley mappings", () => {
  beforeAll(async () => {
    await createProvider("map-a");
    await createProvider("map-b");
    ok(await parley(["chains", "create", "map-chain", "--target", "map-a/x", "--target", "map-b/y"]));
  });

  it("create routes to a provider and model, or to a chain", async () => {
    const direct = jsonOf(
      ok(
        await parley([
          "mappings",
          "create",
          "haiku",
          "--alias",
          "claude-*haiku*",
          "--provider",
          "map-a",
          "--model",
          "small-model",
          "--max-output-tokens",
          "4096",
          "--json",
        ]),
      ),
    );
    expect(direct.modelMapping).toMatchObject({
      id: "haiku",
      alias: "claude-*haiku*",
      target: { providerId: "map-a", upstreamModel: "small-model" },
      maxOutputTokens: 4096,
    });
    const chained = jsonOf(
      ok(
        await parley([
          "mappings",
          "create",
          "claude",
          "--alias",
          "claude-*",
          "--chain",
          "map-chain",
          "--json",
        ]),
      ),
    );
    expect(chained.modelMapping).toMatchObject({ id: "claude", fallbackChainId: "map-chain" });
    const table = ok(await parley(["mappings", "list"])).stdout;
    expect(table).toMatch(/^ID\s+ALIAS\s+ROUTES TO\s+MAX OUTPUT TOKENS$/m);
    expect(table).toMatch(/^haiku\s+claude-\*haiku\*\s+map-a\/small-model\s+4096$/m);
    expect(table).toMatch(/^claude\s+claude-\*\s+chain map-chain\s+-$/m);
    expect(ok(await parley(["mappings", "get", "haiku"])).stdout).toMatch(
      /^routes_to\s+map-a\/small-model$/m,
    );
  });

  it("update --model keeps the provider; --chain switches to a chain; --max-output-tokens none clears", async () => {
    ok(
      await parley([
        "mappings",
        "create",
        "moving",
        "--alias",
        "moving",
        "--provider",
        "map-a",
        "--model",
        "m1",
        "--max-output-tokens",
        "100",
      ]),
    );
    const remodelled = jsonOf(ok(await parley(["mappings", "update", "moving", "--model", "m2", "--json"])));
    expect(remodelled.modelMapping).toMatchObject({
      alias: "moving",
      target: { providerId: "map-a", upstreamModel: "m2" },
      maxOutputTokens: 100,
    });
    const chained = jsonOf(
      ok(await parley(["mappings", "update", "moving", "--chain", "map-chain", "--json"])),
    );
    expect(chained.modelMapping.fallbackChainId).toBe("map-chain");
    expect(chained.modelMapping.target).toBeUndefined();
    const unclamped = jsonOf(
      ok(await parley(["mappings", "update", "moving", "--max-output-tokens", "none", "--json"])),
    );
    expect(unclamped.modelMapping.maxOutputTokens).toBeUndefined();
    expect(unclamped.modelMapping.fallbackChainId).toBe("map-chain");
    const renamed = jsonOf(
      ok(await parley(["mappings", "update", "moving", "--alias", "moved-*", "--json"])),
    );
    expect(renamed.modelMapping).toMatchObject({ alias: "moved-*", fallbackChainId: "map-chain" });
  });

  it("delete removes the mapping", async () => {
    ok(await parley(["mappings", "create", "gone", "--alias", "gone", "--provider", "map-b"]));
    expect(ok(await parley(["mappings", "delete", "gone", "--json"])).stdout.trim()).toBe("{}");
    failure(await parley(["mappings", "get", "gone"]), 1, /^parley: not_found: /);
  });

  it("errors: a missing provider, a taken alias, no destination", async () => {
    failure(
      await parley(["mappings", "create", "orphan", "--alias", "orphan", "--provider", "nobody"]),
      1,
      /^parley: failed_precondition: /,
    );
    ok(await parley(["mappings", "create", "first", "--alias", "same-alias", "--provider", "map-a"]));
    failure(
      await parley(["mappings", "create", "second", "--alias", "SAME-alias", "--provider", "map-a"]),
      1,
      /^parley: already_exists: /,
    );
    failure(
      await parley(["mappings", "create", "nowhere", "--alias", "x"]),
      2,
      /^parley: a destination is required/,
    );
    failure(
      await parley([
        "mappings",
        "create",
        "both",
        "--alias",
        "x",
        "--provider",
        "map-a",
        "--chain",
        "map-chain",
      ]),
      2,
      /^parley: --chain cannot be combined/,
    );
  });
});

describe("admin token", () => {
  let guarded: AdminUnderTest;
  beforeAll(async () => {
    guarded = await startAdmin({ PARLEY_ADMIN_TOKEN: "tok-for-tests" });
  });
  afterAll(async () => {
    await guarded?.close();
  });

  it("without the token the CLI fails with unauthenticated", async () => {
    failure(
      await runCli(["providers", "list", "--admin-url", guarded.adminUrl]),
      1,
      /^parley: unauthenticated: /,
    );
    failure(
      await runCli(["providers", "list", "--admin-url", guarded.adminUrl, "--token", "wrong"]),
      1,
      /^parley: unauthenticated: /,
    );
  });

  it("--token and PARLEY_ADMIN_TOKEN both authenticate", async () => {
    ok(await runCli(["providers", "list", "--admin-url", guarded.adminUrl, "--token", "tok-for-tests"]));
    const run = ok(
      await runCli(["providers", "list", "--json"], {
        env: { PARLEY_ADMIN_URL: guarded.adminUrl, PARLEY_ADMIN_TOKEN: "tok-for-tests" },
      }),
    );
    expect(jsonOf(run).providers).toEqual([]);
  });
});
