// Rewrites the top-level "model" of a JSON body without re-serializing it, so every
// other byte (integers beyond 2^53, key order, escapes) reaches the upstream unchanged.
import { wireText } from "./request-body.js";
import { type MemberSpan, scanTopLevelMembers } from "./top-level-members.js";

/**
 * The body with its top-level "model" value replaced; unchanged if it has none.
 * `span` is the model member `validateModelRequest` found in this very `body`; without
 * it the body is scanned again (and a duplicate top-level key is refused).
 */
export function spliceModel(body: string, model: string, span?: MemberSpan): string {
  const member = span !== undefined && fitsBody(body, span) ? span : scanTopLevelMembers(body).get("model");
  if (member === undefined) return body;
  const value = wireText(JSON.stringify(model));
  if (!member.keyEscaped) {
    return `${body.slice(0, member.valueStart)}${value}${body.slice(member.valueEnd)}`;
  }
  // A key spelled with escapes becomes plain "model", so an upstream (or another proxy)
  // that matches the literal key sees the mapped model too.
  return `${body.slice(0, member.keyStart)}"model"${body.slice(member.keyEnd, member.valueStart)}${value}${body.slice(member.valueEnd)}`;
}

/** A cheap check that a span was taken from this body, not another one. */
function fitsBody(body: string, span: MemberSpan): boolean {
  return (
    span.valueEnd <= body.length &&
    body.charCodeAt(span.keyStart) === 0x22 &&
    body.charCodeAt(span.keyEnd - 1) === 0x22
  );
}

/**
 * The body with top-level `key` set to `valueJson` (already JSON text), its other bytes
 * unchanged: the value replaced where the key exists, the member added first where not.
 */
export function setTopLevelMember(body: string, key: string, valueJson: string): string {
  const member = scanTopLevelMembers(body).get(key);
  if (member) return `${body.slice(0, member.valueStart)}${valueJson}${body.slice(member.valueEnd)}`;
  const open = body.indexOf("{");
  const rest = body.slice(open + 1);
  const separator = rest.trimStart().startsWith("}") ? "" : ",";
  return `${body.slice(0, open + 1)}${JSON.stringify(key)}:${valueJson}${separator}${rest}`;
}

/** The body without top-level `key` (and the comma that separated it), other bytes unchanged. */
export function removeTopLevelMember(body: string, key: string): string {
  const member = scanTopLevelMembers(body).get(key);
  if (!member) return body;
  let end = member.valueEnd;
  while (/\s/.test(body[end] ?? "")) end++;
  if (body[end] === ",") return body.slice(0, member.keyStart) + body.slice(end + 1).trimStart();
  let start = member.keyStart;
  while (start > 0 && /\s/.test(body[start - 1] ?? "")) start--;
  if (body[start - 1] === ",") start--;
  return body.slice(0, start) + body.slice(member.valueEnd);
}
