// Bench parameters from flags (`--rounds 5`) or env (`BENCH_ROUNDS=5`), flags first; `--quick`
// switches every default to a short smoke run, `--no-peers` leaves Portkey and claude-code-router out,
// `--baseline <dir>` adds the Parley built in another checkout, for a before-and-after in one run.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

/** The scenarios of a run, in the order they run. */
export const SCENARIOS = ["memory", "latency", "capacity", "streaming", "sizes", "profile"] as const;

/** One scenario's name. */
export type ScenarioName = (typeof SCENARIOS)[number];

/** Everything a run is parameterized by. Durations in ms. */
export interface BenchOptions {
  quick: boolean;
  peers: boolean;
  /** The `parley` entry point of another built checkout, measured beside this one. */
  baseline: string | undefined;
  /** Rounds of every scenario; each reports the median of its rounds. */
  rounds: number;
  scenarios: ScenarioName[];
  /** Where the JSON goes (default: bench/results.json for a full run, .tmp/ for anything less). */
  out: string | undefined;
  /** Unmeasured traffic per target before anything is measured (V8 compiles the hot path). */
  jitWarmupMs: number;
  /** Scenario 1 and 5: one connection, one request after another. */
  sequential: { warmup: number; durationMs: number; minRequests: number };
  /** Scenario 2: closed loop. */
  capacity: { connections: number; delaysMs: number[]; warmupMs: number; durationMs: number };
  /** Scenario 3: paced streams (deltas `gapMs` apart). */
  streaming: { gapMs: number; deltas: number; ttftRate: number; ttftStreams: number; sweep: number[] };
  /** Scenario 4: streams held open (deltas `gapMs` apart, so they outlast the sampling); a hold
   * gives up waiting for the last of them to flow after `settleMs`. */
  memory: { streams: number; gapMs: number; settleMs: number };
  /** Scenario 5: agent conversations of these sizes, each for `durationMs` and `minRequests`
   * (whichever is later, never past 5 s: a peer takes seconds per 4 MB request). */
  sizes: { bytes: number[]; minRequests: number; durationMs: number };
  /** Scenario 6: how long each profiled load runs per path. */
  profile: { durationMs: number };
}

const KB = 1024;

const FULL: BenchOptions = {
  quick: false,
  peers: true,
  baseline: undefined,
  rounds: 3,
  scenarios: [...SCENARIOS],
  out: undefined,
  jitWarmupMs: 2_000,
  sequential: { warmup: 200, durationMs: 1_000, minRequests: 200 },
  capacity: { connections: 50, delaysMs: [0, 20], warmupMs: 300, durationMs: 1_000 },
  streaming: { gapMs: 20, deltas: 64, ttftRate: 50, ttftStreams: 100, sweep: [32, 128, 512, 2_048] },
  memory: { streams: 2_000, gapMs: 1_000, settleMs: 6_000 },
  sizes: { bytes: [1 * KB, 64 * KB, 512 * KB, 4 * KB * KB], minRequests: 5, durationMs: 500 },
  profile: { durationMs: 2_500 },
};

const QUICK: BenchOptions = {
  ...FULL,
  quick: true,
  rounds: 1,
  jitWarmupMs: 500,
  sequential: { warmup: 50, durationMs: 300, minRequests: 50 },
  capacity: { connections: 50, delaysMs: [0, 20], warmupMs: 100, durationMs: 400 },
  streaming: { gapMs: 20, deltas: 64, ttftRate: 50, ttftStreams: 25, sweep: [32, 128] },
  memory: { streams: 200, gapMs: 1_000, settleMs: 5_000 },
  sizes: { bytes: [1 * KB, 64 * KB, 512 * KB], minRequests: 5, durationMs: 200 },
  profile: { durationMs: 500 },
};

function positive(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name}: expected a positive number, got "${raw}"`);
  return value;
}

function scenarioList(raw: string | undefined): ScenarioName[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(",").map((s) => s.trim());
  const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(`--scenarios: unknown ${unknown.join(", ")} (known: ${SCENARIOS.join(", ")})`);
  return SCENARIOS.filter((s) => names.includes(s));
}

/** The built `parley` entry point of the checkout at `dir`. */
function baselineEntry(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const entry = join(resolve(raw), "dist", "src", "cli", "main.js");
  if (!existsSync(entry))
    throw new Error(
      `--baseline: no ${entry}; check out the baseline there and run npm install && npm run build`,
    );
  return entry;
}

/** Parses the command line and environment; throws with the offending flag named. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean" },
      "no-peers": { type: "boolean" },
      rounds: { type: "string" },
      scenarios: { type: "string" },
      out: { type: "string" },
      streams: { type: "string" },
      baseline: { type: "string" },
    },
  });
  const quick = values.quick ?? ["1", "true"].includes(env.BENCH_QUICK ?? "");
  const base = quick ? QUICK : FULL;
  const noPeers = values["no-peers"] ?? ["1", "true"].includes(env.BENCH_NO_PEERS ?? "");
  const rounds = positive("--rounds", values.rounds ?? env.BENCH_ROUNDS);
  const streams = positive("--streams", values.streams ?? env.BENCH_STREAMS);
  return {
    ...base,
    peers: !noPeers,
    baseline: baselineEntry(values.baseline ?? env.BENCH_BASELINE),
    rounds: rounds === undefined ? base.rounds : Math.round(rounds),
    scenarios: scenarioList(values.scenarios ?? env.BENCH_SCENARIOS) ?? base.scenarios,
    out: values.out ?? env.BENCH_OUT,
    memory: { ...base.memory, streams: streams === undefined ? base.memory.streams : Math.round(streams) },
  };
}
