// `parley health run|list|get` as a subprocess against a real admin API whose health checks
// reach a mock OpenAI-compatible upstream over a real socket: results print as they land,
// and the exit code says whether every model answered.
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { type AdminUnderTest, type CliRun, cliFor, jsonOf, startAdmin, startCli } from "./cli-harness.js";

let admin: AdminUnderTest;
let upstream: MockUpstream;
let parley: ReturnType<typeof cliFor>;
/** Releases the held "slow-model" request. */
let releaseSlow: () => void = () => {};

function completion(res: ServerResponse, model: string): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      id: "chatcmpl-health",
      object: "chat.completion",
      created: 1_700_000_000,
      model,
      choices: [
        { index: 0, message: { role: "assistant", content: "o" }, finish_reason: "length", logprobs: null },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
    }),
  );
}

beforeAll(async () => {
  upstream = await startMockUpstream(async (req, res) => {
    const model = String(req.json?.model ?? "");
    if (model === "bad-model") {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: {
            message: "Incorrect API key provided",
            type: "invalid_request_error",
            code: "invalid_api_key",
          },
        }),
      );
      return;
    }
    if (model === "slow-model") await new Promise<void>((resolve) => (releaseSlow = resolve));
    completion(res, model);
  });
  admin = await startAdmin();
  parley = cliFor(admin);
  const created = await parley([
    "providers",
    "create",
    "mock",
    "--kind",
    "openai",
    "--base-url",
    `${upstream.url}/v1`,
    "--api-key",
    "sk-mock-key-0000",
  ]);
  expect(created.code, created.stderr).toBe(0);
  const mapped = await parley([
    "mappings",
    "create",
    "mapped",
    "--alias",
    "mapped",
    "--provider",
    "mock",
    "--model",
    "good-model",
  ]);
  expect(mapped.code, mapped.stderr).toBe(0);
});
afterAll(async () => {
  releaseSlow();
  await admin?.close();
  await upstream?.close();
});

function lines(run: CliRun): string[] {
  return run.stdout.trimEnd().split("\n");
}

describe("parley health run", () => {
  it("a healthy model: one result row and exit 0", async () => {
    const run = await parley(["health", "run", "mock", "--models", "good-model", "--timeout", "5s"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(lines(run)[0]).toMatch(/^health check \S+ on provider mock: (pending|running)$/);
    expect(run.stdout).toMatch(/^MODEL\s+RESULT\s+STATUS\s+LATENCY\s+ERROR$/m);
    expect(run.stdout).toMatch(/^good-model\s+healthy\s+200\s+\d+(\.\d+)?m?s$/m);
    expect(lines(run).at(-1)).toBe("succeeded: 1/1 models healthy");
  });

  it("an unhealthy model: its row shows the status and the run exits 1 naming it", async () => {
    const run = await parley([
      "health",
      "run",
      "mock",
      "--models",
      "good-model,bad-model",
      "--concurrency",
      "2",
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^bad-model\s+unhealthy\s+401\s+\S+\s+\S.*$/m);
    expect(run.stdout).toMatch(/^good-model\s+healthy\s+200/m);
    expect(run.stdout).not.toContain("sk-mock-key");
    expect(run.stderr).toBe("parley: 1 of 2 models unhealthy: bad-model\n");
  });

  it("without --models checks every model mapped to the provider", async () => {
    const run = await parley(["health", "run", "mock"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^good-model\s+healthy/m);
  });

  it("prints each result as it lands, before the job ends", async () => {
    const live = startCli(
      ["health", "run", "mock", "--models", "good-model,slow-model", "--concurrency", "2"],
      {
        env: { PARLEY_ADMIN_URL: admin.adminUrl },
      },
    );
    const early = await live.waitForStdout(/^good-model\s+healthy/m);
    // The slow model's request is still held by the mock: the job cannot have ended yet.
    expect(early).not.toMatch(/slow-model/);
    expect(early).not.toMatch(/succeeded/);
    releaseSlow();
    const run = await live.done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^slow-model\s+healthy\s+200/m);
    expect(run.stdout.indexOf("good-model  ")).toBeLessThan(run.stdout.indexOf("slow-model  "));
  });

  it("--json prints one proto JSON message per line, ending with the final state", async () => {
    const run = await parley(["health", "run", "mock", "--models", "good-model", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const messages = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(messages[0].job.providerId).toBe("mock");
    const results = messages.filter((m) => m.result).map((m) => m.result);
    expect(results).toEqual([
      expect.objectContaining({ model: "good-model", healthy: true, httpStatus: 200 }),
    ]);
    expect(messages.at(-1).job.state).toBe("HEALTH_CHECK_JOB_STATE_SUCCEEDED");
  });

  it("an unknown provider fails with one line and exit 1", async () => {
    const run = await parley(["health", "run", "nobody"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^parley: (not_found|failed_precondition|invalid_argument): .*\n$/);
  });
});

describe("parley health list and get", () => {
  it("list shows the jobs run so far; get shows one job and its results", async () => {
    const ran = await parley(["health", "run", "mock", "--models", "bad-model", "--json"]);
    const jobId: string = JSON.parse(ran.stdout.split("\n")[0]!).job.id;
    const table = await parley(["health", "list", "--provider", "mock"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+PROVIDER\s+STATE\s+HEALTHY\s+SCHEDULED\s+CREATED$/m);
    expect(table.stdout).toMatch(new RegExp(`^${jobId}\\s+mock\\s+succeeded\\s+0/1\\s+no\\s+\\d{4}-`, "m"));
    const listed = jsonOf(await parley(["health", "list", "--json"]));
    expect(listed.jobs.map((job: { id: string }) => job.id)).toContain(jobId);
    const shown = await parley(["health", "get", jobId]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^state\s+succeeded$/m);
    expect(shown.stdout).toMatch(/^bad-model\s+unhealthy\s+401/m);
    const json = jsonOf(await parley(["health", "get", jobId, "--json"]));
    expect(json.job).toMatchObject({ id: jobId, providerId: "mock", models: ["bad-model"] });
    expect(json.job.results[0]).toMatchObject({ model: "bad-model", healthy: false, httpStatus: 401 });
  });
});
