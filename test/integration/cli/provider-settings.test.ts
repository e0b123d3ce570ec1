// `parley providers` with the per-provider dialect settings and the live breaker state: the
// flags set, reset and refuse them, `get` and `list` show them, and the breaker of a provider
// whose upstream keeps failing reads OPEN with its failure count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { type AdminUnderTest, type CliRun, cliFor, jsonOf, startAdmin } from "./cli-harness.js";

let upstream: MockUpstream;
let admin: AdminUnderTest;
let parley: ReturnType<typeof cliFor>;

beforeAll(async () => {
  upstream = await startMockUpstream((_req, res) =>
    json(res, 502, { error: { message: "bad gateway", type: "server_error" } }),
  );
  // The quick-start provider "openai" points at the failing upstream; one attempt per request.
  admin = await startAdmin({
    PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
    PARLEY_OPENAI_API_KEY: "sk-upstream-0001",
    PARLEY_MAX_RETRIES: "0",
  });
  parley = cliFor(admin);
});
afterAll(async () => {
  await admin?.close();
  await upstream?.close();
});

function ok(run: CliRun): CliRun {
  expect(run.stderr, run.stdout).toBe("");
  expect(run.code).toBe(0);
  return run;
}

const create = (id: string, kind: string, baseUrl: string, ...flags: string[]) =>
  parley(["providers", "create", id, "--kind", kind, "--base-url", baseUrl, ...flags]);

describe("parley providers: demote_nonstreaming and responses_api", () => {
  it("create sets both; get shows them and --json carries them", async () => {
    const created = jsonOf(
      ok(
        await create(
          "codex",
          "openai",
          "https://llm.internal/v1",
          "--demote-nonstreaming",
          "--responses-api",
          "false",
          "--json",
        ),
      ),
    );
    expect(created.provider).toMatchObject({ demoteNonstreaming: true, responsesApi: false });
    const fields = ok(await parley(["providers", "get", "codex"])).stdout;
    expect(fields).toMatch(/^demote_nonstreaming\s+true$/m);
    expect(fields).toMatch(/^responses_api\s+false$/m);
  });

  it("unset, get says which default applies", async () => {
    ok(await create("plain", "openai", "https://api.openai.com/v1"));
    const fields = ok(await parley(["providers", "get", "plain"])).stdout;
    expect(fields).toMatch(/^demote_nonstreaming\s+default$/m);
    expect(fields).toMatch(/^responses_api\s+default \(on for api\.openai\.com only\)$/m);
    const { provider } = jsonOf(ok(await parley(["providers", "get", "plain", "--json"])));
    expect(provider.demoteNonstreaming).toBeUndefined();
    expect(provider.responsesApi).toBeUndefined();
  });

  it("update changes only the flag given; the word default resets it", async () => {
    ok(
      await create(
        "switched",
        "openai",
        "https://llm.internal/v1",
        "--responses-api",
        "--demote-nonstreaming=false",
      ),
    );
    const flipped = jsonOf(
      ok(await parley(["providers", "update", "switched", "--demote-nonstreaming", "--json"])),
    );
    expect(flipped.provider).toMatchObject({ demoteNonstreaming: true, responsesApi: true });
    const reset = jsonOf(
      ok(await parley(["providers", "update", "switched", "--responses-api", "default", "--json"])),
    );
    expect(reset.provider.demoteNonstreaming).toBe(true);
    expect(reset.provider.responsesApi).toBeUndefined();
  });

  it("--responses-api on an Anthropic provider is refused by the server, naming the field", async () => {
    const run = await create("claude", "anthropic", "https://api.anthropic.com", "--responses-api");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^parley: invalid_argument: provider\.responses_api: applies only to PROVIDER_KIND_OPENAI/,
    );
    ok(await create("claude", "anthropic", "https://api.anthropic.com", "--demote-nonstreaming"));
    expect(ok(await parley(["providers", "get", "claude"])).stdout).toMatch(/^responses_api\s+-$/m);
  });

  it("a value that is not true, false or default is a usage error", async () => {
    const run = await parley(["providers", "update", "plain", "--responses-api=maybe"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('parley: --responses-api: expected true or false, got "maybe"\n');
  });
});

describe("parley providers: the breaker state", () => {
  it("a provider without traffic reads closed", async () => {
    expect(ok(await parley(["providers", "get", "openai"])).stdout).toMatch(/^breaker\s+closed$/m);
  });

  it("after five failed requests list and get show it open with 5 failures, and when it retries", async () => {
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${admin.dataPlaneUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(response.status).toBe(502);
      await response.arrayBuffer();
    }
    const table = ok(await parley(["providers", "list"])).stdout;
    expect(table.split("\n").find((line) => line.startsWith("openai "))).toMatch(
      /\s+true\s+open \(5 failures\)\s+-$/,
    );
    const fields = ok(await parley(["providers", "get", "openai"])).stdout;
    expect(fields).toMatch(/^breaker\s+open \(5 failures\)$/m);
    const opened = Date.parse(/^breaker_opened\s+(\S+)$/m.exec(fields)?.[1] ?? "");
    const retry = Date.parse(/^breaker_retry\s+(\S+)$/m.exec(fields)?.[1] ?? "");
    expect(Math.abs(Date.now() - opened)).toBeLessThan(60_000);
    // Shown to the second, so the 30 s open duration can read as 30 or 31 seconds.
    expect(retry - opened).toBeGreaterThanOrEqual(29_000);
    expect(retry - opened).toBeLessThanOrEqual(31_000);
    const { provider } = jsonOf(ok(await parley(["providers", "get", "openai", "--json"])));
    expect(provider.status).toMatchObject({ breakerState: "BREAKER_STATE_OPEN", consecutiveFailures: 5 });
  });
});
