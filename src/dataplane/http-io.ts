// Reading request bodies under a size limit and writing JSON responses, compressed when
// the client accepts it and the body is worth it (DESIGN §3).
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { brotliCompress, gzip, constants as zlibConstants } from "node:zlib";
import { PayloadTooLargeError } from "../core/errors.js";

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Request bodies above this are refused with 413. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Bodies smaller than this are not worth compressing. */
const COMPRESS_MIN_BYTES = 1024;

/** Reads the whole body, refusing it past the limit. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError({
    message: `request body is larger than ${limit / (1024 * 1024)} MiB; send fewer or smaller images and documents, or trim the conversation`,
  });
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
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": String(payload.length),
    ...(encoding ? { "content-encoding": encoding, vary: "accept-encoding" } : {}),
  });
  res.end(payload);
}
