// Where the elements of a JSON array and the members of a JSON object sit in raw text,
// one nesting level at a time, so a passthrough edit can cut a few values out of a body
// without re-serializing it. Iterative throughout: no input depth can overflow the stack.

/** Where one JSON value sits in the raw text (end exclusive). */
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
export function arrayElements(text: string, open: number): Span[] | undefined {
  if (text.charCodeAt(open) !== OPEN_BRACKET) return undefined;
  const elements: Span[] = [];
  let i = skipWhitespace(text, open + 1);
  if (text.charCodeAt(i) === CLOSE_BRACKET) return elements;
  for (;;) {
    const end = valueEnd(text, i);
    if (end < 0) return undefined;
    elements.push({ start: i, end });
    i = skipWhitespace(text, end);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACKET) return elements;
    if (c !== COMMA) return undefined;
    i = skipWhitespace(text, i + 1);
  }
}

/**
 * The value of member `key` of the object whose `{` is at `open`, keys compared as
 * `JSON.parse` decodes them; the last one when the key repeats, as `JSON.parse` keeps it.
 */
export function memberValue(text: string, open: number, key: string): Span | undefined {
  return objectMember(text, open, key)?.value;
}

/**
 * Member `key` of the object whose `{` is at `open` (as `memberValue`) and where the object
 * ends, in one pass; undefined when the text there is not a well-formed object.
 */
export function objectMember(
  text: string,
  open: number,
  key: string,
): { value: Span | undefined; end: number } | undefined {
  if (text.charCodeAt(open) !== OPEN_BRACE) return undefined;
  let found: Span | undefined;
  let i = skipWhitespace(text, open + 1);
  while (text.charCodeAt(i) === QUOTE) {
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return undefined;
    const colon = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(colon) !== COLON) return undefined;
    const start = skipWhitespace(text, colon + 1);
    const end = valueEnd(text, start);
    if (end < 0) return undefined;
    if (keyIs(text, i, keyEnd, key)) found = { start, end };
    i = skipWhitespace(text, end);
    if (text.charCodeAt(i) !== COMMA) break;
    i = skipWhitespace(text, i + 1);
  }
  return text.charCodeAt(i) === CLOSE_BRACE ? { value: found, end: i + 1 } : undefined;
}

/** Whether the quoted key at [start, end) decodes to `key`. */
function keyIs(text: string, start: number, end: number, key: string): boolean {
  const raw = text.slice(start + 1, end - 1);
  if (!raw.includes("\\")) return raw === key;
  try {
    return JSON.parse(text.slice(start, end)) === key;
  } catch {
    return false;
  }
}

/** The first offset at or after `i` that is not JSON whitespace. */
export function skipWhitespace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** Offset just past the string whose opening quote is at `start`, or -1 if unterminated. */
export function stringEnd(text: string, start: number): number {
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
export function valueEnd(text: string, start: number): number {
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
  // A depth count, not recursion: brackets inside strings are skipped with the strings.
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
