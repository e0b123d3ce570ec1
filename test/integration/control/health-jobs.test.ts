// HealthCheckService through a real Connect client against a real server, temp SQLite file
// and mock upstreams on real sockets: what a job sends and records for each provider kind,
// that Create returns before the job ends, the watch stream, bounded concurrency, model
// resolution through mappings and chains, listing, validation and the provider summary.
import { durationFromMs, durationMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type HealthCheckJob,
  HealthCheckJobState,
  type WatchHealthCheckJobResponse,
} from "../../../src/gen/parley/admin/v1/health_check_pb.js";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { errorOf } from "./admin-harness.js";
import { eventually, gate, type HealthHarness, removeDir, startHealthHarness } from "./health-harness.js";

let h: HealthHarness;
const mocks: MockUpstream[] = [];

beforeAll(async () => {
  h = await startHealthHarness();
});
afterAll(async () => {
  await h.close();
  await Promise.all(mocks.map((m) => m.close()));
  removeDir(h.dir);
});

async function mock(handler: Parameters<typeof startMockUpstream>[0]): Promise<MockUpstream> {
  const m = await startMockUpstream(handler);
  mocks.push(m);
  return m;
}

async function provider(id: string, kind: "openai" | "anthropic", url: string, apiKey: string) {
  await h.providers.createProvider({
    provider: {
      id,
      kind: kind === "openai" ? ProviderKind.OPENAI : ProviderKind.ANTHROPIC,
      baseUrl: kind === "openai" ? `${url}/v1` : url,
      apiKey,
      headers: { "X-Team": "platform" },
    },
  });
}

/** Waits for a job to end and returns it with its results. */
async function finished(id: string): Promise<HealthCheckJob> {
  return eventually(async () => {
    const { job } = await h.health.getHealthCheckJob({ id });
    return job && job.state >= HealthCheckJobState.SUCCEEDED ? job : undefined;
  });
}

