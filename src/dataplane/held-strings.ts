// Holds a request's long string values out of the translation: one byte-level pass replaces
// each long literal at an allowed path (held-paths.ts) with a short placeholder, so JSON.parse,
// validation, translation and JSON.stringify see kilobytes instead of megabytes, and `restore`
// puts the original raw bytes back into the translated JSON, verbatim, on the way out.

import { randomBytes } from "node:crypto";
import type { HeldPathNode } from "./held-paths.js";
import { findHeldSpans, type Span } from "./held-scan.js";

/** How a body is scanned. */
export interface HoldOptions {
  /** Where values may be held (`heldPathsFor`). */
  paths: HeldPathNode;
  /** The shortest raw value (bytes between the quotes) worth holding; at least 1. Default 1 KiB. */
  minBytes?: number;
  /** Nesting beyond which the scan gives up and holds nothing. Default 256 (validation allows far less). */
  maxDepth?: number;
}

/** A body with its long strings held, and the way back to bytes. */
export interface HeldBody {
  /** The body's JSON text with placeholders (the body itself when nothing is held). */
  readonly text: string;
  /** How many values are held. */
  readonly held: number;
  /** Raw bytes held out of `text`. */
  readonly heldBytes: number;
  /** `JSON.parse(text)`; for a malformed body, the error JSON.parse of the body itself throws. */
  parse(): unknown;
  /**
   * The bytes of a translated body (`JSON.stringify` output) with every placeholder replaced by
   * the raw value it stands for. Throws if a placeholder is left in a form it cannot restore
   * (escaped twice, cut), so no placeholder ever reaches an upstream.
   */
  restore(json: string): Buffer;
  /** How many placeholders of this body occur in `text` (e.g. a client-bound body, to check for none). */
  countIn(text: string): number;
}

/** Why a placeholder could not be put back; the caller may retry without holding. */
export class HeldStringLeakError extends Error {
  override readonly name = "HeldStringLeakError";
}

const DEFAULT_MIN_BYTES = 1024;
const DEFAULT_MAX_DEPTH = 256;
/** Hex digits of the nonce that identify a placeholder, whole or cut (of 24). */
const NONCE_PREFIX = 12;

const BACKSLASH = 0x5c;

/** JSON.stringify writes U+0000 as this escape, so it delimits a placeholder in both texts. */
const NUL = "\\u0000";

/** Holds the long strings of `raw` (a request body) at the allowed paths. Never throws. */
export function holdStrings(raw: Buffer, options: HoldOptions): HeldBody {
  const spans = findHeldSpans(raw, {
    paths: options.paths,
    minBytes: Math.max(1, options.minBytes ?? DEFAULT_MIN_BYTES),
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
  });
  if (spans === undefined || spans.length === 0) return notHeld(raw);
  return heldBody(raw, spans);
}

function notHeld(raw: Buffer): HeldBody {
  const text = raw.toString("utf8");
  return {
    text,
    held: 0,
    heldBytes: 0,
    parse: () => JSON.parse(text),
    restore: (json) => Buffer.from(json, "utf8"),
    countIn: () => 0,
  };
}

function heldBody(raw: Buffer, spans: Span[]): HeldBody {
  // Random per body: a client cannot write a placeholder that restore would expand.
  const nonce = randomBytes(12).toString("hex");
  const pieces: string[] = [];
  let last = 0;
  let heldBytes = 0;
  spans.forEach((span, index) => {
    pieces.push(raw.toString("utf8", last, span.start), `${NUL}${nonce}${index}${NUL}`);
    last = span.end;
    heldBytes += span.end - span.start;
  });
  pieces.push(raw.toString("utf8", last));
  const text = pieces.join("");
  // Counted by the nonce's first half, so a placeholder cut short by a slice is still found.
  const countIn = (json: string) => countOccurrences(json, nonce.slice(0, NONCE_PREFIX));
  return {
    text,
    held: spans.length,
    heldBytes,
    parse() {
      try {
        return JSON.parse(text);
      } catch {
        // Unreachable for a well-formed body; otherwise the body's own error (its offsets, not ours).
        return JSON.parse(raw.toString("utf8"));
      }
    },
    restore: (json) => restoreHeld({ json, raw, spans, nonce, countIn }),
    countIn,
  };
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

interface RestoreInput {
  json: string;
  raw: Buffer;
  spans: Span[];
  nonce: string;
  countIn: (json: string) => number;
}

function restoreHeld({ json, raw, spans, nonce, countIn }: RestoreInput): Buffer {
  const marker = `${NUL}${nonce}`;
  const pieces: Buffer[] = [];
  let last = 0;
  let restored = 0;
  for (let at = json.indexOf(marker); at >= 0; at = json.indexOf(marker, last)) {
    // An odd run of backslashes before it means the escape itself was escaped: the placeholder
    // went through JSON.stringify twice (a value serialized inside a string) and cannot be restored.
    if (backslashesBefore(json, at) % 2 === 1) break;
    const digitsStart = at + marker.length;
    const close = json.indexOf(NUL, digitsStart);
    const digits = close > digitsStart ? json.slice(digitsStart, close) : "";
    const span = /^\d{1,9}$/.test(digits) ? spans[Number(digits)] : undefined;
    if (span === undefined) break;
    pieces.push(Buffer.from(json.slice(last, at), "utf8"), raw.subarray(span.start, span.end));
    last = close + NUL.length;
    restored++;
  }
  if (countIn(json) !== restored) {
    throw new HeldStringLeakError(
      "a held request string reached the translated body in a form it cannot be restored from",
    );
  }
  pieces.push(Buffer.from(json.slice(last), "utf8"));
  return Buffer.concat(pieces);
}

function backslashesBefore(text: string, at: number): number {
  let n = 0;
  while (at - n - 1 >= 0 && text.charCodeAt(at - n - 1) === BACKSLASH) n++;
  return n;
}
