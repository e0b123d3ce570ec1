// Checks a model request before it is routed (DESIGN §4 limits): valid JSON, an
// object with each top-level key once, a model and 1-1000 messages. Each failure says
// what to fix.
import { InvalidRequestError } from "../core/errors.js";
import { type MemberSpan, scanTopLevelMembers } from "./top-level-members.js";

/** Messages allowed in one request by default: Anthropic's own limit (100,000), so a long agent session passes. */
export const MAX_MESSAGES = 100_000;

/** A request body that passed validation. */
export interface ValidatedBody {
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  /** Where the one top-level "model" sits in the raw body, for `spliceModel`. */
  modelSpan: MemberSpan;
}

/** Parses and checks a body; `requireMessages` is false for endpoints without them. */
export function validateModelRequest(
  raw: string,
  options: { requireMessages: boolean; maxMessages?: number },
): ValidatedBody {
  const maxMessages = options.maxMessages ?? MAX_MESSAGES;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (error) {
    throw new InvalidRequestError({
      message: `the request body is not valid JSON (${(error as Error).message}); send a JSON object`,
    });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InvalidRequestError({ message: "the request body must be a JSON object" });
  }
  const record = body as Record<string, unknown>;
  // JSON.parse keeps the last of two equal keys while an upstream may honour the first:
  // refusing duplicates is what lets routing and the splice agree on one model.
  const modelSpan = scanTopLevelMembers(raw).get("model");
  if (modelSpan === undefined || typeof record.model !== "string" || record.model.trim() === "") {
    throw new InvalidRequestError({
      message: "`model` is required and must be a non-empty string",
      param: "model",
    });
  }
  if (options.requireMessages) {
    const messages = record.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      throw new InvalidRequestError({
        message: "`messages` is required and must be a non-empty array of messages",
        param: "messages",
      });
    }
    if (messages.length > maxMessages) {
      throw new InvalidRequestError({
        message: `\`messages\` has ${messages.length} entries; at most ${maxMessages} are allowed (PARLEY_MAX_MESSAGES) — trim the conversation history`,
        param: "messages",
      });
    }
    for (const [i, message] of messages.entries()) {
      if (
        typeof message !== "object" ||
        message === null ||
        typeof (message as { role?: unknown }).role !== "string"
      ) {
        throw new InvalidRequestError({
          message: `\`messages[${i}]\` must be an object with a string \`role\``,
          param: `messages[${i}]`,
        });
      }
    }
  }
  if (record.stream !== undefined && typeof record.stream !== "boolean") {
    throw new InvalidRequestError({ message: "`stream` must be true or false", param: "stream" });
  }
  return { body: record, model: record.model, stream: record.stream === true, modelSpan };
}
