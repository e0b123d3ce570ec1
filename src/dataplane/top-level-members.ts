// Finds the members of a JSON object body's top level — each key as JSON decodes it, with
// where its key and value sit in the raw text — in one linear pass, so routing (which
// reads the parsed body) and the byte-faithful splice agree on which "model" counts.
import { InvalidRequestError } from "../core/errors.js";

/** Where one top-level member sits in the raw text (end offsets are exclusive). */
export interface MemberSpan {
  /** Offset of the key's opening quote. */
  keyStart: number;
  /** Offset just past the key's closing quote. */
  keyEnd: number;
  /** Whether the key is written with escapes (`"mod\u0065l"`), not as its plain text. */
  keyEscaped: boolean;
  /** Offset of the value's first character. */
  valueStart: number;
  /** Offset just past the value's last character. */
  valueEnd: number;
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
 * The top-level members of `text` by decoded key; refuses a key that appears twice,
 * because a strict proxy cannot know which of the two the upstream would honour.
 * Malformed text ends the scan early with what was found (validation reports it).
 */
export function scanTopLevelMembers(text: string): ReadonlyMap<string, MemberSpan> {
  const members = new Map<string, MemberSpan>();
  let i = skipWhitespace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return members;
  i = skipWhitespace(text, i + 1);
  while (text.charCodeAt(i) === QUOTE) {
    const keyStart = i;
    const keyEnd = stringEnd(text, keyStart);
    if (keyEnd < 0) break;
    const colon = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(colon) !== COLON) break;
    const valueStart = skipWhitespace(text, colon + 1);
    const valueEnd = valueEndAt(text, valueStart);
    if (valueEnd < 0) break;
    const raw = text.slice(keyStart + 1, keyEnd - 1);
    const keyEscaped = raw.includes("\\");
    const key = keyEscaped ? decodeKey(text.slice(keyStart, keyEnd)) : raw;
    if (members.has(key)) {
      throw new InvalidRequestError({
        message: `the request body has the key ${JSON.stringify(key)} twice; send it once`,
        param: key,
      });
    }
    members.set(key, { keyStart, keyEnd, keyEscaped, valueStart, valueEnd });
    i = skipWhitespace(text, valueEnd);
    if (text.charCodeAt(i) !== COMMA) break;
    i = skipWhitespace(text, i + 1);
  }
  return members;
}

/** A quoted key with escapes decoded exactly as `JSON.parse` decodes it. */
function decodeKey(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    // Only malformed text gets here, and validation refuses it; keep the raw form.
    return quoted.slice(1, -1);
  }
}

/** The first offset at or after `i` that is not JSON whitespace. */
function skipWhitespace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** Offset just past the string whose opening quote is at `start`, or -1 if unterminated. */
function stringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    // Jump from quote to quote: string contents are most of a body's bytes.
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslash = quote - 1;
    while (text.charCodeAt(backslash) === BACKSLASH) backslash--;
    // An even run of backslashes escapes only itself, so the quote closes the string.
    if ((quote - 1 - backslash) % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Offset just past the value that starts at `start`, or -1 if it does not end. */
function valueEndAt(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return stringEnd(text, start);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return containerEnd(text, start);
  // A number, true, false or null: it runs to the next delimiter.
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c <= 0x20) break;
  }
  return i > start ? i : -1;
}

/** Offset just past the object or array that opens at `start`, or -1 if it does not close. */
function containerEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
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
