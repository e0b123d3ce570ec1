// Writes a server-sent-event response to the client: headers on the first write, one
// flush per event, keep-alives while the upstream is silent (DESIGN §4, edge 22), and
// backpressure: a caller that sees `write` return false waits for `drained()` before it
// reads more from the upstream, so a client that stops reading holds one socket buffer.
import type { ServerResponse } from "node:http";
import type { Dialect } from "../core/dialect-errors.js";
import { anthropicErrorBody, openaiErrorBody } from "../core/dialect-errors.js";
import { encodeAnthropicEvent, encodeComment, encodeOpenAIChunk, OPENAI_DONE } from "../sse/encode.js";

/** Headers of every SSE response Parley writes. */
const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

/** A client-facing event stream. */
export class SseWriter {
  private started = false;
  private atBoundary = true;
  private lastWrite = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: { dialect: Dialect; headers: Record<string, string>; pingIntervalMs: number },
  ) {}

  /** Whether anything (the status line included) has gone to the client. */
  get committed(): boolean {
    return this.started;
  }

  /**
   * Writes SSE text or bytes; `boundary` says whether they end at an event boundary.
   * Returns false when the client's socket is full: wait for `drained()` before writing more.
   */
  write(data: string | Buffer, boundary = true): boolean {
    if (!this.started) this.start();
    if (this.res.destroyed) return true;
    const roomLeft = this.res.write(data);
    this.atBoundary = boundary;
    this.lastWrite = Date.now();
    return roomLeft;
  }

  /** Resolves once the client's socket has room again, or the client is gone. */
  drained(): Promise<void> {
    const res = this.res;
    if (res.destroyed || !res.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        res.off("drain", done);
        res.off("close", done);
        resolve();
      };
      res.on("drain", done);
      res.on("close", done);
    });
  }

  /** Ends the stream in the dialect's error shape (DESIGN §4 mid-stream failure). */
  fail(status: number, message: string): void {
    if (this.options.dialect === "anthropic") {
      if (!this.atBoundary) this.write("\n\n");
      this.write(encodeAnthropicEvent(anthropicErrorBody(status, message)));
    } else {
      if (!this.atBoundary) this.write("\n\n");
      this.write(encodeOpenAIChunk(openaiErrorBody(status, message)) + OPENAI_DONE);
    }
    this.end();
  }

  /** Finishes the response. */
  end(): void {
    this.stopTimer();
    if (!this.started) this.start();
    if (!this.res.writableEnded) this.res.end();
  }

  private start(): void {
    this.started = true;
    // No flushHeaders(): start() always runs just before a write or end in the same tick, which
    // send the headers with the first bytes in one syscall instead of two.
    this.res.writeHead(200, { ...this.options.headers, ...SSE_HEADERS });
    if (this.options.pingIntervalMs > 0) {
      this.timer = setInterval(() => this.keepAlive(), Math.max(50, this.options.pingIntervalMs / 2));
      this.timer.unref();
    }
  }

  private keepAlive(): void {
    if (this.res.destroyed || this.res.writableEnded) {
      this.stopTimer();
      return;
    }
    if (!this.atBoundary || Date.now() - this.lastWrite < this.options.pingIntervalMs) return;
    // Anthropic clients reset their watchdog on events, not comments; OpenAI has no ping event.
    this.write(
      this.options.dialect === "anthropic" ? encodeAnthropicEvent({ type: "ping" }) : encodeComment("ping"),
    );
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
