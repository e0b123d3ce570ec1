// The floor of scheduled health checks: the API refuses an interval below it, and an
// interval already stored below it (written before the API refused such values) runs at
// the floor's pace instead of flooding the provider with probes that carry its key.
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { errorOf } from "./admin-harness.js";
import { eventually, type HealthHarness, removeDir, startHealthHarness } from "./health-harness.js";

const FLOOR_MS = 600;
let h: HealthHarness;
let upstream: MockUpstream;

beforeAll(async () => {
  upstream = await startMockUpstream((_req, res) => json(res, 200, {}));
  h = await startHealthHarness({ scheduleFloorMs: FLOOR_MS });
  await h.providers.createProvider({
    provider: {
      id: "flooded",
      kind: ProviderKind.OPENAI,
      baseUrl: `${upstream.url}/v1`,
      apiKey: "sk-floor-0001",
    },
  });
  await h.mappings.createModelMapping({
    modelMapping: {
      id: "flooded-map",
      alias: "flooded-alias",
      destination: { case: "target", value: { providerId: "flooded", upstreamModel: "flooded-model" } },
    },
  });
});
afterAll(async () => {
  await h.close();
  await upstream.close();
  removeDir(h.dir);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it("the API refuses an interval below the floor, naming the field and the floor", async () => {
  const error = await errorOf(
    h.providers.updateProvider({
      provider: { id: "flooded", healthCheckInterval: durationFromMs(1) },
      updateMask: { paths: ["health_check_interval"] },
    }),
  );
  expect(error.code).toBe(Code.InvalidArgument);
  expect(error.message).toBe(
    "provider.health_check_interval: must be at least 600ms (0 turns it off), got 0.001s",
  );
});

it("a stored interval below the floor is scheduled at the floor", async () => {
  const writer = new Database(h.dbPath);
  writer.prepare("update providers set health_check_interval_ms = 1 where id = ?").run("flooded");
  writer.close();
  h.runner.refreshSchedules();
  // At 1 ms this window would hold dozens of probes; at the floor it holds none yet.
  await sleep(FLOOR_MS / 2);
  expect(upstream.requests).toHaveLength(0);
  await eventually(async () => (upstream.requests.length > 0 ? true : undefined));
  await sleep(FLOOR_MS / 2);
  expect(upstream.requests.length).toBeLessThanOrEqual(2);
});
