// An upstream response body as undici's dispatch API delivers it: chunks queued as they
// arrive, read by one consumer as an async iterable or all at once. It holds at most a
// high-water mark of unread bytes before pausing the upstream socket (backpressure), and
// costs no stream machinery — the hot path reads thousands of these a second.
import type { Dispatcher } from "undici";

/** Unread bytes held before the upstream socket is paused. */
const HIGH_WATER_BYTES = 64 * 1024;

/** The response body of one upstream request. */
export class UpstreamBody implements AsyncIterable<Buffer> {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  /** A whole-body read waiting for the end: chunks are kept, the socket never paused. */
  private whole: { limit: number; resolve(bytes: Buffer): void; reject(error: Error): void } | undefined;

  /** `release` runs once, when the body has ended, failed or been destroyed. */
  constructor(private release: (() => void) | undefined) {}

  /** Called by the dispatch handler for each chunk. */
  push(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.controller = controller;
    this.queue.push(chunk);
    this.queued += chunk.length;
    const whole = this.whole;
    if (whole) {
      if (this.queued > whole.limit) this.settleWhole();
      return;
    }
    if (this.queued > HIGH_WATER_BYTES) controller.pause();
    this.notify();
  }

  /** Called by the dispatch handler when the body has ended, or failed with `error`. */
  finish(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.done();
    if (this.whole) this.settleWhole();
    this.notify();
  }

  /** Stops reading: the upstream request is aborted if it is still arriving. */
  destroy(): void {
    if (!this.ended) {
      this.ended = true;
      this.controller?.abort(new Error("the upstream body was released unread"));
    }
    this.queue.length = 0;
    this.queued = 0;
    this.done();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const chunk = this.queue.shift();
        if (chunk !== undefined) {
          this.queued -= chunk.length;
          if (this.queued <= HIGH_WATER_BYTES && this.controller?.paused) this.controller.resume();
          yield chunk;
          continue;
        }
        if (this.failure) throw this.failure;
        if (this.ended) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      // A consumer that stops early (break, throw) releases the upstream request.
      if (!this.ended || this.queue.length > 0) this.destroy();
    }
  }

  /**
   * The whole body, or its chunks up to `limit` bytes (the rest is released unread). It waits
   * for the end without iterating: a JSON answer is one or two chunks, read thousands of
   * times a second.
   */
  bytes(limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.whole = { limit, resolve, reject };
      // Whatever a paused socket held back flows now: the whole body is wanted.
      if (this.controller?.paused) this.controller.resume();
      if (this.ended || this.queued > limit) this.settleWhole();
    });
  }

  /** The whole body as UTF-8 text. */
  async text(): Promise<string> {
    return (await this.bytes()).toString("utf8");
  }

  /** Ends a whole-body read: the chunks that fit its limit, or the body's failure. */
  private settleWhole(): void {
    const whole = this.whole;
    if (!whole) return;
    this.whole = undefined;
    if (this.failure) {
      whole.reject(this.failure);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for (const chunk of this.queue) {
      size += chunk.length;
      if (size > whole.limit) break;
      chunks.push(chunk);
    }
    if (!this.ended) this.destroy();
    this.queue.length = 0;
    this.queued = 0;
    whole.resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private done(): void {
    const release = this.release;
    this.release = undefined;
    release?.();
  }
}
