// Scenario 4, memory: each proxy's RSS idle, with N slow streams held open through it, and a
// moment after they hung up; the per-stream cost is the slope between the first two.
import { setTimeout as sleep } from "node:timers/promises";
import { rssKiB } from "../proc-stats.js";
import type { HoldResult } from "../protocol.js";
import { targetRequest } from "../requests.js";
import { type BenchContext, interleave, type TargetRounds } from "../rounds.js";

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

/** Runs scenario 4 on every target with a process of its own (the mock's RSS is nobody's cost). */
export function measureMemory(context: BenchContext): Promise<Array<TargetRounds<MemoryRound>>> {
  const { load, options, log } = context;
  const { streams, gapMs, settleMs } = options.memory;
  return interleave({
    targets: context.targets.filter((t) => t.role === "proxy" || t.id === "bare-openai"),
    rounds: options.rounds,
    label: `memory with ${streams} open streams`,
    log,
    measure: async (target): Promise<MemoryRound> => {
      await sleep(500);
      const idleKiB = rssKiB(target.pid);
      const request = targetRequest({ target, stream: true, delayMs: gapMs });
      const hold = await load.run<HoldResult>(
        { kind: "hold", request, streams, settleMs },
        settleMs + 30_000,
      );
      let heldKiB = 0;
      for (let i = 0; i < 5; i++) {
        heldKiB = Math.max(heldKiB, rssKiB(target.pid));
        await sleep(100);
      }
      await load.run({ kind: "release" }, 30_000);
      await sleep(AFTER_MS);
      const afterKiB = rssKiB(target.pid);
      return { idleKiB, heldKiB, afterKiB, perStreamKiB: (heldKiB - idleKiB) / streams, hold };
    },
  });
}
