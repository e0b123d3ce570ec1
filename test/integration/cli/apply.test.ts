// `parley apply -f` as a subprocess against a real admin API: the first run creates
// everything, a second plans nothing, a changed file updates and deletes exactly what
// changed (in an order the server accepts), --dry-run writes nothing, and a missing
// ${ENV} reference fails naming the variable.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type AdminUnderTest,
  type CliRun,
  cliFor,
  jsonOf,
  runTypeScript,
  startAdmin,
} from "./cli-harness.js";

const KEYS = { ANTHROPIC_API_KEY: "sk-ant-test-aaaa", OPENAI_API_KEY: "sk-openai-test-bbbb" };

/** The example shipped with the project, with its keys from KEYS. */
const EXAMPLE = "examples/setup.yaml";

/** The example after a migration from OpenAI to OpenRouter, and a few smaller edits. */
const CHANGED = `
providers:
  - id: anthropic
    kind: anthropic
    base_url: https://api.anthropic.com
    api_key: \${ANTHROPIC_API_KEY}
    timeouts: { connect: 10s, response_headers: 2m, stream_idle: 5m }
    retry_policy: { max_retries: 2 }
    circuit_breaker: { failure_threshold: 5, open_duration: 30s }
    health_check_interval: 15m
  - id: openrouter
    kind: openai
    base_url: https://openrouter.ai/api/v1
    api_key: \${OPENROUTER_API_KEY}
    headers: { HTTP-Referer: "https://team.example" }
chains:
  - id: claude-main
    description: Anthropic first, OpenRouter when Anthropic is down
    targets:
      - anthropic/claude-sonnet-4-5
      - openrouter/anthropic/claude-sonnet-4.5
mappings:
  - id: claude-haiku
    alias: "claude-*haiku*"
    target: { provider: openrouter, model: openai/gpt-4.1-mini }
    max_output_tokens: 8192
  - id: claude
    alias: "claude-*"
    chain: claude-main
`;

let admin: AdminUnderTest;
let parley: ReturnType<typeof cliFor>;
let dir: string;

