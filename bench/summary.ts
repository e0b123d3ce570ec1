// Turns the rounds of every scenario into one row per target (medians of the round values; an
// "added" figure is taken per round against the mock in that round, then the median), and checks
// Parley's rows against the targets it is held to.
import type { BenchOptions } from "./options.js";
import type { LatencyResult, StreamsResult } from "./protocol.js";
import { roundsOf, type TargetRounds } from "./rounds.js";
import type { CapacityAtDelay } from "./scenarios/capacity.js";
import type { MemoryRound } from "./scenarios/memory.js";
import type { ProfileResult } from "./scenarios/profile.js";
import type { SizeResults } from "./scenarios/sizes.js";
import type { StreamingResults } from "./scenarios/streaming.js";
import { median } from "./stats.js";
import { baselineOf, type Target } from "./targets.js";

/** Everything one run measured, as written to results.json. */
export interface BenchResults {
  startedAt: string;
  durationS: number;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    loadAvgStart: number[];
    loadAvgEnd: number[];
  };
  options: BenchOptions;
  peers: string;
  /** Bytes Parley wrote to its log (info level, one line per request) over the run. */
  parleyLogBytes?: number;
  targets: Array<Pick<Target, "id" | "label" | "role" | "dialect">>;
  latency?: Array<TargetRounds<LatencyResult>>;
  capacity?: CapacityAtDelay[];
  streaming?: StreamingResults;
  memory?: Array<TargetRounds<MemoryRound>>;
  sizes?: SizeResults[];
  profiles?: ProfileResult[];
  summary?: TargetSummary[];
  checks?: Check[];
}

/** One target's figures: medians over the rounds. NaN where a scenario did not run. */
export interface TargetSummary {
  target: string;
  label: string;
  /** Requests/s at each capacity mock delay, keyed by the delay in ms. */
  reqPerSec: Record<string, number>;
  p99MsAtCapacity: Record<string, number>;
  errorsAtCapacity: Record<string, number>;
  cpuUsPerRequest: number;
  addedP50Us: number;
  addedP99Us: number;
  ttftP99Ms: number;
  addedTtftP99Ms: number;
  addedGapP99Us: number;
  cleanStreams: number;
  /** Late streams of each sweep step, per round ("0,0,3"). */
  sweep: Record<string, string>;
  idleMiB: number;
  perStreamKiB: number;
  /** Median streams flowing when RSS was sampled, of those asked for. */
  heldStreams: number;
  afterOverIdle: number;
  /** Added p50 µs at c=1 by conversation size, keyed by bytes. */
  sizeAddedP50Us: Record<string, number>;
}

/** One target of the issue, checked. */
export interface Check {
  target: string;
  goal: string;
  measured: string;
  /** "n/a" when the figure it is judged against is noise (a bare hop that added nothing or less). */
  verdict: "ok" | "MISS" | "n/a";
}

/** Median over rounds of `value(round of target, round of reference, round index)`. */
function pairedMedian<T>(
  results: ReadonlyArray<TargetRounds<T>>,
  target: string,
  reference: string,
  value: (own: T, ref: T) => number,
): number {
  const own = roundsOf(results, target);
  const ref = roundsOf(results, reference);
  return median(own.map((r, i) => (ref[i] === undefined ? Number.NaN : value(r, ref[i]!))));
}

function medianOf<T>(
  results: ReadonlyArray<TargetRounds<T>> | undefined,
  target: string,
  pick: (r: T) => number,
) {
  return median(roundsOf(results ?? [], target).map(pick));
}

function capacityFigures(r: BenchResults, t: Target) {
  const reqPerSec: Record<string, number> = {};
  const p99: Record<string, number> = {};
  const errors: Record<string, number> = {};
  for (const at of r.capacity ?? []) {
    reqPerSec[at.delayMs] = medianOf(at.targets, t.id, (x) => x.throughput);
    p99[at.delayMs] = medianOf(at.targets, t.id, (x) => x.latencyUs.p99 / 1000);
    errors[at.delayMs] = roundsOf(at.targets, t.id).reduce((n, x) => n + x.errors, 0);
  }
  const zero = r.capacity?.find((c) => c.delayMs === 0) ?? r.capacity?.[0];
  const cpu = zero ? medianOf(zero.targets, t.id, (x) => x.cpuUsPerRequest) : Number.NaN;
  return { reqPerSec, p99, errors, cpu };
}

function streamingFigures(r: BenchResults, t: Target, direct: Target) {
  const ttft = r.streaming?.ttft ?? [];
  const sweepRounds = roundsOf(r.streaming?.sweep ?? [], t.id);
  const sweep: Record<string, string> = {};
  for (const count of r.options.streaming.sweep) {
    sweep[count] = sweepRounds
      .map((round) => {
        const step = round.steps.find((s) => s.streams === count);
        if (!step) return "-";
        return step.errors > 0 ? `${step.lateStreams}+${step.errors}err` : `${step.lateStreams}`;
      })
      .join(",");
  }
  const p99 = (s: StreamsResult) => s.ttftUs.p99 / 1000;
  return {
    ttftP99Ms: medianOf(ttft, t.id, p99),
    addedTtftP99Ms: pairedMedian(ttft, t.id, direct.id, (own, ref) => p99(own) - p99(ref)),
    addedGapP99Us: pairedMedian(ttft, t.id, direct.id, (own, ref) => own.gapUs.p99 - ref.gapUs.p99),
    cleanStreams: sweepRounds.length === 0 ? Number.NaN : median(sweepRounds.map((x) => x.cleanStreams)),
    sweep,
  };
}

