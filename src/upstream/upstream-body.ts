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

  /** `release` runs once, when the body has ended, failed or been destroyed. */
  constructor(private release: (() => void) | undefined) {}

  /** Called by the dispatch handler for each chunk. */
  push(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.controller = controller;
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.queued > HIGH_WATER_BYTES) controller.pause();
    this.notify();
  }

  /** Called by the dispatch handler when the body has ended, or failed with `error`. */
  finish(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.done();
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

  /** The whole body, or the first `limit` bytes of it (the rest is released unread). */
  async bytes(limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this) {
      size += chunk.length;
      if (size > limit) break;
      chunks.push(chunk);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }

  /** The whole body as UTF-8 text. */
  async text(): Promise<string> {
    return (await this.bytes()).toString("utf8");
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
