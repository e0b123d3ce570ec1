// Times the content deltas of one streamed answer as they arrive, by counting DELTA_MARK bytes in
// the raw chunks (no decoding, so the load generator stays cheap at thousands of streams): time to
// the first delta, the gaps between deltas, and how far the latest delta fell behind the schedule.
import { performance } from "node:perf_hooks";
import { DELTA_MARK } from "./requests.js";

const MARK = DELTA_MARK.charCodeAt(0);

/** What one stream's deltas did. */
export interface StreamTiming {
  deltas: number;
  /** Request start to the first delta, µs. */
  ttftUs: number;
  /**
   * The worst delay of a delta behind the stream's own schedule (delta k is due `k × gapMs` after the
   * stream's best-placed delta), ms: immune to when the stream started, blind to nothing after it did.
   */
  lateMs: number;
}

/** Whether the bytes before `chunk[at]` (reaching back into `tail`, the previous chunk's end) are `prefix`. */
function precededBy(options: { chunk: Buffer; at: number; tail: Buffer; prefix: Buffer }): boolean {
  const { chunk, at, tail, prefix } = options;
  if (at >= prefix.length) return chunk.compare(prefix, 0, prefix.length, at - prefix.length, at) === 0;
  const fromTail = prefix.length - at;
  if (tail.length < fromTail) return false;
  return (
    tail.compare(prefix, 0, fromTail, tail.length - fromTail) === 0 &&
    chunk.compare(prefix, fromTail, prefix.length, 0, at) === 0
  );
}

/**
 * Reads `body` to its end; pushes each inter-delta gap (µs) into `gaps` when given. With a `prefix`,
 * only marks right after it count (a stream that repeats its text after the deltas).
 */
export async function timeDeltas(options: {
  body: AsyncIterable<Buffer>;
  startedAt: number;
  gapMs: number;
  gaps?: number[];
  prefix?: string;
  onFirstDelta?: () => void;
}): Promise<StreamTiming> {
  const { body, startedAt, gapMs, gaps } = options;
  const prefix = options.prefix === undefined ? undefined : Buffer.from(options.prefix);
  let tail = Buffer.alloc(0);
  let deltas = 0;
  let ttftUs = Number.NaN;
  let previous = 0;
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  for await (const chunk of body) {
    const now = performance.now();
    for (let at = chunk.indexOf(MARK); at !== -1; at = chunk.indexOf(MARK, at + 1)) {
      if (prefix && !precededBy({ chunk, at, tail, prefix })) continue;
      if (deltas === 0) {
        ttftUs = (now - startedAt) * 1000;
        options.onFirstDelta?.();
      } else {
        gaps?.push((now - previous) * 1000);
      }
      const offset = now - deltas * gapMs;
      if (offset < earliest) earliest = offset;
      if (offset > latest) latest = offset;
      previous = now;
      deltas++;
    }
    if (prefix) {
      // Copied: undici may reuse a chunk's memory once it has been handed on.
      const end = chunk.length >= prefix.length ? chunk : Buffer.concat([tail, chunk]);
      tail = Buffer.from(end.subarray(Math.max(0, end.length - prefix.length)));
    }
  }
  return { deltas, ttftUs, lateMs: deltas === 0 ? Number.NaN : latest - earliest };
}