/** One row per target. */
export function summarize(r: BenchResults, targets: readonly Target[]): TargetSummary[] {
  return targets.map((t) => {
    const direct = baselineOf(targets, "direct", t.dialect);
    const added = (pick: (x: LatencyResult) => number) =>
      pairedMedian(r.latency ?? [], t.id, direct.id, (own, ref) => pick(own) - pick(ref));
    const sizeAddedP50Us: Record<string, number> = {};
    for (const size of r.sizes ?? []) {
      sizeAddedP50Us[size.bytes] = pairedMedian(
        size.targets,
        t.id,
        direct.id,
        (own, ref) => own.latencyUs.p50 - ref.latencyUs.p50,
      );
    }
    const capacity = capacityFigures(r, t);
    return {
      target: t.id,
      label: t.label,
      reqPerSec: capacity.reqPerSec,
      p99MsAtCapacity: capacity.p99,
      errorsAtCapacity: capacity.errors,
      cpuUsPerRequest: capacity.cpu,
      addedP50Us: t.role === "direct" ? Number.NaN : added((x) => x.latencyUs.p50),
      addedP99Us: t.role === "direct" ? Number.NaN : added((x) => x.latencyUs.p99),
      ...streamingFigures(r, t, direct),
      idleMiB: medianOf(r.memory, t.id, (m) => m.idleKiB / 1024),
      perStreamKiB: medianOf(r.memory, t.id, (m) => m.perStreamKiB),
      heldStreams: medianOf(r.memory, t.id, (m) => m.hold.flowing),
      afterOverIdle: medianOf(r.memory, t.id, (m) => m.afterKiB / m.idleKiB),
      sizeAddedP50Us,
    };
  });
}

const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : "n/a");

/** Parley's two paths against the targets of the issue; a check whose figure is missing is left out. */
export function checkTargets(rows: readonly TargetSummary[], targets: readonly Target[]): Check[] {
  const row = (id: string) => rows.find((x) => x.target === id);
  const checks: Check[] = [];
  const add = (target: string, goal: string, value: number, measured: string, pass: boolean | undefined) => {
    if (Number.isFinite(value))
      checks.push({ target, goal, measured, verdict: pass === undefined ? "n/a" : pass ? "ok" : "MISS" });
  };
  const paths = [
    { id: "parley-passthrough", dialect: "openai", p99: 300, capacity: 0.8, size: 1.5 },
    { id: "parley-translated", dialect: "anthropic", p99: 600, capacity: 0.7, size: 4 },
  ] as const;
  for (const path of paths) {
    const own = row(path.id);
    const bare = row(baselineOf(targets, "bare", path.dialect).id);
    const bareOpenai = row("bare-openai");
    if (!own || !bare || !bareOpenai) continue;
    add(
      path.id,
      `added p99 at c=1 <= ${path.p99} us`,
      own.addedP99Us,
      `${fmt(own.addedP99Us)} us`,
      own.addedP99Us <= path.p99,
    );
    const share = own.reqPerSec["0"]! / bare.reqPerSec["0"]!;
    add(
      path.id,
      `req/s >= ${path.capacity} of the bare hop`,
      share,
      `${fmt(share, 2)}`,
      share >= path.capacity,
    );
    for (const peer of ["portkey", "claude-code-router"]) {
      const other = row(peer);
      if (!other) continue;
      const times = own.reqPerSec["0"]! / other.reqPerSec["0"]!;
      add(path.id, `req/s >= 10x ${other.label}`, times, `${fmt(times, 1)}x`, times >= 10);
    }
    add(
      path.id,
      "added TTFT p99 <= 1 ms",
      own.addedTtftP99Ms,
      `${fmt(own.addedTtftP99Ms, 2)} ms`,
      own.addedTtftP99Ms <= 1,
    );
    add(
      path.id,
      "added per-chunk gap p99 <= 100 us",
      own.addedGapP99Us,
      `${fmt(own.addedGapP99Us)} us`,
      own.addedGapP99Us <= 100,
    );
    add(
      path.id,
      "clean paced streams >= the bare hop's",
      own.cleanStreams,
      `${fmt(own.cleanStreams)} vs ${fmt(bareOpenai.cleanStreams)}`,
      own.cleanStreams >= bareOpenai.cleanStreams,
    );
    add(
      path.id,
      "RSS per open stream <= 16 KiB",
      own.perStreamKiB,
      `${fmt(own.perStreamKiB, 1)} KiB`,
      own.perStreamKiB <= 16,
    );
    add(
      path.id,
      "RSS after the load within 10% of idle",
      own.afterOverIdle,
      `${fmt(own.afterOverIdle, 2)}x idle`,
      own.afterOverIdle <= 1.1,
    );
    for (const [bytes, value] of Object.entries(own.sizeAddedP50Us)) {
      const floor = bare.sizeAddedP50Us[bytes]!;
      const times = value / floor;
      add(
        path.id,
        `${Math.round(Number(bytes) / 1024)} KB: added <= ${path.size}x the bare hop's`,
        value,
        `${fmt(value)} vs ${fmt(floor)} us${floor > 0 ? ` (${fmt(times, 1)}x)` : ""}`,
        floor > 0 ? times <= path.size : undefined,
      );
    }
  }
  return checks;
}
