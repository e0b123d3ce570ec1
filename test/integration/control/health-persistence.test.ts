// Health-check jobs across a restart: a job still RUNNING when the process dies is marked
// FAILED by the next process's recoverInterrupted(), finished jobs and their results are
// still readable, and new jobs list before the old ones.
import { Code } from "@connectrpc/connect";
import { afterAll, expect, it } from "vitest";
import {
  HealthCheckJobState,
  type WatchHealthCheckJobResponse,
} from "../../../src/gen/parley/admin/v1/health_check_pb.js";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { errorOf } from "./admin-harness.js";
import { eventually, gate, type HealthHarness, removeDir, startHealthHarness } from "./health-harness.js";

const cleanup: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

it("a job interrupted by a restart is FAILED afterwards and finished jobs survive", async () => {
  const stuck = gate();
  const upstream: MockUpstream = await startMockUpstream(async (req, res) => {
    if (req.json?.model === "stuck-model") await stuck.promise;
    json(res, 200, {});
  });
  cleanup.push(() => upstream.close());
  const first: HealthHarness = await startHealthHarness();
  cleanup.push(() => removeDir(first.dir));
  await first.providers.createProvider({
    provider: {
      id: "durable",
      kind: ProviderKind.OPENAI,
      baseUrl: `${upstream.url}/v1`,
      apiKey: "sk-durable-0001",
    },
  });

  const { job: done } = await first.health.createHealthCheckJob({
    job: { providerId: "durable", models: ["ok-model"] },
  });
  await first.runner.done(done!.id);
  const { job: cut } = await first.health.createHealthCheckJob({
    job: { providerId: "durable", models: ["stuck-model"] },
  });
  await eventually(async () => {
    const { job } = await first.health.getHealthCheckJob({ id: cut!.id });
    return job?.state === HealthCheckJobState.RUNNING && upstream.requests.length === 2 ? true : undefined;
  });

  // The process dies with the job RUNNING: the database file is all that is left.
  await first.crash();
  const second = await startHealthHarness({ dir: first.dir, recover: false });
  cleanup.push(() => second.close());
  expect(second.runner.recoverInterrupted()).toBe(1);

  const { job: after } = await second.health.getHealthCheckJob({ id: cut!.id });
  expect(after?.state).toBe(HealthCheckJobState.FAILED);
  expect(after?.error).toBe("interrupted by a restart");
  expect(after?.endTime).toBeDefined();
  expect(after?.models).toEqual(["stuck-model"]);

  const { job: kept } = await second.health.getHealthCheckJob({ id: done!.id });
  expect(kept?.state).toBe(HealthCheckJobState.SUCCEEDED);
  expect(kept?.results).toMatchObject([{ model: "ok-model", healthy: true, httpStatus: 200 }]);

  const watched: WatchHealthCheckJobResponse[] = [];
  for await (const message of second.health.watchHealthCheckJob({ id: cut!.id })) watched.push(message);
  expect(watched).toHaveLength(1);
  expect(watched[0]?.job?.state).toBe(HealthCheckJobState.FAILED);

  const { job: fresh } = await second.health.createHealthCheckJob({
    job: { providerId: "durable", models: ["ok-model"] },
  });
  await second.runner.done(fresh!.id);
  const listed = await second.health.listHealthCheckJobs({ providerId: "durable" });
  expect(listed.jobs.map((j) => j.id)).toEqual([fresh!.id, cut!.id, done!.id]);

  // The dead process's probe finally returns; its runner must cope with the closed database.
  stuck.open();
  await first.runner.done(cut!.id);
  const { job: still } = await second.health.getHealthCheckJob({ id: cut!.id });
  expect(still?.state).toBe(HealthCheckJobState.FAILED);
  expect(still?.results).toEqual([]);
});

it("recoverInterrupted leaves this process's own running jobs alone", async () => {
  const hold = gate();
  const upstream = await startMockUpstream(async (_req, res) => {
    await hold.promise;
    json(res, 200, {});
  });
  cleanup.push(() => upstream.close());
  const h = await startHealthHarness();
  cleanup.push(() => removeDir(h.dir));
  cleanup.push(() => h.close());
  await h.providers.createProvider({
    provider: { id: "own", kind: ProviderKind.ANTHROPIC, baseUrl: upstream.url, apiKey: "sk-own-0001" },
  });
  const { job } = await h.health.createHealthCheckJob({ job: { providerId: "own", models: ["m"] } });
  expect(h.runner.recoverInterrupted()).toBe(0);
  hold.open();
  await h.runner.done(job!.id);
  const { job: done } = await h.health.getHealthCheckJob({ id: job!.id });
  expect(done?.state).toBe(HealthCheckJobState.SUCCEEDED);
});

it("a job still running at shutdown ends FAILED, and a closed runner refuses new jobs", async () => {
  const upstream = await startMockUpstream(async () => {
    // never answers; the runner's shutdown cancels the probe
  });
  cleanup.push(() => upstream.close());
  const h = await startHealthHarness();
  cleanup.push(() => removeDir(h.dir));
  await h.providers.createProvider({
    provider: {
      id: "closing",
      kind: ProviderKind.OPENAI,
      baseUrl: `${upstream.url}/v1`,
      apiKey: "sk-closing-0001",
    },
  });
  const { job } = await h.health.createHealthCheckJob({ job: { providerId: "closing", models: ["m"] } });
  await eventually(async () => (upstream.requests.length === 1 ? true : undefined));
  await h.runner.close();
  const { job: ended } = await h.health.getHealthCheckJob({ id: job!.id });
  expect(ended?.state).toBe(HealthCheckJobState.FAILED);
  expect(ended?.error).toMatch(/server shut down/);
  expect(ended?.results).toEqual([]);
  const refused = await errorOf(
    h.health.createHealthCheckJob({ job: { providerId: "closing", models: ["m"] } }),
  );
  expect(refused.code).toBe(Code.Unavailable);
  await h.close();
});
