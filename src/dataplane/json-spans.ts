// Where the elements of a JSON array and the members of a JSON object sit in a body's raw
// bytes, one nesting level at a time, so a passthrough edit can cut a few values out of a
// body without re-serializing it. Bytes of 0x80 and above never stand for JSON structure
// in UTF-8, so offsets are byte offsets throughout. Iterative: no depth overflows the stack.
// A large body's scan finds string and container ends in its WebAssembly copy (json-scan.ts)
// when it has one; the loops here are the reference those must agree with.
import { copiedContainerEnd, copiedStringEnd } from "./json-scan.js";

/** Where one JSON value sits in the bytes (end exclusive). */
export interface Span {
  start: number;
  end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * The elements of the array whose `[` is at `open`, in order; undefined when the text
 * there is not a well-formed array (the caller then leaves the body alone).
 */
export function arrayElements(text: Buffer, open: number): Span[] | undefined {
  const elements: Span[] = [];
  const count = walkElements(text, open, (start) => {
    const end = valueEnd(text, start);
    elements.push({ start, end });
    return end;
  });
  return count < 0 ? undefined : elements;
}

/**
 * Walks the array whose `[` is at `open`: `visit` gets each element's start and index and
 * answers where the element ends (-1 when it is not well formed), so a caller that reads an
 * element's members finds its end in the same pass. The element count, or -1 when the text
 * there is not a well-formed array.
 */
export function walkElements(
  text: Buffer,
  open: number,
  visit: (start: number, index: number) => number,
): number {
  if (text[open] !== OPEN_BRACKET) return -1;
  let i = skipWhitespace(text, open + 1);
  if (text[i] === CLOSE_BRACKET) return 0;
  for (let count = 0; ; ) {
    const end = visit(i, count++);
    if (end < 0) return -1;
    i = skipWhitespace(text, end);
    if (text[i] === CLOSE_BRACKET) return count;
    if (text[i] !== COMMA) return -1;
    i = skipWhitespace(text, i + 1);
  }
}

/**
 * The value of member `key` of the object whose `{` is at `open`, keys compared as
 * `JSON.parse` decodes them; the last one when the key repeats, as `JSON.parse` keeps it.
 */
export function memberValue(text: Buffer, open: number, key: string): Span | undefined {
  return objectMember(text, open, key)?.value;
}

/**
 * Member `key` of the object whose `{` is at `open` (as `memberValue`) and where the object
 * ends, in one pass; undefined when the text there is not a well-formed object.
 */
export function objectMember(
  text: Buffer,
  open: number,
  key: string,
): { value: Span | undefined; end: number } | undefined {
  if (text[open] !== OPEN_BRACE) return undefined;
  let found: Span | undefined;
  let i = skipWhitespace(text, open + 1);
  while (text[i] === QUOTE) {
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return undefined;
    const colon = skipWhitespace(text, keyEnd);
    if (text[colon] !== COLON) return undefined;
    const start = skipWhitespace(text, colon + 1);
    const end = valueEnd(text, start);
    if (end < 0) return undefined;
    if (keyIs(text, i, keyEnd, key)) found = { start, end };
    i = skipWhitespace(text, end);
    if (text[i] !== COMMA) break;
    i = skipWhitespace(text, i + 1);
  }
  return text[i] === CLOSE_BRACE ? { value: found, end: i + 1 } : undefined;
}

/** Whether the quoted key at [start, end) decodes to `key`. */
function keyIs(text: Buffer, start: number, end: number, key: string): boolean {
  // A plain key is its bytes; only an escaped one needs decoding. (Searched within the key
  // alone: a search on past it would make a body of many keys quadratic.)
  if (!hasBackslash(text, start + 1, end - 1)) return bytesAre(text, start + 1, end - 1, key);
  try {
    return JSON.parse(text.toString("utf8", start, end)) === key;
  } catch {
    return false;
  }
}

/** Whether bytes [start, end) spell `key` (an ASCII key: a byte a character), compared without making a string. */
function bytesAre(text: Buffer, start: number, end: number, key: string): boolean {
  if (end - start !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (text[start + i] !== key.charCodeAt(i)) return false;
  return true;
}

/** Whether bytes [start, end) hold a backslash. */
export function hasBackslash(text: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text[i] === BACKSLASH) return true;
  return false;
}

/** The first offset at or after `i` that is not JSON whitespace. */
export function skipWhitespace(text: Buffer, i: number): number {
  while (isJsonSpace(text[i])) i++;
  return i;
}

/** The last offset at or before `i` that is not JSON whitespace, or -1. */
export function skipWhitespaceBack(text: Buffer, i: number): number {
  while (i >= 0 && isJsonSpace(text[i])) i--;
  return i;
}

function isJsonSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Offset just past the string whose opening quote is at `start`, or -1 if unterminated. */
export function stringEnd(text: Buffer, start: number): number {
  const copied = copiedStringEnd(text, start + 1);
  if (copied !== undefined) return copied < 0 ? -1 : copied + 1;
  let from = start + 1;
  for (;;) {
    // Jump from quote to quote: string contents are most of a body's bytes.
    const quote = text.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let backslash = quote - 1;
    while (text[backslash] === BACKSLASH) backslash--;
    // An even run of backslashes escapes only itself, so the quote closes the string.
    if ((quote - 1 - backslash) % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Offset just past the value that starts at `start`, or -1 if it does not end. */
export function valueEnd(text: Buffer, start: number): number {
  const first = text[start];
  if (first === QUOTE) return stringEnd(text, start);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return containerEnd(text, start);
  // A number, true, false or null: it runs to the next delimiter.
  let i = start;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c <= 0x20) break;
  }
  return i > start ? i : -1;
}

/** Offset just past the object or array that opens at `start`, or -1 if it does not close. */
function containerEnd(text: Buffer, start: number): number {
  return copiedContainerEnd(text, start) ?? containerEndByBytes(text, start);
}

/** {@link containerEnd} a byte at a time. */
export function containerEndByBytes(text: Buffer, start: number): number {
  // A depth count, not recursion: brackets inside strings are skipped with the strings.
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