function resultOf(job: HealthCheckJob, model: string) {
  const result = job.results.find((r) => r.model === model);
  if (!result) throw new Error(`no result for ${model}`);
  return result;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const KINDS = [
  {
    kind: "openai" as const,
    path: "/v1/chat/completions",
    ok: { id: "chatcmpl-1", object: "chat.completion", choices: [], model: "m" },
    unauthorized: (key: string) => ({
      error: {
        message: `Incorrect API key provided: ${key}.`,
        type: "invalid_request_error",
        code: "invalid_api_key",
      },
    }),
    keyHeader: "authorization",
    keyValue: (key: string) => `Bearer ${key}`,
  },
  {
    kind: "anthropic" as const,
    path: "/v1/messages",
    ok: { id: "msg_1", type: "message", role: "assistant", content: [], model: "m" },
    unauthorized: (key: string) => ({
      type: "error",
      error: { type: "authentication_error", message: `invalid x-api-key: ${key}` },
    }),
    keyHeader: "x-api-key",
    keyValue: (key: string) => key,
  },
];

describe.each(KINDS)("a job against $kind upstreams", (k) => {
  const goodKey = `sk-${k.kind}-good-key-0001`;
  const badKey = `sk-${k.kind}-revoked-key-9999`;
  let job: HealthCheckJob;
  let badJob: HealthCheckJob;
  let upstream: MockUpstream;
  let rejecting: MockUpstream;

  beforeAll(async () => {
    upstream = await mock(async (req, res) => {
      if (req.json?.model === "slow-model") await sleep(1_500);
      if (!res.destroyed) json(res, 200, k.ok);
    });
    rejecting = await mock((req, res) =>
      // Echoes the key it was sent, as some upstreams and proxies do.
      json(res, 401, k.unauthorized(req.headers[k.keyHeader] as string)),
    );
    await provider(`${k.kind}-live`, k.kind, upstream.url, goodKey);
    await provider(`${k.kind}-revoked`, k.kind, rejecting.url, badKey);
    const created = await h.health.createHealthCheckJob({
      job: {
        providerId: `${k.kind}-live`,
        models: ["good-model", "slow-model"],
        timeout: durationFromMs(300),
      },
    });
    job = await finished(created.job!.id);
    const createdBad = await h.health.createHealthCheckJob({
      job: { providerId: `${k.kind}-revoked`, models: ["good-model"] },
    });
    badJob = await finished(createdBad.job!.id);
  });

  it("sends the minimal request with the provider's credentials and headers", () => {
    const sent = upstream.requests.find((r) => r.json?.model === "good-model");
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe(k.path);
    expect(sent?.json).toEqual({
      model: "good-model",
      max_tokens: 1,
      messages: [{ role: "user", content: "ping" }],
    });
    expect(sent?.headers[k.keyHeader]).toBe(k.keyValue(goodKey));
    expect(sent?.headers["x-team"]).toBe("platform");
    expect(sent?.headers["anthropic-version"]).toBe(k.kind === "anthropic" ? "2023-06-01" : undefined);
  });

  it("ends SUCCEEDED even when some models are unhealthy", () => {
    expect(job.state).toBe(HealthCheckJobState.SUCCEEDED);
    expect(job.error).toBe("");
    expect(job.results.map((r) => r.model).sort()).toEqual(["good-model", "slow-model"]);
    expect(job.startTime).toBeDefined();
    expect(job.endTime).toBeDefined();
  });

  it("records a model answering 2xx as healthy with its status and latency", () => {
    const good = resultOf(job, "good-model");
    expect(good).toMatchObject({ healthy: true, httpStatus: 200, error: "" });
    expect(good.latency).toBeDefined();
    expect(good.checkTime).toBeDefined();
  });

  it("records a model slower than the timeout as unhealthy with status 0 and a timeout error", () => {
    const slow = resultOf(job, "slow-model");
    expect(slow).toMatchObject({ healthy: false, httpStatus: 0 });
    expect(slow.error).toMatch(/timed out after 300ms/);
    const latency = durationMs(slow.latency!);
    expect(latency).toBeGreaterThanOrEqual(250);
    expect(latency).toBeLessThan(1_400);
  });

  it("records a 401 with the upstream's message and the API key scrubbed", () => {
    expect(badJob.state).toBe(HealthCheckJobState.SUCCEEDED);
    const result = resultOf(badJob, "good-model");
    expect(result).toMatchObject({ healthy: false, httpStatus: 401 });
    expect(result.error).toMatch(/^HTTP 401: /);
    expect(result.error).toContain("[redacted]");
    expect(result.error).not.toContain(badKey);
    expect(rejecting.requests[0]?.headers[k.keyHeader]).toBe(k.keyValue(badKey));
  });
});

describe("Create and Watch", () => {
  let upstream: MockUpstream;
  const gates = new Map<string, ReturnType<typeof gate>>();
  const release = (model: string) => gates.get(model)?.open();

  beforeAll(async () => {
    upstream = await mock(async (req, res) => {
      const g = gate();
      gates.set(req.json?.model, g);
      await g.promise;
      json(res, req.json?.model === "model-b" ? 503 : 200, { error: { message: "overloaded" } });
    });
    await provider("gated", "openai", upstream.url, "sk-gated-0001");
  });

  it("Create returns PENDING before any request is answered, and the job runs in the background", async () => {
    const { job } = await h.health.createHealthCheckJob({
      job: { providerId: "gated", models: ["model-x"] },
    });
    expect(job?.state).toBe(HealthCheckJobState.PENDING);
    expect(job?.concurrency).toBe(4);
    expect(durationMs(job!.timeout!)).toBe(30_000);
    expect(job?.results).toEqual([]);
    const running = await eventually(async () => {
      const got = (await h.health.getHealthCheckJob({ id: job!.id })).job;
      return got?.state === HealthCheckJobState.RUNNING && gates.has("model-x") ? got : undefined;
    });
    expect(running.models).toEqual(["model-x"]);
    release("model-x");
    expect((await finished(job!.id)).results[0]).toMatchObject({ model: "model-x", healthy: true });
  });

  it("Watch sends each result as it lands, then the final state, then ends", async () => {
    const { job } = await h.health.createHealthCheckJob({
      job: { providerId: "gated", models: ["model-a", "model-b"], concurrency: 1 },
    });
    const received: WatchHealthCheckJobResponse[] = [];
    const stream = h.health.watchHealthCheckJob({ id: job!.id });
    const iterator = stream[Symbol.asyncIterator]();
    const next = async () => {
      const step = await iterator.next();
      if (!step.done) received.push(step.value);
      return step;
    };
    await eventually(async () => (gates.has("model-a") ? true : undefined));
    const first = next();
    // Nothing has landed yet: the stream waits.
    await sleep(100);
    expect(received).toHaveLength(0);
    release("model-a");
    await first;
    expect(received[0]?.result).toMatchObject({ model: "model-a", healthy: true, httpStatus: 200 });
    expect(received[0]?.job?.state).toBe(HealthCheckJobState.RUNNING);
    await eventually(async () => (gates.has("model-b") ? true : undefined));
    release("model-b");
    await next();
    expect(received[1]?.result).toMatchObject({ model: "model-b", healthy: false, httpStatus: 503 });
    expect(received[1]?.result?.error).toBe("HTTP 503: overloaded");
    await next();
    expect(received[2]?.result).toBeUndefined();
    expect(received[2]?.job?.state).toBe(HealthCheckJobState.SUCCEEDED);
    expect((await iterator.next()).done).toBe(true);
  });

  it("Watch of a running job first replays the results already recorded", async () => {
    const { job } = await h.health.createHealthCheckJob({
      job: { providerId: "gated", models: ["model-c", "model-d"], concurrency: 1 },
    });
    await eventually(async () => (gates.has("model-c") ? true : undefined));
    release("model-c");
    await eventually(async () => (gates.has("model-d") ? true : undefined));
    const received: WatchHealthCheckJobResponse[] = [];
    const done = (async () => {
      for await (const message of h.health.watchHealthCheckJob({ id: job!.id })) received.push(message);
    })();
    await eventually(async () => (received.length === 1 ? true : undefined));
    expect(received[0]?.result?.model).toBe("model-c");
    release("model-d");
    await done;
    expect(received.map((m) => m.result?.model ?? `end:${m.job?.state}`)).toEqual([
      "model-c",
      "model-d",
      `end:${HealthCheckJobState.SUCCEEDED}`,
    ]);
  });

  it("Watch of a finished job sends its results and the final state, then ends", async () => {
    const { job } = await h.health.createHealthCheckJob({
      job: { providerId: "gated", models: ["model-e"] },
    });
    await eventually(async () => (gates.has("model-e") ? true : undefined));
    release("model-e");
    await finished(job!.id);
    const received: WatchHealthCheckJobResponse[] = [];
    for await (const message of h.health.watchHealthCheckJob({ id: job!.id })) received.push(message);
    expect(received).toHaveLength(2);
    expect(received[0]?.result?.model).toBe("model-e");
    expect(received[1]?.job?.state).toBe(HealthCheckJobState.SUCCEEDED);
  });

  it("a watcher that goes away does not disturb the job", async () => {
    const { job } = await h.health.createHealthCheckJob({
      job: { providerId: "gated", models: ["model-f"] },
    });
    const controller = new AbortController();
    const watching = (async () => {
      for await (const _ of h.health.watchHealthCheckJob({ id: job!.id }, { signal: controller.signal })) {
        // nothing lands before the abort
      }
    })();
    await eventually(async () => (gates.has("model-f") ? true : undefined));
    controller.abort();
    expect((await errorOf(watching)).code).toBe(Code.Canceled);
    release("model-f");
    expect((await finished(job!.id)).state).toBe(HealthCheckJobState.SUCCEEDED);
  });
});

describe("concurrency", () => {
  it.each([1, 3])("never has more than %i requests in flight", async (concurrency) => {
    let inFlight = 0;
    let peak = 0;
    const upstream = await mock(async (_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await sleep(60);
      inFlight--;
      json(res, 200, {});
    });
    await provider(`parallel-${concurrency}`, "openai", upstream.url, "sk-parallel-0001");
    const models = ["m1", "m2", "m3", "m4", "m5", "m6", "m7"];
    const { job } = await h.health.createHealthCheckJob({
      job: { providerId: `parallel-${concurrency}`, models, concurrency },
    });
    const done = await finished(job!.id);
    expect(done.results).toHaveLength(models.length);
    expect(upstream.requests).toHaveLength(models.length);
    expect(peak).toBe(concurrency);
  });
});

describe("models resolved from the routing configuration", () => {
  let upstream: MockUpstream;

  beforeAll(async () => {
    upstream = await mock((_req, res) => json(res, 200, {}));
    await provider("resolved", "openai", upstream.url, "sk-resolved-0001");
    await provider("elsewhere", "openai", upstream.url, "sk-elsewhere-0001");
    const target = (providerId: string, upstreamModel = "") => ({ providerId, upstreamModel });
    const direct = (id: string, alias: string, t: ReturnType<typeof target>) =>
      h.mappings.createModelMapping({
        modelMapping: { id, alias, destination: { case: "target", value: t } },
      });
    await direct("r-pinned", "gpt-4o", target("resolved", "gpt-4o-2024-08-06"));
    await direct("r-keep", "fast-model", target("resolved"));
    await direct("r-glob-keep", "claude-*", target("resolved"));
    await direct("r-glob-pinned", "team-*", target("resolved", "team-model"));
    await direct("r-other", "other-model", target("elsewhere", "not-mine"));
    await h.chains.createFallbackChain({
      fallbackChain: {
        id: "r-chain",
        targets: [target("elsewhere", "chain-other"), target("resolved", "chain-model"), target("resolved")],
      },
    });
    await h.mappings.createModelMapping({
      modelMapping: {
        id: "r-chained",
        alias: "chained-alias",
        destination: { case: "fallbackChainId", value: "r-chain" },
      },
    });
  });

  it("checks every distinct upstream model mapped to the provider through mappings and chains", async () => {
    const { job } = await h.health.createHealthCheckJob({ job: { providerId: "resolved" } });
    expect(job?.models).toEqual([]);
    const done = await finished(job!.id);
    const expected = ["chain-model", "chained-alias", "fast-model", "gpt-4o-2024-08-06", "team-model"];
    expect(done.models).toEqual(expected);
    expect(done.results.map((r) => r.model).sort()).toEqual(expected);
    expect(upstream.requests.map((r) => r.json.model).sort()).toEqual(expected);
  });

  it("fails with a reason when no model is mapped to the provider", async () => {
    await provider("unmapped", "openai", upstream.url, "sk-unmapped-0001");
    const { job } = await h.health.createHealthCheckJob({ job: { providerId: "unmapped" } });
    const done = await finished(job!.id);
    expect(done.state).toBe(HealthCheckJobState.FAILED);
    expect(done.error).toMatch(/no models to check/);
    expect(done.results).toEqual([]);
  });
});

describe("listing, lookups and the provider summary", () => {
  const ids: string[] = [];

  beforeAll(async () => {
    const upstream = await mock((req, res) => json(res, req.json?.model === "down" ? 500 : 200, {}));
    await provider("listed", "openai", upstream.url, "sk-listed-0001");
    for (const models of [["up"], ["up", "down"], ["down"]]) {
      const { job } = await h.health.createHealthCheckJob({ job: { providerId: "listed", models } });
      await finished(job!.id);
      ids.push(job!.id);
    }
  });

  it("lists a provider's jobs newest first, page by page, with their results", async () => {
    const first = await h.health.listHealthCheckJobs({ providerId: "listed", pageSize: 2 });
    expect(first.jobs.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    expect(first.jobs[1]?.results).toHaveLength(2);
    expect(first.nextPageToken).not.toBe("");
    const second = await h.health.listHealthCheckJobs({
      providerId: "listed",
      pageSize: 2,
      pageToken: first.nextPageToken,
    });
    expect(second.jobs.map((j) => j.id)).toEqual([ids[0]]);
    expect(second.nextPageToken).toBe("");
  });

  it("lists every provider's jobs without a filter", async () => {
    const all = await h.health.listHealthCheckJobs({});
    expect(all.jobs.length).toBeGreaterThan(3);
    const times = all.jobs.map((j) => j.id);
    expect([...times].sort().reverse()).toEqual(times);
    expect(new Set(all.jobs.map((j) => j.providerId)).size).toBeGreaterThan(1);
  });

  it("shows the newest job's counts as the provider's last health check", async () => {
    const { provider: p } = await h.providers.getProvider({ id: "listed" });
    expect(p?.lastHealthCheck).toMatchObject({ jobId: ids[2], healthyModels: 0, totalModels: 1 });
    const listed = await h.providers.listProviders({});
    const summary = listed.providers.find((x) => x.id === "listed")?.lastHealthCheck;
    expect(summary?.jobId).toBe(ids[2]);
    const { provider: never } = await h.providers.getProvider({ id: "unmapped" });
    expect(never?.lastHealthCheck).toBeUndefined();
  });

  it.each([
    ["no job", {}, Code.InvalidArgument, /^job: is required/],
    ["no provider", { job: { models: ["m"] } }, Code.InvalidArgument, /^job\.provider_id: /],
    [
      "concurrency above 64",
      { job: { providerId: "listed", concurrency: 65 } },
      Code.InvalidArgument,
      /^job\.concurrency: /,
    ],
    [
      "a timeout above 10 minutes",
      { job: { providerId: "listed", timeout: durationFromMs(600_001) } },
      Code.InvalidArgument,
      /^job\.timeout: /,
    ],
    [
      "a zero timeout",
      { job: { providerId: "listed", timeout: durationFromMs(0) } },
      Code.InvalidArgument,
      /^job\.timeout: /,
    ],
    [
      "an empty model name",
      { job: { providerId: "listed", models: ["ok", ""] } },
      Code.InvalidArgument,
      /^job\.models\[1\]: /,
    ],
    [
      "an unknown provider",
      { job: { providerId: "nope" } },
      Code.FailedPrecondition,
      /provider "nope" does not exist/,
    ],
  ])("Create refuses %s", async (_name, request, code, message) => {
    const error = await errorOf(h.health.createHealthCheckJob(request));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("Get and Watch answer not_found for an unknown job, List refuses a foreign page token", async () => {
    expect((await errorOf(h.health.getHealthCheckJob({ id: "0190-missing" }))).code).toBe(Code.NotFound);
    const watch = (async () => {
      for await (const _ of h.health.watchHealthCheckJob({ id: "0190-missing" })) {
        // never reached
      }
    })();
    expect((await errorOf(watch)).code).toBe(Code.NotFound);
    expect((await errorOf(h.health.getHealthCheckJob({ id: "" }))).message).toMatch(/^id: /);
    const foreign = Buffer.from("providers:abc").toString("base64url");
    const list = await errorOf(h.health.listHealthCheckJobs({ pageToken: foreign }));
    expect(list.code).toBe(Code.InvalidArgument);
    expect(list.message).toMatch(/^page_token: /);
  });

  it("deleting a provider deletes its jobs", async () => {
    const upstream = await mock((_req, res) => json(res, 200, {}));
    await provider("short-lived", "openai", upstream.url, "sk-short-0001");
    const { job } = await h.health.createHealthCheckJob({
      job: { providerId: "short-lived", models: ["m"] },
    });
    await finished(job!.id);
    await h.providers.deleteProvider({ id: "short-lived" });
    expect((await errorOf(h.health.getHealthCheckJob({ id: job!.id }))).code).toBe(Code.NotFound);
  });
});
