// Anthropic takes a thinking block back only with the signature it issued, and turns that
// came from an OpenAI-compatible provider carry an empty one: requests to an Anthropic
// target drop such blocks, cut out of the raw text so every other byte stays as sent.
import {
  arrayElements,
  hasBackslash,
  memberValue,
  objectMember,
  type Span,
  skipWhitespace,
  valueEnd,
  walkElements,
} from "./json-spans.js";
import { scanTopLevelMembers } from "./top-level-members.js";

/** A body with its unsigned thinking blocks removed, and how many there were. */
export interface UnsignedThinkingResult {
  raw: Buffer;
  dropped: number;
}

/** The unsigned blocks of one message: their content indices, of how many blocks. */
interface MessagePlan {
  drop: number[];
  blockCount: number;
}

/**
 * `raw` without the thinking blocks whose signature is missing, null or empty;
 * `redacted_thinking` and signed thinking are kept. `body` is `raw` parsed (its model
 * may differ): it says whether there is anything to do, so the common case costs a walk
 * of the parsed blocks and no look at `raw`. A message left with no content is dropped
 * whole, as the translators drop empty turns: Anthropic refuses empty content and merges
 * the same-role neighbours that dropping it may leave.
 */
export function dropUnsignedThinking(raw: Buffer, body: Record<string, unknown>): UnsignedThinkingResult {
  return dropPlannedThinking(raw, planFromParsed(body));
}

/** The plan the parsed body gives (the reference `planUnsignedThinking` must agree with). */
export function planFromParsed(body: Record<string, unknown>): ThinkingPlan {
  return unsignedBlocks(body) ?? null;
}

/**
 * The unsigned thinking blocks by message index, or null when there is none: what
 * `dropPlannedThinking` removes from this body, or from one that differs from it only in
 * its top-level members other than `messages` (a spliced model).
 */
export type ThinkingPlan = Map<number, MessagePlan> | null;

/**
 * The plan read from the bytes alone, as the parsed body would give it: keys are compared
 * as JSON.parse decodes them and the last of a repeated key counts. Undefined where the
 * structure is not well formed (the caller parses, and a syntax error is the 400 it is).
 * Strings are found, not checked: what lies inside them is the upstream's to judge, as for
 * any passthrough body.
 */
export function planUnsignedThinking(raw: Buffer): ThinkingPlan | undefined {
  const member = scanTopLevelMembers(raw).get("messages");
  if (member === undefined || raw[member.valueStart] !== OPEN_BRACKET) return null;
  let plan: Map<number, MessagePlan> | null = null;
  // One walk of each level: a message's member walk ends where the message does, and a
  // block's where the block does, so no array is walked once for its elements and again
  // for what is inside them.
  const messages = walkElements(raw, member.valueStart, (messageStart, i) => {
    if (raw[messageStart] !== OPEN_BRACE) return valueEnd(raw, messageStart);
    const content = objectMember(raw, messageStart, "content");
    if (content === undefined) return -1;
    if (content.value === undefined || raw[content.value.start] !== OPEN_BRACKET) return content.end;
    const unsigned: number[] = [];
    const blockCount = walkElements(raw, content.value.start, (blockStart, j) => {
      if (raw[blockStart] !== OPEN_BRACE) return valueEnd(raw, blockStart);
      const type = objectMember(raw, blockStart, "type");
      if (type === undefined) return -1;
      if (type.value !== undefined && isThinking(raw, type.value)) {
        const signature = memberValue(raw, blockStart, "signature");
        if (signature === undefined || spells(raw, signature, "null") || spells(raw, signature, '""'))
          unsigned.push(j);
      }
      return type.end;
    });
    if (blockCount < 0) return -1;
    if (unsigned.length > 0) {
      plan ??= new Map();
      plan.set(i, { drop: unsigned, blockCount });
    }
    return content.end;
  });
  return messages < 0 ? undefined : plan;
}

/** Whether the value at `span` is the string "thinking" (spelt with escapes or not). */
function isThinking(raw: Buffer, span: Span): boolean {
  if (spells(raw, span, THINKING)) return true;
  if (raw[span.start] !== QUOTE || !hasBackslash(raw, span.start, span.end)) return false;
  try {
    return JSON.parse(raw.toString("utf8", span.start, span.end)) === "thinking";
  } catch {
    return false;
  }
}