beforeEach(async () => {
  admin = await startAdmin();
  parley = cliFor(admin);
  dir = mkdtempSync(join(tmpdir(), "parley-apply-"));
});
afterEach(async () => {
  await admin?.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function ok(run: CliRun): CliRun {
  expect(run.stderr, run.stdout).toBe("");
  expect(run.code).toBe(0);
  return run;
}

/** The whole admin state as the CLI's --json lists report it, without timestamps. */
async function state() {
  const strip = (items: Record<string, unknown>[]) =>
    items.map(({ createTime: _c, updateTime: _u, lastHealthCheck: _l, ...rest }) => rest);
  return {
    providers: strip(jsonOf(ok(await parley(["providers", "list", "--json"]))).providers),
    chains: strip(jsonOf(ok(await parley(["chains", "list", "--json"]))).fallbackChains),
    mappings: strip(jsonOf(ok(await parley(["mappings", "list", "--json"]))).modelMappings),
  };
}

describe("parley apply", () => {
  it("the first run creates everything in the example, in dependency order", async () => {
    const run = ok(await parley(["apply", "-f", EXAMPLE], { env: KEYS }));
    expect(run.stdout).toContain(`Plan for ${EXAMPLE}: 6 to create, 0 to update, 0 to delete`);
    const planned = run.stdout.split("\n").filter((line) => line.startsWith("  + "));
    expect(planned).toEqual([
      "  + provider anthropic",
      "  + provider openai",
      "  + chain claude-main",
      "  + mapping claude-haiku",
      "  + mapping claude",
      "  + mapping gpt-4-1",
    ]);
    expect(run.stdout).toContain("Applied 6 changes.");
    expect(run.stdout).not.toContain("sk-");

    const now = await state();
    expect(now.providers).toEqual([
      expect.objectContaining({
        id: "anthropic",
        kind: "PROVIDER_KIND_ANTHROPIC",
        apiKeySet: true,
        apiKeyHint: "aaaa",
        timeouts: expect.objectContaining({ connect: "10s", responseHeaders: "120s", streamIdle: "300s" }),
        retryPolicy: { maxRetries: 2 },
        circuitBreaker: { failureThreshold: 5, openDuration: "30s" },
        healthCheckInterval: "900s",
      }),
      expect.objectContaining({ id: "openai", baseUrl: "https://api.openai.com/v1", apiKeyHint: "bbbb" }),
    ]);
    expect(now.chains).toEqual([
      expect.objectContaining({
        id: "claude-main",
        targets: [
          { providerId: "anthropic", upstreamModel: "claude-sonnet-4-5" },
          { providerId: "openai", upstreamModel: "gpt-4.1" },
        ],
      }),
    ]);
    expect(now.mappings.map((m) => [m.id, m.alias])).toEqual([
      ["claude", "claude-*"],
      ["claude-haiku", "claude-*haiku*"],
      ["gpt-4-1", "gpt-4.1"],
    ]);
  });

  it("a second run with the same file plans nothing and writes nothing", async () => {
    ok(await parley(["apply", "-f", EXAMPLE], { env: KEYS }));
    const before = await state();
    const run = ok(await parley(["apply", "-f", EXAMPLE], { env: KEYS }));
    expect(run.stdout).toBe(`No changes: the admin state already matches ${EXAMPLE}.\n`);
    const json = jsonOf(ok(await parley(["apply", "-f", EXAMPLE, "--json"], { env: KEYS })));
    expect(json).toMatchObject({ plan: [], applied: 0 });
    expect(await state()).toEqual(before);
  });

  it("a changed file updates and deletes exactly what changed", async () => {
    ok(await parley(["apply", "-f", EXAMPLE], { env: KEYS }));
    const path = file("changed.yaml", CHANGED);
    const env = { ...KEYS, OPENROUTER_API_KEY: "sk-or-test-cccc" };
    const run = ok(await parley(["apply", "-f", path, "--json"], { env }));
    const plan = jsonOf(run).plan.map((step: { action: string; resource: string; id: string }) =>
      [step.action, step.resource, step.id].join(" "),
    );
    // Providers and chains are written before the mappings that use them; the old mapping
    // and provider go last, once nothing refers to them.
    expect(plan).toEqual([
      "create provider openrouter",
      "update chain claude-main",
      "delete mapping gpt-4-1",
      "update mapping claude-haiku",
      "delete provider openai",
    ]);
    const chainChange = jsonOf(run).plan[1].changes.map((c: { field: string }) => c.field);
    expect(chainChange).toEqual(["description", "targets"]);
    const haikuChange = jsonOf(run).plan[3].changes.map((c: { field: string }) => c.field);
    expect(haikuChange).toEqual(["target"]);

    const now = await state();
    expect(now.providers.map((p) => p.id)).toEqual(["anthropic", "openrouter"]);
    expect(now.providers[1]).toMatchObject({
      apiKeyHint: "cccc",
      headers: { "HTTP-Referer": "https://team.example" },
    });
    expect(now.chains[0]!.targets).toEqual([
      { providerId: "anthropic", upstreamModel: "claude-sonnet-4-5" },
      { providerId: "openrouter", upstreamModel: "anthropic/claude-sonnet-4.5" },
    ]);
    expect(now.mappings.map((m) => m.id)).toEqual(["claude", "claude-haiku"]);
    expect(now.mappings[1]).toMatchObject({
      target: { providerId: "openrouter", upstreamModel: "openai/gpt-4.1-mini" },
      maxOutputTokens: 8192,
    });
    ok(await parley(["apply", "-f", path], { env }));
    expect(jsonOf(ok(await parley(["apply", "-f", path, "--json"], { env }))).plan).toEqual([]);
  });

  it("a rotated key and a changed field show as an update of just those fields", async () => {
    ok(await parley(["apply", "-f", EXAMPLE], { env: KEYS }));
    const run = ok(
      await parley(["apply", "-f", EXAMPLE], { env: { ...KEYS, OPENAI_API_KEY: "sk-openai-rotated-dddd" } }),
    );
    expect(run.stdout).toContain("0 to create, 1 to update, 0 to delete");
    expect(run.stdout).toContain("  ~ provider openai\n      api_key: replaced\n");
    expect(run.stdout).not.toContain("rotated");
    const providers = jsonOf(ok(await parley(["providers", "list", "--json"]))).providers;
    expect(providers[1]).toMatchObject({ id: "openai", apiKeyHint: "dddd" });
  });

  it("demote_nonstreaming and responses_api are applied, idempotent, and updated alone", async () => {
    const settings = (responsesApi: string) => `
providers:
  - id: codex
    kind: openai
    base_url: https://llm.internal/v1
    demote_nonstreaming: true
    responses_api: ${responsesApi}
  - id: claude
    kind: anthropic
    base_url: https://api.anthropic.com
    demote_nonstreaming: false
`;
    const path = file("settings.yaml", settings("true"));
    ok(await parley(["apply", "-f", path]));
    const providers = (await state()).providers;
    expect(providers.map((p) => [p.id, p.demoteNonstreaming, p.responsesApi])).toEqual([
      ["claude", false, undefined],
      ["codex", true, true],
    ]);
    expect(ok(await parley(["apply", "-f", path])).stdout).toBe(
      `No changes: the admin state already matches ${path}.\n`,
    );

    writeFileSync(path, settings("false"));
    const run = ok(await parley(["apply", "-f", path]));
    expect(run.stdout).toContain("0 to create, 1 to update, 0 to delete");
    expect(run.stdout).toContain("  ~ provider codex\n      responses_api: true -> false\n");
    expect((await state()).providers[1]).toMatchObject({ demoteNonstreaming: true, responsesApi: false });
    expect(jsonOf(ok(await parley(["apply", "-f", path, "--json"]))).plan).toEqual([]);
  });

  it("resources the file does not list are deleted", async () => {
    ok(await parley(["apply", "-f", EXAMPLE], { env: KEYS }));
    ok(
      await parley([
        "providers",
        "create",
        "stray",
        "--kind",
        "openai",
        "--base-url",
        "https://stray.test/v1",
      ]),
    );
    ok(await parley(["mappings", "create", "stray-map", "--alias", "stray", "--provider", "stray"]));
    const run = ok(await parley(["apply", "-f", EXAMPLE], { env: KEYS }));
    expect(run.stdout).toContain("  - mapping stray-map\n  - provider stray\n");
    expect((await state()).providers.map((p) => p.id)).toEqual(["anthropic", "openai"]);
  });

  it("the example script sets up exactly what the example file describes", async () => {
    const script = await runTypeScript("examples/setup-with-client.ts", {
      env: { ...KEYS, PARLEY_ADMIN_URL: admin.adminUrl },
    });
    expect(script.code, script.stderr).toBe(0);
    expect(script.stdout).toContain("created mapping claude-haiku");
    const run = ok(await parley(["apply", "-f", EXAMPLE, "--dry-run"], { env: KEYS }));
    expect(run.stdout).toBe(`No changes: the admin state already matches ${EXAMPLE}.\n`);
  });

  it("--dry-run prints the plan and changes nothing", async () => {
    ok(await parley(["apply", "-f", EXAMPLE], { env: KEYS }));
    const before = await state();
    const path = file("changed.yaml", CHANGED);
    const env = { ...KEYS, OPENROUTER_API_KEY: "sk-or-test-cccc" };
    const run = ok(await parley(["apply", "-f", path, "--dry-run"], { env }));
    expect(run.stdout).toContain("1 to create, 2 to update, 2 to delete");
    expect(run.stdout).toContain("  ~ chain claude-main\n");
    expect(run.stdout).toContain("Dry run: nothing was changed.");
    expect(await state()).toEqual(before);
  });

  it("a missing environment variable reference fails naming the variable, before any write", async () => {
    const run = await parley(["apply", "-f", EXAMPLE], { env: { OPENAI_API_KEY: "sk-x-1234" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `parley: ${EXAMPLE}: providers[0].api_key: environment variable ANTHROPIC_API_KEY is not set\n`,
    );
    expect(run.stdout).toBe("");
    expect((await state()).providers).toEqual([]);
  });

  it.each([
    [
      "an unknown field",
      "providers:\n  - id: a\n    kind: openai\n    base_url: https://a.test\n    base_ulr: x\n",
      /providers\[0\]\.base_ulr: unknown field/,
    ],
    [
      "a mapping to a provider not in the file",
      "mappings:\n  - id: m\n    alias: m\n    target: ghost/x\n",
      /mappings\[0\]\.target: provider "ghost" is not in the file/,
    ],
    [
      "both target and chain",
      "mappings:\n  - id: m\n    alias: m\n    target: a/x\n    chain: c\n",
      /mappings\[0\]: give exactly one of target/,
    ],
    [
      "a bad duration",
      "providers:\n  - id: a\n    kind: openai\n    base_url: https://a.test\n    timeouts: { connect: 10 }\n",
      /providers\[0\]\.timeouts\.connect: expected a string/,
    ],
    [
      "a duplicate id",
      "chains:\n  - { id: c, targets: [a] }\n  - { id: c, targets: [a] }\n",
      /chains\[1\]\.id: "c" appears twice/,
    ],
    ["broken YAML", "providers: [\n", /not valid YAML/],
    [
      "responses_api on an Anthropic provider",
      "providers:\n  - { id: a, kind: anthropic, base_url: https://a.test, responses_api: true }\n",
      /providers\[0\]\.responses_api: applies only to kind openai/,
    ],
  ])("a setup file with %s fails with one line naming the field", async (_name, text, pattern) => {
    const path = file("bad.yaml", text);
    const run = await parley(["apply", "-f", path]);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(
      new RegExp(`^parley: ${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: .*${pattern.source}`),
    );
  });

  it("a write the server refuses stops apply with the step, the progress and the reason", async () => {
    const path = file(
      "refused.yaml",
      "providers:\n  - { id: fine, kind: openai, base_url: https://fine.test/v1 }\n  - { id: slow, kind: openai, base_url: https://slow.test/v1, timeouts: { connect: 100h } }\n",
    );
    const run = await parley(["apply", "-f", path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^parley: create provider slow failed \(1 of 2 changes applied\): invalid_argument: .*connect/,
    );
    expect((await state()).providers.map((p) => p.id)).toEqual(["fine"]);
  });
});
