// The one pass over a request's bytes that finds the string values to hold: a JSON tokenizer
// without recursion that follows the allowed paths (held-paths.ts) down the body, checks each
// candidate value is valid JSON string contents, and gives up on anything malformed.
import { isUtf8 } from "node:buffer";
import type { HeldGuard, HeldPathNode } from "./held-paths.js";
import { copiedCheckedStringEnd, copiedStringEnd, withScanCopy } from "./json-scan.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** One value to hold: where its raw contents (between the quotes) sit in the body. */
export interface Span {
  start: number;
  end: number;
}

/** What to look for. */
export interface ScanOptions {
  paths: HeldPathNode;
  minBytes: number;
  maxDepth: number;
}

/** What the scan expects next. */
enum Expect {
  Value,
  /** After `[`: a value or `]`. */
  ValueOrClose,
  /** After `{`: a key or `}`. */
  KeyOrClose,
  /** After `,` in an object. */
  Key,
  Colon,
  /** After a value: `,` or the container's close (or the end, at the top). */
  CommaOrClose,
}

/**
 * The spans of the values to hold, in order; undefined when the body is malformed or nested too
 * deep (nothing is held, so JSON.parse reports the body's own error). Iterative: a stack of the
 * open containers (whether each is an array, and its node in the path tree, null off every path).
 */
export function findHeldSpans(buf: Buffer, options: ScanOptions): Span[] | undefined {
  return withScanCopy(buf, () => scanHeldSpans(buf, options));
}

function scanHeldSpans(buf: Buffer, options: ScanOptions): Span[] | undefined {
  const spans: Span[] = [];
  const isArray: boolean[] = [];
  const nodes: Array<HeldPathNode | null> = [];
  let valueNode: HeldPathNode | null = options.paths;
  let expect = Expect.Value;
  const view = byteView(buf);
  let i = 0;
  const n = buf.length;
  for (;;) {
    i = skipWhitespace(buf, i);
    if (i >= n) return expect === Expect.CommaOrClose && nodes.length === 0 ? spans : undefined;
    const b = buf[i]!;
    switch (expect) {
      case Expect.Value:
      case Expect.ValueOrClose: {
        if (b === CLOSE_BRACKET && expect === Expect.ValueOrClose) {
          nodes.pop();
          isArray.pop();
          i++;
          expect = Expect.CommaOrClose;
          break;
        }
        if (b === OPEN_BRACE || b === OPEN_BRACKET) {
          if (nodes.length >= options.maxDepth) return undefined;
          nodes.push(valueNode);
          isArray.push(b === OPEN_BRACKET);
          valueNode = b === OPEN_BRACKET ? elementOf(valueNode) : null;
          expect = b === OPEN_BRACKET ? Expect.ValueOrClose : Expect.KeyOrClose;
          i++;
          break;
        }
        if (b === QUOTE) {
          const guards = valueNode?.guards;
          const end =
            guards !== undefined
              ? (copiedCheckedStringEnd(buf, i + 1) ?? checkedStringEnd(view, i + 1))
              : stringEnd(buf, i + 1);
          if (end < 0) return undefined;
          if (guards !== undefined && end - (i + 1) >= options.minBytes) {
            const span = { start: i + 1, end };
            if (passes(buf, span, guards) && isUtf8(buf.subarray(span.start, span.end))) spans.push(span);
          }
          i = end + 1;
        } else {
          const end = scalarEnd(buf, i);
          if (end === i) return undefined;
          i = end;
        }
        expect = Expect.CommaOrClose;
        break;
      }
      case Expect.KeyOrClose:
      case Expect.Key: {
        if (b === CLOSE_BRACE && expect === Expect.KeyOrClose) {
          nodes.pop();
          isArray.pop();
          i++;
          expect = Expect.CommaOrClose;
          break;
        }
        if (b !== QUOTE) return undefined;
        const end = stringEnd(buf, i + 1);
        if (end < 0) return undefined;
        valueNode = keyChild(buf, nodes.at(-1) ?? null, i + 1, end);
        i = end + 1;
        expect = Expect.Colon;
        break;
      }
      case Expect.Colon:
        if (b !== COLON) return undefined;
        i++;
        expect = Expect.Value;
        break;
      case Expect.CommaOrClose: {
        const inArray = isArray.at(-1);
        if (inArray === undefined) return undefined;
        if (b === COMMA) {
          valueNode = inArray ? elementOf(nodes.at(-1) ?? null) : null;
          expect = inArray ? Expect.Value : Expect.Key;
          i++;
        } else if (b === (inArray ? CLOSE_BRACKET : CLOSE_BRACE)) {
          nodes.pop();
          isArray.pop();
          i++;
        } else return undefined;
        break;
      }
    }
  }
}

