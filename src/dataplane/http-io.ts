// Reading request bodies under a size limit and writing JSON responses, compressed when
// the client accepts it and the body is worth it (DESIGN §3).
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { brotliCompress, gzip, constants as zlibConstants } from "node:zlib";
import { ClientClosedError, PayloadTooLargeError, RequestTimeoutError } from "../core/errors.js";

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Bodies smaller than this are not worth compressing. */
const COMPRESS_MIN_BYTES = 1024;

/** Bounds on reading one request body. */
export interface BodyLimits {
  maxBodyBytes: number;
  /** Time allowed for the whole body to arrive; 0 = no bound. */
  bodyTimeoutMs: number;
}

/**
 * Reads the whole body, refusing it past the size limit or the time limit. On refusal the
 * rest of the body is left unread (the answer then closes the connection).
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const limit = limits.maxBodyBytes;
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer =
      limits.bodyTimeoutMs > 0
        ? setTimeout(() => stop(tooSlow(limits.bodyTimeoutMs)), limits.bodyTimeoutMs)
        : undefined;
    function stop(error: Error | undefined): void {
      clearTimeout(timer);
      req.off("data", onData).off("end", onEnd).off("error", stop).off("close", onClose);
      if (error === undefined) {
        resolve(Buffer.concat(chunks, size));
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

/** Writes a complete JSON (or already-serialized) body with its status. */
export async function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<void> {
  const raw = Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  const encoding =
    raw.length >= COMPRESS_MIN_BYTES ? chooseEncoding(req.headers["accept-encoding"]) : undefined;
  const payload =
    encoding === "br"
      ? await brotliAsync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } })
      : encoding === "gzip"
        ? await gzipAsync(raw)
        : raw;
  if (res.destroyed) return;
  if (!req.complete) closeAfterResponse(req, res);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": String(payload.length),
    ...(encoding ? { "content-encoding": encoding, vary: "accept-encoding" } : {}),
  });
  res.end(payload);
}

/** How long a client that is still uploading gets to read an early answer before the socket goes. */
const EARLY_ANSWER_GRACE_MS = 2_000;

/**
 * An answer sent before the request body was read (413, 401, 408…): the connection cannot be
 * reused — the unread rest of the body stands in front of the next request — so it is closed.
 * The client gets a moment to read the answer, then the socket is destroyed, unread bytes and all.
 */
function closeAfterResponse(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader("connection", "close");
  res.once("finish", () => {
    const socket = req.socket;
    socket.end();
    setTimeout(() => socket.destroy(), EARLY_ANSWER_GRACE_MS).unref();
  });
}
