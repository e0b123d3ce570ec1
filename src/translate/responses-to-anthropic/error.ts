// Anthropic errors → OpenAI errors for a Responses client: HTTP error bodies in OpenAI's
// shape (Chat and Responses share it), and the failure a stream ends with, coded the way
// Codex acts on it: context_length_exceeded and insufficient_quota stop it, others retry.
import {
  type OpenAIErrorBody,
  openaiErrorType,
  statusOfAnthropicErrorType,
} from "../../core/dialect-errors.js";
import { readContextOverflow } from "../context-length.js";
import { translateError as translateChatError } from "../openai-to-anthropic/error.js";
import type { UpstreamErrorOptions } from "../upstream-error-options.js";
import type { ResponsesError } from "./wire.js";

/** Translates an Anthropic error response (or an HTML / garbage body) into OpenAI's shape. */
export function translateError(
  status: number,
  bodyText: string,
  options: UpstreamErrorOptions = {},
): OpenAIErrorBody {
  const body = translateChatError(status, bodyText, options);
  // The Chat translation names `messages`; a Responses request holds its conversation in `input`.
  return body.error.param === "messages" ? { error: { ...body.error, param: "input" } } : body;
}

/** A stream failure: the Responses error, and the OpenAI error type the `error` event carries. */
export interface StreamFailure extends ResponsesError {
  type: string;
}

/** The codes of Anthropic error types that mean something to a Responses client. */
const FAILURE_CODES: Record<string, string> = {
  rate_limit_error: "rate_limit_exceeded",
  billing_error: "insufficient_quota",
  invalid_request_error: "invalid_prompt",
};

/** The failure an Anthropic `error` stream event reports. */
export function streamFailure(event: { error?: unknown }): StreamFailure {
  const error = (typeof event.error === "object" && event.error !== null ? event.error : {}) as {
    type?: unknown;
    message?: unknown;
  };
  const anthropicType = typeof error.type === "string" ? error.type : "api_error";
  const message = typeof error.message === "string" && error.message !== "" ? error.message : anthropicType;
  const status = statusOfAnthropicErrorType(anthropicType);
  const overflow = readContextOverflow({ status, message });
  const code = overflow ? "context_length_exceeded" : (FAILURE_CODES[anthropicType] ?? "server_error");
  return { type: openaiErrorType(status), code, message };
}

/** The failure of a stream that stopped before message_stop. */
export const ENDED_EARLY: StreamFailure = {
  type: "server_error",
  code: "server_error",
  message:
    "the upstream stream ended before the response was complete (no message_stop); the answer is cut off, try again",
};
