// The commit gate owns the client's response for one streamed request. Nothing reaches the
// client (status line included) until the upstream produced its first content frame or
// the commit deadline passed (DESIGN §4): preamble frames are held, so a failure before
// content is thrown back to the target loop, which may retry or fall over invisibly.
// After the commit it pumps the stream with backpressure, sends keep-alive pings while the
// upstream is silent, and turns a later failure into one error event in the client's dialect.
import type { ServerResponse } from "node:http";
import type { ClientDialect } from "../core/dialect-errors.js";
import { ParleyError } from "../core/errors.js";
import { CLIENT_STREAM, type ClientStreamFraming } from "./client-stream.js";

/** One piece of a client-dialect stream, ready to write. */
export interface StreamFrame {
  wire: string | Buffer;
  /** Whether it carries content; preamble frames (message_start, role-only chunks) do not. */
  content: boolean;
  /**
   * Set when the frame is the stream's own report of a failure (an error event): before the
   * commit it is thrown, so the attempt can be retried; after, the frame goes out as it is.
   */
  failure?: Error;
}

/** Headers of every SSE response Parley writes. */
const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

/** What a gate needs to know about its request. */
export interface CommitGateOptions {
  res: ServerResponse;
  dialect: ClientDialect;
  /** When the request arrived (ms since the epoch); the commit deadline counts from it. */
  startedAt: number;
  /** 0 = commit as soon as a stream is open. */
  commitDeadlineMs: number;
  /** Upstream silence after which a keep-alive goes out; 0 = never. */
  pingIntervalMs: number;
  /** Aborted when the client hangs up. */
  signal: { readonly aborted: boolean };
  /** Time spent waiting on the upstream's frames is added here. */
  clock: { waitedMs: number };
  /** Called once, when the first byte goes to the client. */
  onCommit(): void;
  /** Called when a stream fails after the commit point. */
  onLateFailure(error: unknown): void;
}

const TIMED_OUT = Symbol("timed out");

/** The client's side of one streamed request. */
export class CommitGate {
  private readonly framing: ClientStreamFraming;
  private committed = false;
  private atBoundary = true;
  private lastWrite = 0;
  private pinger: NodeJS.Timeout | undefined;
  private iterator: AsyncIterator<StreamFrame> | undefined;
  private pending: Promise<IteratorResult<StreamFrame>> | undefined;

  constructor(private readonly options: CommitGateOptions) {
    this.framing = CLIENT_STREAM[options.dialect];
  }

  /** Whether anything (the status line included) has gone to the client. */
  get isCommitted(): boolean {
    return this.committed;
  }

