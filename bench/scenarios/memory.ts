// Scenario 4, memory: each proxy's RSS idle, with N slow streams held open through it, and a moment
// after they hung up; the per-stream cost is the slope between the first two. Every round runs on a
// new, warmed process of the target: a process that has held N streams once keeps most of that
// memory, so a second round in it would measure reuse, not cost.
import { setTimeout as sleep } from "node:timers/promises";
import { rssKiB } from "../proc-stats.js";
import type { HoldResult } from "../protocol.js";
import { targetRequest } from "../requests.js";
import { type BenchContext, interleave, type TargetRounds } from "../rounds.js";
import type { Target } from "../targets.js";

/** One round of one target, RSS in KiB. */
export interface MemoryRound {
  idleKiB: number;
  heldKiB: number;
  afterKiB: number;
  /** (held − idle) / streams asked. */
  perStreamKiB: number;
  hold: HoldResult;
}

/** How long after the hang-up "after" is sampled: long enough for sockets to close and a GC to run. */
const AFTER_MS = 2_000;

/** Plain requests and a few streams, so compiled code and first-use buffers are not counted per stream. */
async function warm(context: BenchContext, target: Target): Promise<void> {
  const { load, options } = context;
  const request = targetRequest({ target, stream: false, delayMs: 0 });
  await load.run({ kind: "closed-loop", request, connections: 16, warmupMs: 0, durationMs: 500 }, 60_000);
  const stream = targetRequest({ target, stream: true, delayMs: options.memory.gapMs });
  await load.run({ kind: "hold", request: stream, streams: 20, settleMs: 3_000 }, 60_000);
  await load.run({ kind: "release" }, 30_000);
}

async function measureOnce(context: BenchContext, target: Target): Promise<MemoryRound> {
  const { load, options } = context;
  const { streams, gapMs, settleMs } = options.memory;
  await warm(context, target);
  await sleep(1_000);
  const idleKiB = rssKiB(target.pid);
  const request = targetRequest({ target, stream: true, delayMs: gapMs });
  const hold = await load.run<HoldResult>({ kind: "hold", request, streams, settleMs }, settleMs + 30_000);
  let heldKiB = 0;
  for (let i = 0; i < 5; i++) {
    heldKiB = Math.max(heldKiB, rssKiB(target.pid));
    await sleep(100);
  }
  await load.run({ kind: "release" }, 30_000);
  await sleep(AFTER_MS);
  const afterKiB = rssKiB(target.pid);
  return { idleKiB, heldKiB, afterKiB, perStreamKiB: (heldKiB - idleKiB) / streams, hold };
}

/** Runs scenario 4 on every target with a process of its own (the mock's RSS is nobody's cost). */
export function measureMemory(context: BenchContext): Promise<Array<TargetRounds<MemoryRound>>> {
  const { options, log } = context;
  return interleave({
    targets: context.targets.filter((t) => t.role === "proxy" || t.id === "bare-openai"),
    rounds: options.rounds,
    label: `memory with ${options.memory.streams} open streams, a new process each round`,
    log,
    measure: async (target): Promise<MemoryRound> => {
      const instance = await context.fresh(target.id);
      if (!instance) return measureOnce(context, target);
      try {
        return await measureOnce(context, instance.target);
      } finally {
        await instance.stop();
      }
    },
  });
}
