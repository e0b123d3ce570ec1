// Scenario 6, profile: a Parley of its own under `node --cpu-prof`, loaded as in scenario 2 (zero-delay
// capacity) and, in a second process, as in scenario 5 (request sizes), both paths each; the top
// self-time functions of each profile show where the hot path spends its CPU.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { agentConversation } from "../conversations.js";
import { type HotFunction, hotSpots } from "../cpu-profile.js";
import { script, startParley, tempDir } from "../processes.js";
import type { LatencyResult, LoadJob } from "../protocol.js";
import { targetRequest } from "../requests.js";
import type { BenchContext } from "../rounds.js";
import { parleyTargets, type Target } from "../targets.js";

/** The profile of one load. */
export interface ProfileResult {
  scenario: string;
  /** Requests served in the profiled window (after an unmeasured pass of the same load). */
  requests: number;
  top: HotFunction[];
  /** The same samples by source file. */
  files: HotFunction[];
}

/** `script` resolves from dist/bench/: two levels up is the repository. */
const REPO_ROOT = script("../..").replace(/\/$/, "");

async function profiled(options: {
  context: BenchContext;
  scenario: string;
  jobs: (targets: Target[]) => LoadJob[];
}): Promise<ProfileResult> {
  const { context, scenario } = options;
  const dir = tempDir("bench-profile-");
  const spawned = performance.now();
  const parley = await startParley({
    mockUrl: context.mockUrl,
    clientKey: context.clientKey,
    dir,
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
  });
  let requests = 0;
  let skipMs = 0;
  try {
    // The passthrough and the Anthropic translation, as before the Responses path existed: a third
    // path would split the same seconds three ways and blur where either hot path spends its time.
    const paths = parleyTargets({ ...parley, clientKey: context.clientKey }).filter(
      (t) => t.dialect !== "responses",
    );
    const jobs = options.jobs(paths);
    // Every job once unmeasured first: the profile's opening seconds (start-up, V8 compiling the
    // hot path) are left out of the figures.
    for (const job of jobs) await context.load.run(job, 180_000);
    skipMs = performance.now() - spawned;
    for (const job of jobs) {
      const result = await context.load.run<LatencyResult>(job, 180_000);
      requests += result.completed;
    }
  } finally {
    await parley.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`parley wrote no .cpuprofile into ${dir}`);
  const spots = hotSpots(readFileSync(join(dir, file), "utf8"), { count: 10, root: REPO_ROOT, skipMs });
  return { scenario, requests, top: spots.functions, files: spots.files };
}

/** Runs scenario 6: two profiled Parley processes, one per load. */
export async function measureProfiles(context: BenchContext): Promise<ProfileResult[]> {
  const { options, log } = context;
  const { durationMs } = options.profile;
  const connections = options.capacity.connections;
  log("  profile: Parley under --cpu-prof, capacity load");
  const capacity = await profiled({
    context,
    scenario: `capacity: ${connections} connections, zero-delay mock, ${durationMs / 1000} s per path`,
    jobs: (targets) =>
      targets.map(
        (target): LoadJob => ({
          kind: "closed-loop",
          request: targetRequest({ target, stream: false, delayMs: 0 }),
          connections,
          warmupMs: 0,
          durationMs,
        }),
      ),
  });
  log("  profile: Parley under --cpu-prof, request sizes");
  const sizes = await profiled({
    context,
    scenario: `request sizes ${options.sizes.bytes.map((b) => `${Math.round(b / 1024)} KB`).join(", ")}, concurrency 1, both paths`,
    jobs: (targets) =>
      options.sizes.bytes.flatMap((bytes) =>
        targets.map(
          (target): LoadJob => ({
            kind: "sequential",
            request: targetRequest({
              target,
              stream: false,
              delayMs: 0,
              body: (model) => agentConversation({ dialect: target.dialect, model, bytes }),
            }),
            warmup: 0,
            minRequests: 5,
            durationMs: durationMs / options.sizes.bytes.length,
            maxMs: 20_000,
          }),
        ),
      ),
  });
  return [capacity, sizes];
}
