// Checks a model request before it is routed (DESIGN §4 limits) in one scan of its bytes,
// without parsing it: an object with each top-level key once, a model, a boolean stream, and
// 1-100,000 messages that are objects with a string role. What lies deeper is the upstream's
// to judge on passthrough, and JSON.parse's (then the translators' schemas) on translation.
// Each failure says what to fix.
import { InvalidRequestError } from "../core/errors.js";
import { withScanCopy } from "./json-scan.js";
import { objectMember, skipWhitespace, valueEnd } from "./json-spans.js";
import { parseObject, RequestBody } from "./request-body.js";
import { duplicateKey, type MemberSpan, scanTopLevel } from "./top-level-members.js";

/** Messages allowed in one request by default: Anthropic's own limit (100,000), so a long agent session passes. */
export const MAX_MESSAGES = 100_000;

/** A request body that passed validation. */
export interface ValidatedBody {
  body: RequestBody;
  model: string;
  stream: boolean;
  /** Where the one top-level "model" sits in the body, for `spliceModel`. */
  modelSpan: MemberSpan;
  /** Entries of the conversation as the client wrote it: `messages`, or Responses `input` items. */
  conversationLength: number;
}

/** What the scan learnt of the conversation array. */
interface Conversation {
  length: number;
  /** The first entry that is not an object with a string role (messages only). */
  badEntry: number | undefined;
  isArray: boolean;
}

/** Checks a body; `requireMessages` is false for endpoints without them (Responses). */
export function validateModelRequest(
  bytes: Buffer,
  options: { requireMessages: boolean; maxMessages?: number },
): ValidatedBody {
  const maxMessages = options.maxMessages ?? MAX_MESSAGES;
  const conversationKey = options.requireMessages ? "messages" : "input";
  let conversation: Conversation | undefined;
  // JSON.parse keeps the last of two equal keys while an upstream may honour the first:
  // the scan refuses duplicates, which lets routing and the splice agree on one model.
  const scan = withScanCopy(bytes, () =>
    scanTopLevel(bytes, (key, text, start) => {
      if (key !== conversationKey) return valueEnd(text, start);
      const walked = walkConversation(text, start, options.requireMessages);
      conversation = walked.conversation;
      return walked.end;
    }),
  );
  if (!scan.complete) throw notJson(bytes);
  if (scan.duplicate !== undefined) throw duplicateKey(scan.duplicate);
  const validated = new RequestBody(bytes, scan.members);
  const modelSpan = scan.members.get("model");
  const model = modelSpan && bytes[modelSpan.valueStart] === 0x22 ? validated.member("model") : undefined;
  if (modelSpan === undefined || typeof model !== "string" || model.trim() === "") {
    throw new InvalidRequestError({
      message: "`model` is required and must be a non-empty string",
      param: "model",
    });
  }
  if (options.requireMessages) checkMessages(conversation, maxMessages);
  const stream = literalAt(validated, scan.members.get("stream"));
  if (stream !== undefined && stream !== "true" && stream !== "false") {
    throw new InvalidRequestError({ message: "`stream` must be true or false", param: "stream" });
  }
  return {
    body: validated,
    model,
    stream: stream === "true",
    modelSpan,
    conversationLength: conversationLengthOf(validated, conversation),
  };
}

function checkMessages(conversation: Conversation | undefined, maxMessages: number): void {
  if (!conversation?.isArray || conversation.length === 0) {
    throw new InvalidRequestError({
      message: "`messages` is required and must be a non-empty array of messages",
      param: "messages",
    });
  }
  if (conversation.length > maxMessages) {
    throw new InvalidRequestError({
      message: `\`messages\` has ${conversation.length} entries; at most ${maxMessages} are allowed (PARLEY_MAX_MESSAGES) — trim the conversation history`,
      param: "messages",
    });
  }
  const bad = conversation.badEntry;
  if (bad !== undefined) {
    throw new InvalidRequestError({
      message: `\`messages[${bad}]\` must be an object with a string \`role\``,
      param: `messages[${bad}]`,
    });
  }
}

/** A Responses `input` string is one message; anything but an array or a string counts none. */
function conversationLengthOf(body: RequestBody, conversation: Conversation | undefined): number {
  if (conversation?.isArray) return conversation.length;
  const input = body.members.get("input");
  return input !== undefined && body.bytes[input.valueStart] === 0x22 ? 1 : 0;
}

/**
 * Walks the conversation array whose value starts at `start`, counting its entries and (for
 * messages) checking each is an object with a string role; returns where the value ends.
 */
function walkConversation(
  text: Buffer,
  start: number,
  checkRoles: boolean,
): { end: number; conversation: Conversation } {
  if (text[start] !== 0x5b) {
    return { end: valueEnd(text, start), conversation: { length: 0, badEntry: undefined, isArray: false } };
  }
  const conversation: Conversation = { length: 0, badEntry: undefined, isArray: true };
  let i = skipWhitespace(text, start + 1);
  if (text[i] === 0x5d) return { end: i + 1, conversation };
  for (;;) {
    let end: number;
    if (checkRoles && text[i] === 0x7b) {
      const member = objectMember(text, i, "role");
      end = member?.end ?? -1;
      if (member && (member.value === undefined || text[member.value.start] !== 0x22))
        conversation.badEntry ??= conversation.length;
    } else {
      end = valueEnd(text, i);
      if (checkRoles) conversation.badEntry ??= conversation.length;
    }
    if (end < 0) return { end: -1, conversation };
    conversation.length++;
    i = skipWhitespace(text, end);
    const c = text[i];
    if (c === 0x5d) return { end: i + 1, conversation };
    if (c !== 0x2c) return { end: -1, conversation };
    i = skipWhitespace(text, i + 1);
  }
}

/** A member's value text, undefined when the member is absent. */
function literalAt(body: RequestBody, span: MemberSpan | undefined): string | undefined {
  if (span === undefined) return undefined;
  return body.bytes.toString("latin1", span.valueStart, span.valueEnd);
}

/** The 400 for a body the scan found not to be one JSON object, with JSON.parse's account of why. */
function notJson(bytes: Buffer): InvalidRequestError {
  try {
    parseObject(bytes);
  } catch (error) {
    return error as InvalidRequestError;
  }
  // JSON.parse took what the scan did not (never seen): still not a body to forward.
  return new InvalidRequestError({ message: "the request body is not valid JSON; send a JSON object" });
}
