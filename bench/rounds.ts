// How every scenario runs: all its targets in the same run, interleaved round by round (the order
// rotating each round so no target always follows the same neighbour), so a noisy moment of a
// shared machine lands on every target alike instead of on one.
import type { BenchOptions } from "./options.js";
import type { LoadGenerator } from "./processes.js";
import type { Target } from "./targets.js";

/** A target in a process of its own, started for one measurement. */
export interface FreshInstance {
  target: Target;
  stop(): Promise<unknown>;
}

/** What a scenario gets to work with. */
export interface BenchContext {
  load: LoadGenerator;
  /** Every target of the run: references first, then Parley, then the peers that started. */
  targets: Target[];
  mockUrl: string;
  clientKey: string;
  options: BenchOptions;
  log: (line: string) => void;
  /** Starts a new process of the target with this id, or undefined if it has none of its own. */
  fresh: (id: string) => Promise<FreshInstance> | undefined;
}

/** One target's measurements, one per round. */
export interface TargetRounds<T> {
  target: string;
  rounds: T[];
}

/** Measures each of `targets` once per round, interleaved; resolves with each target's rounds in order. */
export async function interleave<T>(options: {
  targets: readonly Target[];
  rounds: number;
  label: string;
  log: (line: string) => void;
  measure: (target: Target, round: number) => Promise<T>;
}): Promise<Array<TargetRounds<T>>> {
  const { targets, rounds, label, log, measure } = options;
  const results = targets.map((t) => ({ target: t.id, rounds: [] as T[] }));
  for (let round = 0; round < rounds; round++) {
    log(`  ${label}: round ${round + 1}/${rounds}`);
    for (let k = 0; k < targets.length; k++) {
      const index = (k + round) % targets.length;
      results[index]!.rounds[round] = await measure(targets[index]!, round);
    }
  }
  return results;
}

/** The rounds of `target` in `results`, or none. */
export function roundsOf<T>(results: ReadonlyArray<TargetRounds<T>>, target: string): T[] {
  return results.find((r) => r.target === target)?.rounds ?? [];
}
