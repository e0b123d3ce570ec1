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

/** Reads `body` to its end; pushes each inter-delta gap (µs) into `gaps` when given. */
export async function timeDeltas(options: {
  body: AsyncIterable<Buffer>;
  startedAt: number;
  gapMs: number;
  gaps?: number[];
  onFirstDelta?: () => void;
}): Promise<StreamTiming> {
  const { body, startedAt, gapMs, gaps } = options;
  let deltas = 0;
  let ttftUs = Number.NaN;
  let previous = 0;
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  for await (const chunk of body) {
    const now = performance.now();
    for (let at = chunk.indexOf(MARK); at !== -1; at = chunk.indexOf(MARK, at + 1)) {
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
  }
  return { deltas, ttftUs, lateMs: deltas === 0 ? Number.NaN : latest - earliest };
}
