// Scenario 5, request size: added latency at concurrency 1 for agent conversations (tool-use turns)
// of 1 KB to 4 MB, non-streaming, zero-delay mock, on every target. The mock reports its own time
// (parsing a 4 MB body takes it 17-31 ms, varying more than a proxy hop adds), and each latency
// is taken without it.
import { agentConversation } from "../conversations.js";
import type { LatencyResult } from "../protocol.js";
import { targetRequest } from "../requests.js";
import { type BenchContext, interleave, type TargetRounds } from "../rounds.js";

/** Scenario 5 at one size. */
export interface SizeResults {
  bytes: number;
  targets: Array<TargetRounds<LatencyResult>>;
}

/** Runs scenario 5, one pass of interleaved rounds per size. */
export async function measureSizes(context: BenchContext): Promise<SizeResults[]> {
  const { load, options, log } = context;
  const { minRequests, durationMs } = options.sizes;
  const results: SizeResults[] = [];
  for (const bytes of options.sizes.bytes) {
    const targets = await interleave({
      targets: context.targets,
      rounds: options.rounds,
      label: `added latency with a ${Math.round(bytes / 1024)} KB conversation`,
      log,
      measure: (target) => {
        const body = (model: string) => agentConversation({ dialect: target.dialect, model, bytes });
        return load.run<LatencyResult>(
          {
            kind: "sequential",
            request: targetRequest({ target, stream: false, delayMs: 0, body, mockTimed: true }),
            warmup: 1,
            minRequests,
            durationMs,
            maxMs: 5_000,
          },
          120_000,
        );
      },
    });
    results.push({ bytes, targets });
  }
  return results;
}