function elementOf(node: HeldPathNode | null): HeldPathNode | null {
  return node?.element ?? null;
}

/** The path node below `parent` for the key whose raw text is `buf[start, end)`. */
function keyChild(buf: Buffer, parent: HeldPathNode | null, start: number, end: number): HeldPathNode | null {
  if (parent === null) return null;
  // Compared as bytes, in place. An escaped key (`"te\u0078t"`) matches no name, since no name
  // has a backslash: it is left off every path, and holding less is always safe.
  const length = end - start;
  for (const key of parent.keys) {
    const name = key.bytes;
    if (name.length !== length) continue;
    let i = 0;
    while (i < length && buf[start + i] === name[i]) i++;
    if (i === length) return key.node;
  }
  return null;
}

function skipWhitespace(buf: Buffer, from: number): number {
  let i = from;
  for (;;) {
    const b = buf[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return i;
    i++;
  }
}

/** The offset just past a number, true, false or null starting at `from` (checked when parsed). */
function scalarEnd(buf: Buffer, from: number): number {
  let i = from;
  for (;;) {
    const b = buf[i];
    if (b === undefined || b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || b <= 0x20) return i;
    if (b === QUOTE || b === OPEN_BRACE || b === OPEN_BRACKET || b === COLON) return i;
    i++;
  }
}

/** The offset of the quote closing a string whose contents start at `from`, or -1. Jumps quote to quote. */
function stringEnd(buf: Buffer, from: number): number {
  const copied = copiedStringEnd(buf, from);
  if (copied !== undefined) return copied;
  let at = buf.indexOf(QUOTE, from);
  while (at >= 0) {
    let slashes = 0;
    while (at - slashes - 1 >= from && buf[at - slashes - 1] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at;
    at = buf.indexOf(QUOTE, at + 1);
  }
  return -1;
}

/** Bit 1: a character after `\\` that makes a two-character escape. */
const SHORT_ESCAPE = 1;
/** Bit 2: a hex digit (`b` and `f` are both). */
const HEX_DIGIT = 2;

const ESCAPE_TABLE = (() => {
  const table = new Uint8Array(256);
  for (const c of '"\\/bfnrt') table[c.charCodeAt(0)]! |= SHORT_ESCAPE;
  for (const c of "0123456789abcdefABCDEF") table[c.charCodeAt(0)]! |= HEX_DIGIT;
  return table;
})();

function isHex(b: number | undefined): boolean {
  return b !== undefined && (ESCAPE_TABLE[b]! & HEX_DIGIT) !== 0;
}

/** The body as bytes and, when aligned, as 32-bit words, for the word-at-a-time string check. */
export interface ByteView {
  bytes: Uint8Array;
  /** Whole words from the start; none when the bytes are not 4-aligned or the platform is big-endian. */
  words: Int32Array | undefined;
}

/** The word trick below finds the lowest-addressed byte first only on little-endian hardware. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function byteView(buf: Buffer): ByteView {
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  const aligned = LITTLE_ENDIAN && buf.byteOffset % 4 === 0;
  return { bytes, words: aligned ? new Int32Array(buf.buffer, buf.byteOffset, buf.length >>> 2) : undefined };
}

/**
 * The high bit of each byte of `w` that is a quote, a backslash or below 0x20 (the SWAR
 * "has less than" and "has zero" tests). Borrows may also flag bytes above a flagged one,
 * never below it, so the lowest flag is always exact.
 */
function lookFlags(w: number): number {
  const slash = w ^ 0x5c5c5c5c;
  const quote = w ^ 0x22222222;
  const flags =
    (((w - 0x20202020) | 0) & ~w) |
    (((slash - 0x01010101) | 0) & ~slash) |
    (((quote - 0x01010101) | 0) & ~quote);
  return flags & 0x80808080;
}

/** The index of the lowest set bit of a non-zero `x`. */
function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * Like {@link stringEnd}, but the contents must be valid JSON string contents (no raw control
 * characters, only JSON's escapes), since a held value is sent without JSON.parse seeing it.
 * Jumps a word at a time to the next byte that needs a look: escapes are frequent in source code.
 */
export function checkedStringEnd({ bytes, words }: ByteView, from: number): number {
  const n = bytes.length;
  const wordCount = words?.length ?? 0;
  let i = from;
  for (;;) {
    let w = i >>> 2;
    if (words !== undefined && w < wordCount) {
      // Flags of the bytes from i on in its word, then of whole words until one has any.
      let flags = lookFlags(words[w]!) & (-1 << ((i & 3) << 3));
      while (flags === 0 && ++w < wordCount) flags = lookFlags(words[w]!);
      i = flags === 0 ? w * 4 : w * 4 + (lowestBit(flags) >>> 3);
    }
    if (i >= n) return -1;
    const b = bytes[i]!;
    if (b === QUOTE) return i;
    if (b === BACKSLASH) {
      const c = bytes[i + 1];
      if (c === 0x75) {
        if (!(isHex(bytes[i + 2]) && isHex(bytes[i + 3]) && isHex(bytes[i + 4]) && isHex(bytes[i + 5])))
          return -1;
        i += 6;
      } else if (c !== undefined && (ESCAPE_TABLE[c]! & SHORT_ESCAPE) !== 0) i += 2;
      else return -1;
    } else if (b < 0x20) return -1;
    // Otherwise a byte flagged only by a borrow, or one past the words: an ordinary character.
    else i++;
  }
}

function isPlainVisible(b: number | undefined): boolean {
  return b !== undefined && b >= 0x21 && b <= 0x7e && b !== BACKSLASH;
}

/** Whether the raw value passes every guard (see {@link HeldGuard}). */
function passes(buf: Buffer, span: Span, guards: readonly HeldGuard[]): boolean {
  return guards.every((guard) => passesGuard(buf, span, guard));
}

function passesGuard(buf: Buffer, span: Span, guard: HeldGuard): boolean {
  switch (guard) {
    case "notBlank":
      return startsNotBlank(buf, span);
    case "noTrailingSpace": {
      // The last character is a literal (not the tail of an escape) when no backslash is near.
      const tail = buf.subarray(Math.max(span.start, span.end - 6), span.end);
      return isPlainVisible(buf[span.end - 1]) && !tail.includes(BACKSLASH);
    }
    case "notBillingHeader": {
      const first = buf[span.start];
      return first !== 0x78 && first !== BACKSLASH;
    }
  }
}

/**
 * Whether the first character after leading spaces and `\n`, `\t`, `\r` escapes is surely not
 * whitespace: printable ASCII or `\"`, `\\`, `\/`. Anything else (other escapes, non-ASCII,
 * which may be a no-break space) counts as blank.
 */
function startsNotBlank(buf: Buffer, span: Span): boolean {
  let i = span.start;
  while (i < span.end) {
    const b = buf[i]!;
    if (b === 0x20) i++;
    else if (b !== BACKSLASH) return isPlainVisible(b);
    else {
      const c = buf[i + 1];
      if (c !== 0x6e && c !== 0x74 && c !== 0x72) return c === QUOTE || c === BACKSLASH || c === 0x2f;
      i += 2;
    }
  }
  return false;
}