/** Whether the bytes at `span` are exactly `text` (ASCII). */
function spells(raw: Buffer, span: Span, text: string): boolean {
  if (span.end - span.start !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (raw[span.start + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** `raw` without the blocks `plan` names (a plan from this body's bytes or its parsed value). */
export function dropPlannedThinking(raw: Buffer, plan: ThinkingPlan): UnsignedThinkingResult {
  if (plan === null) return { raw, dropped: 0 };
  const cuts = cutsFor(raw, plan);
  // raw and body disagree (never for a body parsed from raw): leave the bytes alone.
  if (cuts === undefined) return { raw, dropped: 0 };
  let dropped = 0;
  for (const message of plan.values()) dropped += message.drop.length;
  return { raw: withoutCuts(raw, cuts), dropped };
}

const THINKING = '"thinking"';
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * Whether `raw` may hold a thinking block: `"thinking"` somewhere as a value (`"type":
 * "thinking"`), not only as a key (the request's `thinking` setting, a block's text field).
 * A native search, so the common body is never parsed for this.
 */
export function mayHaveThinkingBlocks(raw: Buffer): boolean {
  for (let at = raw.indexOf(THINKING); at !== -1; at = raw.indexOf(THINKING, at + THINKING.length)) {
    const next = skipWhitespace(raw, at + THINKING.length);
    if (raw[next] !== 0x3a) return true;
  }
  return false;
}

/** The unsigned thinking blocks by message index, or undefined when there is none. */
function unsignedBlocks(body: Record<string, unknown>): Map<number, MessagePlan> | undefined {
  const messages = body.messages;
  if (!Array.isArray(messages)) return undefined;
  let plan: Map<number, MessagePlan> | undefined;
  for (let i = 0; i < messages.length; i++) {
    const content = (messages[i] as { content?: unknown } | null)?.content;
    if (!Array.isArray(content)) continue;
    for (let j = 0; j < content.length; j++) {
      if (!isUnsignedThinking(content[j])) continue;
      plan ??= new Map();
      const message = plan.get(i) ?? { drop: [], blockCount: content.length };
      message.drop.push(j);
      plan.set(i, message);
    }
  }
  return plan;
}

function isUnsignedThinking(block: unknown): boolean {
  if (typeof block !== "object" || block === null) return false;
  const { type, signature } = block as { type?: unknown; signature?: unknown };
  return type === "thinking" && (signature === undefined || signature === null || signature === "");
}

/** The spans of `raw` to remove, in order, or undefined if `raw` does not have the planned shape. */
function cutsFor(raw: Buffer, plan: Map<number, MessagePlan>): Span[] | undefined {
  const member = scanTopLevelMembers(raw).get("messages");
  const messages = member && arrayElements(raw, member.valueStart);
  if (messages === undefined) return undefined;
  const emptied: number[] = [];
  const cuts: Span[] = [];
  for (const [i, { drop, blockCount }] of plan) {
    const message = messages[i];
    const content = message && memberValue(raw, message.start, "content");
    const blocks = content && arrayElements(raw, content.start);
    if (blocks === undefined || blocks.length !== blockCount) return undefined;
    if (drop.length === blocks.length) emptied.push(i);
    else cuts.push(...elementCuts(blocks, drop));
  }
  cuts.push(...elementCuts(messages, emptied));
  return cuts.sort((a, b) => a.start - b.start);
}

/**
 * The spans that remove elements `drop` (ascending) of an array, each with one of the
 * commas beside it: a run of dropped elements goes with the text up to the next kept
 * element, or, at the end of the array, with the text back to the last kept one — so
 * the whitespace around the kept elements stays as it was.
 */
function elementCuts(elements: Span[], drop: number[]): Span[] {
  const cuts: Span[] = [];
  for (let r = 0; r < drop.length; ) {
    const first = drop[r]!;
    let last = first;
    for (r++; drop[r] === last + 1; r++) last++;
    const next = elements[last + 1];
    const previous = elements[first - 1];
    if (next) cuts.push({ start: elements[first]!.start, end: next.start });
    else if (previous) cuts.push({ start: previous.end, end: elements[last]!.end });
    else cuts.push({ start: elements[first]!.start, end: elements[last]!.end });
  }
  return cuts;
}

/** `raw` without the ordered, disjoint spans `cuts`. */
function withoutCuts(raw: Buffer, cuts: Span[]): Buffer {
  const kept: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    kept.push(raw.subarray(from, cut.start));
    from = cut.end;
  }
  kept.push(raw.subarray(from));
  return Buffer.concat(kept);
}
