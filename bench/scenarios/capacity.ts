// Scenario 2, capacity: 50 connections back to back against a zero-delay mock and a 20 ms mock;
// requests/s, p99, errors, and the CPU time the target's own process spent per request.
import { cpuMicros } from "../proc-stats.js";
import type { LatencyResult } from "../protocol.js";
import { targetRequest } from "../requests.js";
import { type BenchContext, interleave, type TargetRounds } from "../rounds.js";

/** One round of one target at one mock delay. */
export interface CapacityRound extends LatencyResult {
  /** CPU µs of the target's process per completed request (warm-up included on both sides). */
  cpuUsPerRequest: number;
}

/** Scenario 2 at one mock delay. */
export interface CapacityAtDelay {
  delayMs: number;
  targets: Array<TargetRounds<CapacityRound>>;
}

/** Runs scenario 2, one pass of interleaved rounds per mock delay. */
export async function measureCapacity(context: BenchContext): Promise<CapacityAtDelay[]> {
  const { load, options, log } = context;
  const { connections, delaysMs, warmupMs, durationMs } = options.capacity;
  const results: CapacityAtDelay[] = [];
  for (const delayMs of delaysMs) {
    const targets = await interleave({
      targets: context.targets,
      rounds: options.rounds,
      label: `capacity, ${connections} connections, ${delayMs} ms mock`,
      log,
      measure: async (target): Promise<CapacityRound> => {
        const request = targetRequest({ target, stream: false, delayMs });
        const before = cpuMicros(target.pid);
        const result = await load.run<LatencyResult>(
          { kind: "closed-loop", request, connections, warmupMs, durationMs },
          warmupMs + durationMs + 60_000,
        );
        const spent = cpuMicros(target.pid) - before;
        return { ...result, cpuUsPerRequest: spent / Math.max(1, result.completedTotal) };
      },
    });
    results.push({ delayMs, targets });
  }
  return results;
}
