// Finds the members of a JSON object body's top level — each key as JSON decodes it, with
// where its key and value sit in the raw bytes — in one linear pass, so routing and the
// byte-faithful splice agree on which "model" counts, and a passthrough body is checked
// without being parsed.
import { InvalidRequestError } from "../core/errors.js";
import { withScanCopy } from "./json-scan.js";
import { hasBackslash, skipWhitespace, stringEnd, valueEnd as valueEndAt } from "./json-spans.js";

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
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** What one pass over a body's top level found. */
export interface TopLevelScan {
  members: ReadonlyMap<string, MemberSpan>;
  /** Whether the text is one object, closed, with nothing but whitespace after it. */
  complete: boolean;
  /** The first key that appears twice, if one does (its second value is not in `members`). */
  duplicate?: string;
}

/**
 * Finds the end of one member's value; the default is `valueEnd`. A caller that must look
 * inside a value anyway (the messages of a request) walks it here, so it is read once.
 */
export type ValueWalker = (key: string, text: Buffer, start: number) => number;

/**
 * The top-level members of `text` by decoded key, and the first key sent twice.
 * Malformed text ends the scan early with what was found (`complete` is then false).
 * Offsets are byte offsets into `text`.
 */
export function scanTopLevel(text: Buffer, walk?: ValueWalker): TopLevelScan {
  const members = new Map<string, MemberSpan>();
  let duplicate: string | undefined;
  let i = skipWhitespace(text, 0);
  if (text[i] !== OPEN_BRACE) return { members, complete: false };
  i = skipWhitespace(text, i + 1);
  while (text[i] === QUOTE) {
    const keyStart = i;
    const keyEnd = stringEnd(text, keyStart);
    if (keyEnd < 0) return { members, complete: false };
    const colon = skipWhitespace(text, keyEnd);
    if (text[colon] !== COLON) return { members, complete: false };
    const keyEscaped = hasBackslash(text, keyStart + 1, keyEnd - 1);
    const key =
      keyEscaped || !isAscii(text, keyStart + 1, keyEnd - 1)
        ? decodeKey(text, keyStart, keyEnd)
        : text.toString("latin1", keyStart + 1, keyEnd - 1);
    const valueStart = skipWhitespace(text, colon + 1);
    const valueEnd = walk ? walk(key, text, valueStart) : valueEndAt(text, valueStart);
    if (valueEnd < 0) return { members, complete: false, ...(duplicate ? { duplicate } : {}) };
    if (!members.has(key)) members.set(key, { keyStart, keyEnd, keyEscaped, valueStart, valueEnd });
    else duplicate ??= key;
    i = skipWhitespace(text, valueEnd);
    if (text[i] !== COMMA) break;
    i = skipWhitespace(text, i + 1);
  }
  const complete = text[i] === CLOSE_BRACE && skipWhitespace(text, i + 1) === text.length;
  return { members, complete, ...(duplicate ? { duplicate } : {}) };
}

/**
 * The top-level members of `text` by decoded key (see `scanTopLevel`); refuses a key that
 * appears twice, because a strict proxy cannot know which of the two the upstream would honour.
 * A large body is scanned in the module's copy (edits of a demoted or replayed attempt, and
 * the unsigned-thinking cut, scan outside validation's copy).
 */
export function scanTopLevelMembers(text: Buffer): ReadonlyMap<string, MemberSpan> {
  const scan = withScanCopy(text, () => scanTopLevel(text));
  if (scan.duplicate !== undefined) throw duplicateKey(scan.duplicate);
  return scan.members;
}

/** The 400 for a top-level key sent twice. */
export function duplicateKey(key: string): InvalidRequestError {
  return new InvalidRequestError({
    message: `the request body has the key ${JSON.stringify(key)} twice; send it once`,
    param: key,
  });
}

function isAscii(text: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text[i]! > 0x7f) return false;
  return true;
}

/** The quoted key at [start, end) decoded exactly as `JSON.parse` decodes it. */
function decodeKey(text: Buffer, start: number, end: number): string {
  try {
    return JSON.parse(text.toString("utf8", start, end)) as string;
  } catch {
    // Only malformed text gets here, and validation refuses it; keep the raw form.
    return text.toString("utf8", start + 1, end - 1);
  }
}
