// Scenario 3, paced streams (64 deltas of 16 bytes, 20 ms apart): time to the first content delta
// and the gaps between deltas under light load, then a sweep of concurrent streams that finds the
// most a target carries with no delta more than LATE_MS behind its schedule.
import type { StreamsResult } from "../protocol.js";
import { targetRequest } from "../requests.js";
import { type BenchContext, interleave, type TargetRounds } from "../rounds.js";
import type { Target } from "../targets.js";

/** One step of the sweep. */
export interface SweepStep {
  streams: number;
  completed: number;
  lateStreams: number;
  maxLateMs: number;
  errors: number;
  firstError?: string;
}

/** One round of the sweep for one target: the steps it ran (it stops after the first unclean one). */
export interface SweepRound {
  steps: SweepStep[];
  /** The largest step that was clean, with every smaller one clean too; 0 when none was. */
  cleanStreams: number;
}

/** What scenario 3 measured. */
export interface StreamingResults {
  ttft: Array<TargetRounds<StreamsResult>>;
  sweep: Array<TargetRounds<SweepRound>>;
}

function isClean(step: SweepStep): boolean {
  return step.errors === 0 && step.lateStreams === 0 && step.completed === step.streams;
}

/** The sweep skips the Anthropic references: the OpenAI ones are the same hop for a stream. */
function sweepTargets(targets: readonly Target[]): Target[] {
  return targets.filter((t) => t.role === "proxy" || t.dialect === "openai");
}

/** Runs scenario 3. */
export async function measureStreaming(context: BenchContext): Promise<StreamingResults> {
  const { load, options, log } = context;
  const { gapMs, deltas, ttftRate, ttftStreams, sweep } = options.streaming;
  const streamMs = gapMs * deltas;
  const ttft = await interleave({
    targets: context.targets,
    rounds: options.rounds,
    label: `streaming TTFT and gaps, ${ttftStreams} streams at ${ttftRate}/s`,
    log,
    measure: (target) =>
      load.run<StreamsResult>(
        {
          kind: "streams",
          request: targetRequest({ target, stream: true, delayMs: gapMs }),
          // As many kept-alive connections as the paced streams will have open at once, so TTFT
          // is what a client with a warm connection pool waits for.
          warm: {
            request: targetRequest({ target, stream: true, delayMs: 0 }),
            streams: Math.ceil((ttftRate * streamMs) / 1000) + 4,
          },
          count: ttftStreams,
          rate: ttftRate,
          gapMs,
          deltas,
          collectGaps: true,
        },
        (ttftStreams / ttftRate) * 1000 + streamMs + 60_000,
      ),
  });
  const swept = await interleave({
    targets: sweepTargets(context.targets),
    rounds: options.rounds,
    label: `concurrent paced streams, sweep ${sweep.join("/")}`,
    log,
    measure: async (target): Promise<SweepRound> => {
      const steps: SweepStep[] = [];
      let cleanStreams = 0;
      for (const count of sweep) {
        const result = await load.run<StreamsResult>(
          {
            kind: "streams",
            request: targetRequest({ target, stream: true, delayMs: gapMs }),
            count,
            gapMs,
            deltas,
            collectGaps: false,
          },
          streamMs * 20 + 60_000,
        );
        const step: SweepStep = {
          streams: count,
          completed: result.completed,
          lateStreams: result.lateStreams,
          maxLateMs: result.maxLateMs,
          errors: result.errors,
          ...(result.firstError === undefined ? {} : { firstError: result.firstError }),
        };
        steps.push(step);
        if (!isClean(step)) break;
        cleanStreams = count;
      }
      return { steps, cleanStreams };
    },
  });
  return { ttft, sweep: swept };
}
