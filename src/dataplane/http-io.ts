// Reading request bodies under a size limit and writing JSON responses, compressed when
// the client accepts it and the body is worth it (DESIGN §3).
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { brotliCompress, gzip, constants as zlibConstants } from "node:zlib";
import type { BodyBuffers } from "../core/body-buffers.js";
import { ClientClosedError, PayloadTooLargeError, RequestTimeoutError } from "../core/errors.js";

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** The headers that describe the body sendJson writes: its own, whatever the caller passed. */
const BODY_HEADERS = new Set(["content-type", "content-length", "content-encoding", "vary"]);

/** Bodies smaller than this are not worth compressing. */
const COMPRESS_MIN_BYTES = 1024;

/** Bounds on reading one request body. */
export interface BodyLimits {
  maxBodyBytes: number;
  /** Time allowed for the whole body to arrive; 0 = no bound. */
  bodyTimeoutMs: number;
}

/** How often body reads are checked against their time limit. */
const BODY_SWEEP_MS = 250;

/** One body read with a time limit, linked into its server's list of them. */
interface BodyRead {
  deadline: number;
  refuse: () => void;
  prev: BodyRead | undefined;
  next: BodyRead | undefined;
}

/**
 * Body reads that have a time limit, each with the function that refuses it and its deadline
 * (ms since the epoch), swept together: almost every body has arrived within a millisecond,
 * and a timer set and cleared per request cost more than the read. A late body is refused
 * within BODY_SWEEP_MS of its limit (Node checks the headers timeout once a second). The reads
 * are a linked list, so adding and removing one hashes nothing. One per server, stopped when
 * it closes.
 */
export class BodyDeadlines {
  private head: BodyRead | undefined;
  private readonly sweeper = setInterval(() => this.sweep(), BODY_SWEEP_MS).unref();

  /** Starts watching a read; the handle given back is what `delete` takes when the read ends. */
  add(deadline: number, refuse: () => void): BodyRead {
    const read: BodyRead = { deadline, refuse, prev: undefined, next: this.head };
    if (this.head) this.head.prev = read;
    this.head = read;
    return read;
  }

  /** Stops watching a read (again is harmless). */
  delete(read: BodyRead): void {
    if (read.prev) read.prev.next = read.next;
    else if (this.head === read) this.head = read.next;
    if (read.next) read.next.prev = read.prev;
    read.prev = read.next = undefined;
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = Date.now();
    for (let read = this.head; read; ) {
      const next = read.next;
      if (read.deadline <= now) {
        this.delete(read);
        read.refuse();
      }
      read = next;
    }
  }
}

/**
 * Reads the whole body, refusing it past the size limit or the time limit. On refusal the
 * rest of the body is left unread (the answer then closes the connection). A large body is
 * read into memory lent from `buffers`: the caller gives it back when done.
 */
export function readBody(
  req: IncomingMessage,
  limits: BodyLimits,
  deadlines: BodyDeadlines,
  buffers: BodyBuffers,
): Promise<Buffer> {
  const limit = limits.maxBodyBytes;
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const watched =
      limits.bodyTimeoutMs > 0
        ? deadlines.add(Date.now() + limits.bodyTimeoutMs, () => stop(tooSlow(limits.bodyTimeoutMs)))
        : undefined;
    function stop(error: Error | undefined): void {
      if (watched) deadlines.delete(watched);
      req.off("data", onData).off("end", onEnd).off("error", stop).off("close", onClose);
      if (error === undefined) {
        resolve(joined(chunks, size, buffers));
      } else {
        req.pause();
        reject(error);
      }
    }
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > limit) stop(tooLarge(limit));
      else chunks.push(chunk);
    }
    function onEnd(): void {
      stop(undefined);
    }
    function onClose(): void {
      if (!req.complete)
        stop(new ClientClosedError({ message: "the client closed the connection while sending the body" }));
    }
    req.on("data", onData).on("end", onEnd).on("error", stop).on("close", onClose);
  });
}

