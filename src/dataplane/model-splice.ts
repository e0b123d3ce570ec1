// Rewrites the top-level "model" of a JSON body without re-serializing it, so every
// other byte (integers beyond 2^53, key order, escapes) reaches the upstream unchanged.
import { skipWhitespace, skipWhitespaceBack } from "./json-spans.js";
import { type MemberSpan, scanTopLevelMembers } from "./top-level-members.js";

/**
 * The body with its top-level "model" value replaced; unchanged if it has none.
 * `span` is the model member `validateModelRequest` found in this very `body`; without
 * it the body is scanned again (and a duplicate top-level key is refused).
 */
export function spliceModel(body: Buffer, model: string, span?: MemberSpan): Buffer {
  const member = span !== undefined && fitsBody(body, span) ? span : scanTopLevelMembers(body).get("model");
  if (member === undefined) return body;
  const value = Buffer.from(JSON.stringify(model));
  if (!member.keyEscaped) {
    return Buffer.concat([body.subarray(0, member.valueStart), value, body.subarray(member.valueEnd)]);
  }
  // A key spelled with escapes becomes plain "model", so an upstream (or another proxy)
  // that matches the literal key sees the mapped model too.
  return Buffer.concat([
    body.subarray(0, member.keyStart),
    Buffer.from('"model"'),
    body.subarray(member.keyEnd, member.valueStart),
    value,
    body.subarray(member.valueEnd),
  ]);
}

/** A cheap check that a span was taken from this body, not another one. */
function fitsBody(body: Buffer, span: MemberSpan): boolean {
  return span.valueEnd <= body.length && body[span.keyStart] === 0x22 && body[span.keyEnd - 1] === 0x22;
}

/**
 * The body with top-level `key` set to `valueJson` (already JSON text), its other bytes
 * unchanged: the value replaced where the key exists, the member added first where not.
 */
export function setTopLevelMember(body: Buffer, key: string, valueJson: string): Buffer {
  const member = scanTopLevelMembers(body).get(key);
  const value = Buffer.from(valueJson);
  if (member)
    return Buffer.concat([body.subarray(0, member.valueStart), value, body.subarray(member.valueEnd)]);
  const open = body.indexOf(0x7b);
  const separator = body[skipWhitespace(body, open + 1)] === 0x7d ? "" : ",";
  return Buffer.concat([
    body.subarray(0, open + 1),
    Buffer.from(`${JSON.stringify(key)}:`),
    value,
    Buffer.from(separator),
    body.subarray(open + 1),
  ]);
}

/** The body without top-level `key` (and the comma that separated it), other bytes unchanged. */
export function removeTopLevelMember(body: Buffer, key: string): Buffer {
  const member = scanTopLevelMembers(body).get(key);
  if (!member) return body;
  const end = skipWhitespace(body, member.valueEnd);
  if (body[end] === 0x2c) {
    return Buffer.concat([body.subarray(0, member.keyStart), body.subarray(skipWhitespace(body, end + 1))]);
  }
  let start = skipWhitespaceBack(body, member.keyStart - 1) + 1;
  if (body[start - 1] === 0x2c) start--;
  return Buffer.concat([body.subarray(0, start), body.subarray(member.valueEnd)]);
}
