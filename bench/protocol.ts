// The messages between the bench runner and its load-generator process, over the IPC
// channel of child_process.fork: one job in, one reply out, matched by id.
import type { Summary } from "./stats.js";

/** One HTTP request the load generator sends over and over. */
export interface RequestSpec {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  stream: boolean;
  /** Text whose first appearance in the body marks the first content token (streams). */
  marker?: string;
}

/** What the runner asks the load generator to do. */
export type LoadJob =
  | { kind: "open-loop"; request: RequestSpec; rate: number; durationMs: number; warmupMs: number }
  | { kind: "closed-loop"; request: RequestSpec; connections: number; durationMs: number; warmupMs: number }
  | { kind: "hold"; request: RequestSpec; streams: number; settleMs: number }
  | { kind: "release" };

/** The outcome of a measured phase (open or closed loop). */
export interface PhaseResult {
  /** Request start (the scheduled start in open loop) to the last body byte. */
  latencyMs: Summary;
  /** Request start to the first content token; streams only. */
  ttfbMs?: Summary;
  completed: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** Completed requests per second over the measured window. */
  throughput: number;
}

/** Streams held open by a `hold` job when it settled. */
export interface HoldResult {
  requested: number;
  /** Streams whose first content token had arrived. */
  flowing: number;
  errors: number;
  firstError?: string;
}

/** The reply to a job (`release` answers with `null`). */
export type LoadResult = PhaseResult | HoldResult | null;

/** A job on the wire. */
export interface JobMessage {
  id: number;
  job: LoadJob;
}

/** A reply on the wire. */
export type ReplyMessage =
  | { id: number; ok: true; result: LoadResult }
  | { id: number; ok: false; error: string };
