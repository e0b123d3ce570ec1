// Bench parameters from flags (`--duration 10`) or env (`BENCH_DURATION=10`), flags first;
// `--quick` switches every default to a ~20-second smoke run.
import { parseArgs } from "node:util";

/** Everything a run is parameterized by. Durations in ms. */
export interface BenchOptions {
  quick: boolean;
  /** Measured window of each phase. */
  durationMs: number;
  /** Unmeasured lead-in of each phase (pools, sockets). */
  warmupMs: number;
  /** Unmeasured closed-loop traffic per scenario and target before the first timed phase (JIT). */
  jitWarmupMs: number;
  /** Open-loop rate of the non-streaming latency phases, requests/s. */
  rate: number;
  /** Open-loop rate of the streaming TTFB phases, streams/s. */
  streamRate: number;
  /** Closed-loop concurrency of the peak-throughput phases. */
  connections: number;
  /** Streams held open for the memory phase. */
  streams: number;
  /** Mock pause between deltas of the TTFB streams. */
  chunkDelayMs: number;
  /** Mock pause between deltas of the held streams (20 deltas: the stream lasts 20x this). */
  holdChunkDelayMs: number;
  /** How long the memory phase waits for every held stream to carry content. */
  settleMs: number;
}

const FULL: BenchOptions = {
  quick: false,
  durationMs: 10_000,
  warmupMs: 1_000,
  jitWarmupMs: 3_000,
  rate: 200,
  streamRate: 50,
  connections: 64,
  streams: 500,
  chunkDelayMs: 5,
  holdChunkDelayMs: 1_000,
  settleMs: 8_000,
};

const QUICK: BenchOptions = {
  quick: true,
  durationMs: 1_000,
  warmupMs: 300,
  jitWarmupMs: 1_000,
  rate: 100,
  streamRate: 25,
  connections: 16,
  streams: 100,
  chunkDelayMs: 5,
  holdChunkDelayMs: 300,
  settleMs: 3_000,
};

function positive(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name}: expected a positive number, got "${raw}"`);
  return value;
}

/** Parses the command line and environment; throws with the offending flag named. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean" },
      duration: { type: "string" },
      rate: { type: "string" },
      "stream-rate": { type: "string" },
      connections: { type: "string" },
      streams: { type: "string" },
      "chunk-delay": { type: "string" },
    },
  });
  const quick = values.quick ?? ["1", "true"].includes(env.BENCH_QUICK ?? "");
  const base = quick ? QUICK : FULL;
  const pick = (flag: keyof typeof values, variable: string) =>
    positive(`--${flag}`, (values[flag] as string | undefined) ?? env[variable]);
  const seconds = pick("duration", "BENCH_DURATION");
  return {
    ...base,
    durationMs: seconds === undefined ? base.durationMs : seconds * 1000,
    rate: pick("rate", "BENCH_RATE") ?? base.rate,
    streamRate: pick("stream-rate", "BENCH_STREAM_RATE") ?? base.streamRate,
    connections: Math.round(pick("connections", "BENCH_CONNECTIONS") ?? base.connections),
    streams: Math.round(pick("streams", "BENCH_STREAMS") ?? base.streams),
    chunkDelayMs: pick("chunk-delay", "BENCH_CHUNK_DELAY") ?? base.chunkDelayMs,
  };
}
