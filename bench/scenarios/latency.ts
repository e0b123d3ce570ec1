// Scenario 1, added latency at concurrency 1: a small non-streaming request, one after another over
// one kept-alive connection to a zero-delay mock, timed in microseconds, on every target.
import type { LatencyResult } from "../protocol.js";
import { targetRequest } from "../requests.js";
import { type BenchContext, interleave, type TargetRounds } from "../rounds.js";

/** Each target's rounds of scenario 1. */
export type LatencyRounds = Array<TargetRounds<LatencyResult>>;

/** Runs scenario 1. */
export function measureLatency(context: BenchContext): Promise<LatencyRounds> {
  const { load, options, log } = context;
  const { warmup, durationMs, minRequests } = options.sequential;
  return interleave({
    targets: context.targets,
    rounds: options.rounds,
    label: "added latency at concurrency 1",
    log,
    measure: (target) =>
      load.run<LatencyResult>(
        {
          kind: "sequential",
          request: targetRequest({ target, stream: false, delayMs: 0 }),
          warmup,
          minRequests,
          durationMs,
          maxMs: durationMs * 4,
        },
        durationMs * 4 + 60_000,
      ),
  });
}
