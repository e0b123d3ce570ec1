// Scenario 4, memory: each proxy's RSS idle, with N slow streams held open through it, and once
// it has settled after they hung up; the per-stream cost is the slope between the first two.
// Every round runs on a new, warmed process of the target: a process that has held N streams once
// keeps most of that memory, so a second round in it would measure reuse, not cost.
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
  /** When RSS came back within `SETTLED` of idle, or the last reading once `AFTER_MS` ran out. */
  afterKiB: number;
  /** How long after the hang-up RSS came back within `SETTLED` of idle; null if it did not. */
  settledMs: number | null;
  /** (held − idle) / streams asked. */
  perStreamKiB: number;
  hold: HoldResult;
}

/** "Back to idle": within 10% of the idle RSS. */
const SETTLED = 1.1;
/**
 * How long RSS is watched after the hang-up. A garbage-collected runtime gives memory back when
 * it sees the load is gone (V8's memory reducer waits 8 s after a full collection, then checks
 * that allocation is slow): 20–45 s here, where a reading 2 s after shows the load's own wake.
 */
const AFTER_MS = 60_000;
const AFTER_POLL_MS = 500;

/** Plain requests and a few streams, so compiled code and first-use buffers are not counted per stream. */
async function warm(context: BenchContext, target: Target): Promise<void> {
  const { load, options } = context;
  const request = targetRequest({ target, stream: false, delayMs: 0 });
  await load.run({ kind: "closed-loop", request, connections: 16, warmupMs: 0, durationMs: 500 }, 60_000);
  const stream = targetRequest({ target, stream: true, delayMs: options.memory.gapMs });
  await load.run({ kind: "hold", request: stream, streams: 20, settleMs: 3_000 }, 60_000);
  await load.run({ kind: "release" }, 30_000);
}

/** A round whose RSS after the hang-up is still being watched. */
interface HeldRound {
  round: Omit<MemoryRound, "afterKiB" | "settledMs">;
  releasedAt: number;
}

async function holdOnce(context: BenchContext, target: Target): Promise<HeldRound> {
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
  const releasedAt = performance.now();
  return { round: { idleKiB, heldKiB, perStreamKiB: (heldKiB - idleKiB) / streams, hold }, releasedAt };
}

/** Reads the process's RSS until it is back within SETTLED of idle, or AFTER_MS has passed. */
async function settle(pid: number, held: HeldRound): Promise<MemoryRound> {
  const { round, releasedAt } = held;
  for (;;) {
    const afterKiB = rssKiB(pid);
    const elapsedMs = performance.now() - releasedAt;
    if (afterKiB <= round.idleKiB * SETTLED) return { ...round, afterKiB, settledMs: Math.round(elapsedMs) };
    if (elapsedMs >= AFTER_MS) return { ...round, afterKiB, settledMs: null };
    await sleep(AFTER_POLL_MS);
  }
}

/**
 * Runs scenario 4 on every target with a process of its own (the mock's RSS is nobody's cost).
 * A process left idle after its hang-up is watched while the next target holds its streams:
 * reading /proc costs it nothing, and the rounds do not wait out each other's settling.
 */
export async function measureMemory(context: BenchContext): Promise<Array<TargetRounds<MemoryRound>>> {
  const { options, log } = context;
  const pending = await interleave({
    targets: context.targets.filter((t) => t.role === "proxy" || t.id === "bare-openai"),
    rounds: options.rounds,
    label: `memory with ${options.memory.streams} open streams, a new process each round`,
    log,
    // The settling round is wrapped: an async function would wait for a promise it returned.
    measure: async (target): Promise<{ settled: Promise<MemoryRound> }> => {
      const instance = await context.fresh(target.id);
      if (!instance) {
        // A shared process settles before anything else runs in it.
        const round = await settle(target.pid, await holdOnce(context, target));
        return { settled: Promise.resolve(round) };
      }
      try {
        const held = await holdOnce(context, instance.target);
        const settled = settle(instance.target.pid, held).finally(() => instance.stop());
        settled.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled
        return { settled };
      } catch (error) {
        await instance.stop();
        throw error;
      }
    },
  });
  log(`  memory: waiting up to ${AFTER_MS / 1000} s for the last processes to settle`);
  return Promise.all(
    pending.map(async (t) => ({
      target: t.target,
      rounds: await Promise.all(t.rounds.map((r) => r.settled)),
    })),
  );
}
