// Scheduled health checks: a provider's interval starts jobs on its own, a config change
// starts, changes or stops the schedule, and only the newest scheduled jobs are kept.
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { HealthCheckJobState } from "../../../src/gen/parley/admin/v1/health_check_pb.js";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { eventually, type HealthHarness, removeDir, startHealthHarness } from "./health-harness.js";

const HISTORY = 3;
let h: HealthHarness;
let upstream: MockUpstream;

beforeAll(async () => {
  upstream = await startMockUpstream((_req, res) => json(res, 200, {}));
  h = await startHealthHarness({ scheduledHistory: HISTORY });
  await h.providers.createProvider({
    provider: {
      id: "watched",
      kind: ProviderKind.OPENAI,
      baseUrl: `${upstream.url}/v1`,
      apiKey: "sk-watched-0001",
    },
  });
  await h.mappings.createModelMapping({
    modelMapping: {
      id: "watched-map",
      alias: "watched-alias",
      destination: { case: "target", value: { providerId: "watched", upstreamModel: "watched-model" } },
    },
  });
});
afterAll(async () => {
  await h.close();
  await upstream.close();
  removeDir(h.dir);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setInterval(ms: number) {
  await h.providers.updateProvider({
    provider: { id: "watched", healthCheckInterval: ms === 0 ? undefined : durationFromMs(ms) },
    updateMask: { paths: ["health_check_interval"] },
  });
}

async function scheduledJobs() {
  const { jobs } = await h.health.listHealthCheckJobs({ providerId: "watched" });
  return jobs.filter((j) => j.scheduled);
}

it("runs no scheduled job while the provider has no interval", async () => {
  await sleep(250);
  expect(await scheduledJobs()).toEqual([]);
  expect(upstream.requests).toHaveLength(0);
});

it("runs scheduled jobs every interval once set, keeps only the newest, and stops when cleared", async () => {
  const { job: manual } = await h.health.createHealthCheckJob({ job: { providerId: "watched" } });
  await h.runner.done(manual!.id);

  await setInterval(40);
  // Enough runs that the history bound has had to delete some.
  await eventually(async () => (upstream.requests.length >= HISTORY + 4 ? true : undefined));
  await setInterval(0);
  const settled = upstream.requests.length;
  for (const job of await scheduledJobs()) await h.runner.done(job.id);
  await sleep(150);
  expect(upstream.requests.length).toBeLessThanOrEqual(settled + 1);

  const kept = await scheduledJobs();
  expect(kept).toHaveLength(HISTORY);
  for (const job of kept) {
    expect(job.state).toBe(HealthCheckJobState.SUCCEEDED);
    expect(job.models).toEqual(["watched-model"]);
    expect(job.results).toMatchObject([{ model: "watched-model", healthy: true }]);
  }
  // Pruned jobs took their results with them; manual jobs are not part of the bound.
  const reader = new Database(h.dbPath, { readonly: true });
  const { n } = reader
    .prepare(
      "select count(*) as n from health_check_results r join health_check_jobs j on j.id = r.job_id where j.provider_id = ?",
    )
    .get("watched") as { n: number };
  reader.close();
  expect(n).toBe(HISTORY + 1);
  const { job: stillThere } = await h.health.getHealthCheckJob({ id: manual!.id });
  expect(stillThere?.scheduled).toBe(false);

  const { provider } = await h.providers.getProvider({ id: "watched" });
  expect(provider?.lastHealthCheck?.jobId).toBe(kept[0]?.id);
  expect(provider?.lastHealthCheck).toMatchObject({ healthyModels: 1, totalModels: 1 });
});

it("a disabled provider's schedule pauses", async () => {
  const start = upstream.requests.length;
  await setInterval(30);
  await eventually(async () => (upstream.requests.length > start ? true : undefined));
  await h.providers.updateProvider({
    provider: { id: "watched", enabled: false },
    updateMask: { paths: ["enabled"] },
  });
  for (const job of await scheduledJobs()) await h.runner.done(job.id);
  const before = upstream.requests.length;
  await sleep(200);
  expect(upstream.requests.length).toBe(before);
});
