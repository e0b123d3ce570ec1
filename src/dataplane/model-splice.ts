// Rewrites the top-level "model" of a JSON body without re-serializing it, so every
// other byte (integers beyond 2^53, key order, escapes) reaches the upstream unchanged.
import { type MemberSpan, scanTopLevelMembers } from "./top-level-members.js";

/**
 * The body with its top-level "model" value replaced; unchanged if it has none.
 * `span` is the model member `validateModelRequest` found in this very `body`; without
 * it the body is scanned again (and a duplicate top-level key is refused).
 */
export function spliceModel(body: string, model: string, span?: MemberSpan): string {
  const member = span !== undefined && fitsBody(body, span) ? span : scanTopLevelMembers(body).get("model");
  if (member === undefined) return body;
  const value = JSON.stringify(model);
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
