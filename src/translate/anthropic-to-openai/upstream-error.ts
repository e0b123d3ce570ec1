// Reads an error an OpenAI-compatible upstream sent: as an error status, as a 200 body,
// or as a chunk inside a stream. Shapes vary (`{"error":{"message"}}`, `{"error":"…"}`,
// `{"message"}`, FastAPI's `{"detail"}`, an HTML page), so the message is dug out of
// whichever one arrived and kept verbatim for the client.
import { anthropicErrorType } from "../../core/dialect-errors.js";

import { MAX_PAGE_TEXT } from "../page-text.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function detailText(detail: unknown): string | undefined {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    const parts = detail.map((d) => (isRecord(d) && typeof d.msg === "string" ? d.msg : JSON.stringify(d)));
    return parts.join("; ");
  }
  return undefined;
}

/** The message of a parsed error body, or undefined when it holds none. */
export function errorMessageOf(body: unknown): string | undefined {
  if (Array.isArray(body)) return errorMessageOf(body[0]);
  if (!isRecord(body)) return undefined;
  const error = body.error;
  if (typeof error === "string" && error !== "") return error;
  if (isRecord(error)) {
    const message = typeof error.message === "string" && error.message !== "" ? error.message : undefined;
    // OpenRouter wraps the provider's own answer in metadata.raw; it says what went wrong.
    const raw = isRecord(error.metadata) ? error.metadata.raw : undefined;
    const rawText = typeof raw === "string" && raw !== "" ? raw.slice(0, MAX_PAGE_TEXT) : undefined;
    if (message && rawText && rawText !== message) return `${message} (${rawText})`;
    if (message ?? rawText) return message ?? rawText;
  }
  if (typeof body.message === "string" && body.message !== "") return body.message;
  return detailText(body.detail);
}

/**
 * The string `code` and `type` of a parsed error body, nested (`{"error":{…}}`) or flat
 * (older vLLM's `{"object":"error",…}`): what names an error when its message does not.
 */
export function errorCodesOf(body: unknown): string[] {
  const first = Array.isArray(body) ? body[0] : body;
  if (!isRecord(first)) return [];
  const source = isRecord(first.error) ? first.error : first;
  return [source.code, source.type].filter((value): value is string => typeof value === "string");
}

const TYPE_BY_OPENAI_TYPE: Record<string, string> = {
  invalid_request_error: "invalid_request_error",
  authentication_error: "authentication_error",
  permission_error: "permission_error",
  not_found_error: "not_found_error",
  rate_limit_error: "rate_limit_error",
  rate_limit_exceeded: "rate_limit_error",
  insufficient_quota: "rate_limit_error",
  server_error: "api_error",
  overloaded_error: "overloaded_error",
  timeout: "timeout_error",
};

/**
 * The Anthropic error type for an error object inside a 200 body or stream, where the
 * HTTP status says nothing: a numeric `code` (OpenRouter) is read as a status, else the
 * OpenAI `type` or `code` is mapped, else it is an `api_error`.
 */
export function anthropicTypeOfErrorObject(body: unknown): string {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const code = error.code;
  const status =
    typeof code === "number" ? code : typeof code === "string" && /^\d{3}$/.test(code) ? Number(code) : 0;
  if (status >= 400) return anthropicErrorType(status);
  for (const key of [error.type, error.code]) {
    if (typeof key === "string" && TYPE_BY_OPENAI_TYPE[key]) return TYPE_BY_OPENAI_TYPE[key];
  }
  return "api_error";
}
