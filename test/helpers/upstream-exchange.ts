// One request to the faulty upstream as a fault sees it, and the few moves a fault makes on
// its socket: headers, writes that wait until the bytes reach the kernel, pauses, a drop and a
// reset. Every move is a no-op once the exchange is over, so a fault never writes to a dead socket.
import type { ServerResponse } from "node:http";
import type { Transcript, UpstreamKind } from "./upstream-answers.js";

/** How a fault itself ends an exchange (anything else is the caller's doing or the upstream closing). */
export type UpstreamEnding = "dropped" | "reset";

/** One request being answered. */
export interface Exchange {
  kind: UpstreamKind;
  res: ServerResponse;
  /** The correct answer to this request; faults send parts of it. */
  answer: Transcript;
  /** The provider's request id for this attempt, sent in its header. */
  requestId: string;
  /** Aborted once the exchange is over: caller gone, fault ended it, or upstream closing. */
  signal: AbortSignal;
  /** Records that the fault, not the caller, is ending the exchange. */
  endedBy(ending: UpstreamEnding): void;
}

/** Writes the status line and headers now (flushed, so a client sees them even if nothing follows). */
export function sendHead(
  x: Exchange,
  status: number,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (x.signal.aborted) return;
  const id = x.kind === "anthropic" ? "request-id" : "x-request-id";
  const sse = contentType.startsWith("text/event-stream") ? { "cache-control": "no-cache" } : {};
  x.res.writeHead(status, { "content-type": contentType, ...sse, [id]: x.requestId, ...headers });
  x.res.flushHeaders();
}

/**
 * Resolves when `start` calls done or the exchange ends, whichever is first, then runs the
 * cleanup `start` returned; the abort listener is removed so long streams do not pile them up.
 */
function whileOpen(x: Exchange, start: (done: () => void) => (() => void) | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (x.signal.aborted) return resolve();
    let cleanup: (() => void) | undefined;
    const done = () => {
      x.signal.removeEventListener("abort", done);
      cleanup?.();
      resolve();
    };
    x.signal.addEventListener("abort", done);
    cleanup = start(done);
  });
}

/** Writes frames one write each, resolving when each has reached the kernel (or the exchange ended). */
export async function sendFrames(x: Exchange, frames: string[]): Promise<void> {
  for (const frame of frames) {
    await whileOpen(x, (done) => {
      x.res.write(frame, () => done());
      return undefined;
    });
  }
}

/** Waits `ms`, or less if the exchange ends first; the timer never outlives the exchange. */
export function pause(x: Exchange, ms: number): Promise<void> {
  return whileOpen(x, (done) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    return () => clearTimeout(timer);
  });
}

/** Ends the answer normally. */
export function finish(x: Exchange, last?: string): void {
  if (!x.signal.aborted) x.res.end(last);
}

/** Closes the connection with a FIN mid-answer: the client reads what was sent, then EOF. */
export function drop(x: Exchange): void {
  if (x.signal.aborted) return;
  x.endedBy("dropped");
  x.res.destroy();
}

/** Closes the connection with an RST: the client sees ECONNRESET. */
export function reset(x: Exchange): void {
  if (x.signal.aborted) return;
  x.endedBy("reset");
  const socket = x.res.socket;
  if (socket) socket.resetAndDestroy();
  else x.res.destroy();
}