  /**
   * Reads `frames` until the first content frame or the commit deadline, then commits: the
   * status line, `headers`, and the frames held so far. A failure before that is thrown and
   * nothing was sent. Call `pump()` afterwards for the rest of the stream.
   */
  async open(frames: AsyncIterable<StreamFrame>, headers: Record<string, string>): Promise<void> {
    const iterator = frames[Symbol.asyncIterator]();
    this.iterator = iterator;
    const { commitDeadlineMs, startedAt } = this.options;
    const held: StreamFrame[] = [];
    if (commitDeadlineMs <= 0) return this.commit(headers, held);
    // One timer for the whole wait, not one per held frame: it is on every stream's path
    // to its first token.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, startedAt + commitDeadlineMs - Date.now()), TIMED_OUT);
    });
    try {
      for (;;) {
        const next = iterator.next();
        const started = performance.now();
        const result = await Promise.race([next, deadline]);
        this.options.clock.waitedMs += performance.now() - started;
        if (result === TIMED_OUT) {
          // A slow first token: commit so no load balancer cuts a silent connection.
          this.pending = next;
          this.commit(headers, held);
          this.write(this.framing.ping);
          return;
        }
        if (result.done) break;
        if (result.value.failure) {
          // Releases the upstream body the generator holds before the loop tries elsewhere.
          await iterator.return?.();
          throw result.value.failure;
        }
        held.push(result.value);
        if (result.value.content) break;
      }
    } finally {
      clearTimeout(timer);
    }
    this.commit(headers, held);
  }

  /** Writes the rest of the stream; a failure now ends it with an error event. */
  async pump(): Promise<void> {
    const iterator = this.iterator;
    if (!iterator) throw new Error("pump() before open()");
    const clock = this.options.clock;
    let next = this.pending ?? iterator.next();
    this.pending = undefined;
    try {
      for (;;) {
        // The wait is timed inline: an awaited helper per chunk is one more promise and
        // async frame on every chunk of every stream.
        const started = performance.now();
        let result: IteratorResult<StreamFrame> | undefined = await next;
        clock.waitedMs += performance.now() - started;
        if (result.done) break;
        const full = this.send(result.value);
        // Not kept across the wait for the next frame: thousands of streams sit in that wait
        // at once, each holding on to the bytes it last wrote.
        result = undefined;
        if (full) await this.drained();
        next = iterator.next();
      }
    } catch (error) {
      this.failLate(error);
    } finally {
      this.end();
    }
  }

  /** Writes one frame after the commit; true when the client's socket is full. */
  private send(frame: StreamFrame): boolean {
    if (frame.failure) this.options.onLateFailure(frame.failure);
    return !this.write(frame.wire);
  }

  private commit(headers: Record<string, string>, held: StreamFrame[]): void {
    this.committed = true;
    this.options.onCommit();
    this.options.res.writeHead(200, { ...headers, ...SSE_HEADERS });
    if (this.options.pingIntervalMs > 0) {
      this.pinger = setInterval(() => this.keepAlive(), Math.max(50, this.options.pingIntervalMs / 2));
      this.pinger.unref();
    }
    // The held frames as one chunk: the first token leaves with its preamble in one write.
    if (held.length === 1) this.write(held[0]!.wire);
    else if (held.length > 1) this.write(joinWires(held));
  }

  private failLate(error: unknown): void {
    if (this.options.signal.aborted || this.options.res.destroyed) return;
    this.options.onLateFailure(error);
    const status = error instanceof ParleyError ? error.status : 502;
    const message = error instanceof Error ? error.message : String(error);
    if (!this.atBoundary) this.write("\n\n");
    this.write(this.framing.error(status, `the upstream stream failed: ${message}`));
  }

  /** Writes bytes; false when the client's socket is full. */
  private write(data: string | Buffer): boolean {
    const res = this.options.res;
    if (res.destroyed || data.length === 0) return true;
    this.atBoundary = endsAtBoundary(data);
    this.lastWrite = Date.now();
    return res.write(data);
  }

  /** Resolves once the client's socket has room again, or the client is gone. */
  private drained(): Promise<void> {
    const res = this.options.res;
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

  private keepAlive(): void {
    const res = this.options.res;
    if (res.destroyed || res.writableEnded) {
      this.stopPinger();
      return;
    }
    if (!this.atBoundary || Date.now() - this.lastWrite < this.options.pingIntervalMs) return;
    this.write(this.framing.ping);
  }

  private stopPinger(): void {
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = undefined;
  }

  private end(): void {
    this.stopPinger();
    if (!this.options.res.writableEnded) this.options.res.end();
  }
}

/** Frames' bytes as one piece: text when they all are, else bytes (a passthrough's are latin1-exact Buffers). */
function joinWires(frames: readonly StreamFrame[]): string | Buffer {
  if (frames.every((f) => typeof f.wire === "string")) return frames.map((f) => f.wire).join("");
  return Buffer.concat(frames.map((f) => (typeof f.wire === "string" ? Buffer.from(f.wire) : f.wire)));
}

/** Whether SSE bytes end at an event boundary (a blank line), where a ping may go. */
function endsAtBoundary(data: string | Buffer): boolean {
  const n = data.length;
  if (n < 2) return false;
  const at = (i: number) => (typeof data === "string" ? data.charCodeAt(i) : data[i]);
  return at(n - 1) === 0x0a && (at(n - 2) === 0x0a || (at(n - 2) === 0x0d && at(n - 3) === 0x0a));
}
