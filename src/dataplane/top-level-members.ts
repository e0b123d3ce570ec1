// Finds the members of a JSON object body's top level — each key as JSON decodes it, with
// where its key and value sit in the raw text — in one linear pass, so routing (which
// reads the parsed body) and the byte-faithful splice agree on which "model" counts.
import { InvalidRequestError } from "../core/errors.js";
import { skipWhitespace, stringEnd, valueEnd as valueEndAt } from "./json-spans.js";

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