function joined(chunks: Buffer[], size: number, buffers: BodyBuffers): Buffer {
  const into = buffers.take(size);
  if (into === undefined) {
    // A body that came in one read is already memory of its own (node:http copies each body
    // chunk out of its read buffer): a copy would land in a shared 8 KiB slab, which an open
    // stream's upstream request then keeps alive whole.
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  }
  let at = 0;
  for (const chunk of chunks) {
    into.set(chunk, at);
    at += chunk.length;
  }
  return into;
}

function tooLarge(limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError({
    message: `request body is larger than ${formatBytes(limit)} (PARLEY_MAX_BODY_BYTES); send fewer or smaller images and documents, or trim the conversation`,
  });
}

function tooSlow(ms: number): RequestTimeoutError {
  return new RequestTimeoutError({
    message: `the request body did not arrive within ${ms / 1000} s (PARLEY_CLIENT_BODY_TIMEOUT)`,
  });
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}

/** Picks the encoding for a response the client will accept. */
function chooseEncoding(acceptEncoding: string | undefined): "br" | "gzip" | undefined {
  const accepted = (acceptEncoding ?? "").toLowerCase();
  if (/\bbr\b/.test(accepted)) return "br";
  if (/\bgzip\b/.test(accepted)) return "gzip";
  return undefined;
}

/** Writes a complete JSON body (a value, or already-serialized text or bytes) with its status. */
export async function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<void> {
  const raw = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  const encoding =
    raw.length >= COMPRESS_MIN_BYTES ? chooseEncoding(req.headers["accept-encoding"]) : undefined;
  const payload =
    encoding === "br"
      ? await brotliAsync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } })
      : encoding === "gzip"
        ? await gzipAsync(raw)
        : raw;
  if (hasUnreadBody(req) && !(await settleUpload(req, res))) return;
  if (res.destroyed) return;
  // A flat name-value list: spreading a headers object into a new one cost ~4 µs a response.
  const list: string[] = [];
  for (const name in headers) if (!BODY_HEADERS.has(name)) list.push(name, headers[name]!);
  list.push("content-type", "application/json", "content-length", String(payload.length));
  if (encoding) list.push("content-encoding", encoding, "vary", "accept-encoding");
  res.writeHead(status, list);
  res.end(payload);
}

/** Whether the request has a body not yet read to its end (a bodyless GET has none). */
function hasUnreadBody(req: IncomingMessage): boolean {
  if (req.complete || req.readableEnded) return false;
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/** Most bytes of an unwanted upload read (and thrown away) so its client can read the answer. */
const MAX_DISCARD_BYTES = 64 * 1024 * 1024;
/** An upload that sends nothing for this long is stalled: its client can read an answer now. */
const UPLOAD_IDLE_MS = 500;

/**
 * Before an answer that comes ahead of the body (413, 401, 408…): the unread rest would stand
 * in front of the next request, so the connection closes after the answer. Closing a socket
 * with bytes still arriving makes the kernel reset it, and the client then sees EPIPE instead
 * of the answer; so the rest is read and thrown away first — until it ends, stalls, or passes
 * MAX_DISCARD_BYTES (then the socket goes at once: an upload that large is not a client that
 * will read an answer). Resolves false when the socket was destroyed.
 */
function settleUpload(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  res.setHeader("connection", "close");
  return new Promise((resolve) => {
    let discarded = 0;
    let idle: NodeJS.Timeout | undefined;
    const finish = (answer: boolean) => {
      clearTimeout(idle);
      req.off("data", onData).off("end", onEnd).off("close", onClose);
      if (!answer) req.socket.destroy();
      resolve(answer);
    };
    const wait = () => {
      clearTimeout(idle);
      idle = setTimeout(() => finish(true), UPLOAD_IDLE_MS);
    };
    const onData = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > MAX_DISCARD_BYTES) finish(false);
      else wait();
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(false);
    req.on("data", onData).on("end", onEnd).on("close", onClose);
    wait();
    req.resume();
  });
}
