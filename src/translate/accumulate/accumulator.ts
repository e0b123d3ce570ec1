// The shape both stream accumulators share. Demotion sends a non-streaming client request
// upstream as a stream; an accumulator rebuilds from that stream the one JSON body the
// non-streaming API would have answered, or says why there is none.
import type { UpstreamHttpError, UpstreamProtocolError } from "../../core/errors.js";

/**
 * How an accumulated stream ended. A failure is a ParleyError so the attempt loop can treat
 * it like any other upstream failure: `UpstreamHttpError` for an error the upstream sent
 * inside its stream (its status read from the error's type or code), `UpstreamProtocolError`
 * for a stream that stopped early or broke the event grammar (502, retryable).
 */
export type AccumulatedBody =
  | { ok: true; body: string }
  | { ok: false; error: UpstreamHttpError | UpstreamProtocolError };

/** A per-request state machine from upstream stream events to one non-streaming response body. */
export interface StreamAccumulator {
  /** Takes one upstream event: the parsed `data` of an SSE event (anything else is ignored). */
  push(input: unknown): void;
  /** Ends the stream: the whole body as JSON text, or the failure that stands in for it. */
  finish(): AccumulatedBody;
}
