// Cuts text into short pieces the o200k tokenizer can count one by one in bounded time.
// Its byte-pair merge is quadratic in the length of one pre-token, and a run without
// spaces (a 9 MB line of `a`) is one pre-token; counting pieces of at most a few hundred
// characters keeps every call cheap, and the count stays exact wherever text has ordinary
// word boundaries.

/** Longest piece handed to the tokenizer, in UTF-16 code units (measured: a worst-case piece costs about 1 ms). */
export const MAX_PIECE_LENGTH = 256;

// The last place in a piece where o200k's pre-tokenizer always ends a pre-token, whatever
// follows: no alternative of its split pattern can match across these pairs, so counting
// both sides apart gives the same tokens as counting them together.
//   a digit before a non-digit ("42|px");
//   a letter before what cannot continue a word: not a letter, a combining mark or `'` ("id|:");
//   a letter before a `'` that starts no contraction ("name|'," but not "don|'t");
//   a lower-case letter before an upper-case one ("camel|Case");
//   anything but whitespace before a space or tab ("end.| next").
// Lookaheads name the following characters explicitly, so a window cut short never
// passes for a boundary.
const LAST_BOUNDARY =
  /^[\s\S]*(?:\p{N}(?=\P{N})|\p{L}(?=[^\p{L}\p{M}'])|\p{L}(?='(?:[^sSdDmMtTlLvVrR]|[lL][^lL]|[vV][^eE]|[rR][^eE]))|\p{Ll}(?=[\p{Lu}\p{Lt}])|\S(?=[^\S\r\n]))/u;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The end of a cut at most `maxLength` after `start` that never splits a surrogate pair. */
function capAt(text: string, start: number, maxLength: number): number {
  const cut = start + maxLength;
  return isHighSurrogate(text.charCodeAt(cut - 1)) ? cut - 1 : cut;
}

/** Where the piece starting at `start` ends: at its last boundary, else at the length cap. */
function pieceEnd(text: string, start: number, maxLength: number): number {
  const cap = capAt(text, start, maxLength);
  const match = LAST_BOUNDARY.exec(text.slice(start, cap));
  // A run with no boundary at all (one repeated character, a long CJK phrase) is cut at
  // the cap anyway, which moves at most a token or so per cut.
  return match === null ? cap : start + match[0].length;
}

/** How long pieces may be. */
export interface PieceOptions {
  /** At least 2, so a surrogate pair always fits; MAX_PIECE_LENGTH by default. */
  maxLength?: number;
}

/** Yields consecutive pieces of `text`, none longer than the maximum, that together are `text`. */
export function* tokenPieces(text: string, options: PieceOptions = {}): Generator<string> {
  const maxLength = Math.max(2, options.maxLength ?? MAX_PIECE_LENGTH);
  let start = 0;
  while (text.length - start > maxLength) {
    const end = pieceEnd(text, start, maxLength);
    yield text.slice(start, end);
    start = end;
  }
  if (start < text.length) yield text.slice(start);
}
