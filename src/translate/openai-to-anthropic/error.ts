// Anthropic errors → OpenAI error bodies, for HTTP error responses and for error events
// inside a stream. The upstream's own message is always kept: it is what tells the user
// what to fix. A context-length error carries OpenAI's `context_length_exceeded` code, which
// OpenAI clients check for, and a refusal names the provider and when to retry.
import { type OpenAIErrorBody, openaiErrorBody } from "../../core/dialect-errors.js";
import { openaiContextMessage, readContextOverflow } from "../context-length.js";
import { pageText } from "../page-text.js";
import { refusalMessage } from "../provider-refusal.js";
import type { UpstreamErrorOptions } from "../upstream-error-options.js";

/** The HTTP status each Anthropic error type stands for. */
const STATUS_BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** Translates an Anthropic error response (or an HTML / garbage body) into OpenAI's shape. */
export function translateError(
  status: number,
  bodyText: string,
  options: UpstreamErrorOptions = {},
): OpenAIErrorBody {
  const parsed = parseErrorJson(bodyText);
  if (!parsed) {
    const text = pageText(bodyText);
    const message = text === "" ? `the upstream answered HTTP ${status} with no message` : text;
    return openaiErrorBody(status, refusalMessage(status, message, options));
  }
  const overflow = readContextOverflow({ status, message: parsed.message });
  if (overflow) {
    const message = openaiContextMessage(overflow, {
      upstreamMessage: parsed.message,
      model: options.upstreamModel,
    });
    // What OpenAI itself answers for an over-long prompt, so clients that check the code act on it.
    return openaiErrorBody(status, message, {
      type: "invalid_request_error",
      param: "messages",
      code: "context_length_exceeded",
    });
  }
  return openaiErrorBody(status, refusalMessage(status, parsed.message, options), {
    code: parsed.type ?? null,
  });
}

/** The OpenAI error object for an Anthropic `error` stream event's data. */
export function streamErrorBody(event: { error?: unknown }): OpenAIErrorBody {
  const error = (typeof event.error === "object" && event.error !== null ? event.error : {}) as {
    type?: unknown;
    message?: unknown;
  };
  const type = typeof error.type === "string" ? error.type : "api_error";
  const message = typeof error.message === "string" && error.message !== "" ? error.message : type;
  return openaiErrorBody(STATUS_BY_TYPE[type] ?? 500, message);
}

function parseErrorJson(text: string): { message: string; type?: string } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== "object" || body === null) return undefined;
  const { error, message } = body as { error?: unknown; message?: unknown };
  if (typeof error === "object" && error !== null) {
    const e = error as { type?: unknown; message?: unknown };
    if (typeof e.message === "string") {
      return typeof e.type === "string" ? { message: e.message, type: e.type } : { message: e.message };
    }
  }
  if (typeof error === "string") return { message: error };
  if (typeof message === "string") return { message };
  return undefined;
}
