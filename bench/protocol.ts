// The messages between the bench runner and its load-generator process, over the IPC channel of
// child_process.fork: one job in, one reply out, matched by id. Times in results are microseconds.
import type { Summary } from "./stats.js";

/** One HTTP request the load generator sends over and over. */
export interface RequestSpec {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  stream: boolean;
  /** When set, a DELTA_MARK counts as a delta only right after these bytes (see `deltaPrefixOf`). */
  deltaPrefix?: string;
  /**
   * The model asks the mock for its own time: each latency is taken without it, so the mock's
   * parsing of a large body (and its garbage collection) is not noise in what a proxy adds.
   */
  mockTimed?: boolean;
}

/** What the runner asks the load generator to do. */
export type LoadJob =
  /** One kept-alive connection, one request after another: `warmup` unmeasured, then at least
   * `minRequests` and for at least `durationMs` (whichever is later), never past `maxMs`. */
  | {
      kind: "sequential";
      request: RequestSpec;
      warmup: number;
      minRequests: number;
      durationMs: number;
      maxMs: number;
    }
  /** `connections` requests in flight back to back for `durationMs` after `warmupMs`. */
  | { kind: "closed-loop"; request: RequestSpec; connections: number; durationMs: number; warmupMs: number }
  /** `count` paced streams, started at `rate` per second or (without a rate) all at once; `warm`
   * streams first, unmeasured and concurrent, open the connections the paced ones will reuse. */
  | {
      kind: "streams";
      request: RequestSpec;
      warm?: { request: RequestSpec; streams: number };
      count: number;
      rate?: number;
      gapMs: number;
      deltas: number;
      collectGaps: boolean;
    }
  /** `streams` slow streams opened and kept open until `release`. */
  | { kind: "hold"; request: RequestSpec; streams: number; settleMs: number }
  | { kind: "release" };

/** Outcome of a `sequential` or `closed-loop` job. */
export interface LatencyResult {
  /** Request start to the last body byte. */
  latencyUs: Summary;
  completed: number;
  /** Completed requests including the unmeasured warm-up (what the target's CPU time was spent on). */
  completedTotal: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** Completed requests per second over the measured window. */
  throughput: number;
}

/** Outcome of a `streams` job. */
export interface StreamsResult {
  /** Request start to the first content delta. */
  ttftUs: Summary;
  /** Time between consecutive content deltas (empty unless `collectGaps`). */
  gapUs: Summary;
  requested: number;
  completed: number;
  /** Streams with a delta more than LATE_MS behind its schedule. */
  lateStreams: number;
  /** The worst lateness of any delta, ms. */
  maxLateMs: number;
  errors: number;
  firstError?: string;
}

/** Streams held open by a `hold` job when it settled. */
export interface HoldResult {
  requested: number;
  /** Streams whose first content delta had arrived. */
  flowing: number;
  errors: number;
  firstError?: string;
}

/** How far behind its schedule a delta may arrive before its stream counts as late. */
export const LATE_MS = 50;

/** The reply to a job (`release` answers with `null`). */
export type LoadResult = LatencyResult | StreamsResult | HoldResult | null;

/** A job on the wire. */
export interface JobMessage {
  id: number;
  job: LoadJob;
}

/** A reply on the wire. */
export type ReplyMessage =
  | { id: number; ok: true; result: LoadResult }
  | { id: number; ok: false; error: string };
