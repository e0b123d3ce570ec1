// How an error looks in each dialect. Upstream statuses map to the client's error types
// in this one place (429 → rate_limit_error, 529 → overloaded_error).

/** The two wire dialects providers speak (and clients too): Anthropic Messages, OpenAI Chat Completions. */
export type Dialect = "anthropic" | "openai";

/** What a client may speak: a provider dialect, or OpenAI Responses (whose errors have the OpenAI shape). */
export type ClientDialect = Dialect | "responses";

/** Anthropic's error body: `{"type":"error","error":{"type","message"}}`. */
export interface AnthropicErrorBody {
  type: "error";
  error: { type: string; message: string };
}

/** OpenAI's error body: `{"error":{"message","type","param","code"}}`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const ANTHROPIC_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  405: "invalid_request_error",
  408: "timeout_error",
  409: "invalid_request_error",
  413: "request_too_large",
  422: "invalid_request_error",
  429: "rate_limit_error",
  500: "api_error",
  502: "api_error",
  503: "overloaded_error",
  504: "timeout_error",
  529: "overloaded_error",
};

const OPENAI_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  405: "invalid_request_error",
  408: "timeout",
  409: "conflict",
  413: "invalid_request_error",
  422: "invalid_request_error",
  429: "rate_limit_error",
  500: "server_error",
  502: "server_error",
  503: "server_error",
  504: "timeout",
  529: "server_error",
};

/** The status an Anthropic error type stands for (an `error` event carries only the type). */
const ANTHROPIC_TYPE_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  timeout_error: 504,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

/** The HTTP status of an Anthropic error type; unknown types count as a server error. */
export function statusOfAnthropicErrorType(type: string): number {
  return ANTHROPIC_TYPE_STATUS[type] ?? 500;
}

/** The Anthropic error type for an HTTP status. */
export function anthropicErrorType(status: number): string {
  return ANTHROPIC_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

/** The OpenAI error type for an HTTP status. */
export function openaiErrorType(status: number): string {
  return OPENAI_TYPES[status] ?? (status >= 500 ? "server_error" : "invalid_request_error");
}

/** An error body in Anthropic's shape. */
export function anthropicErrorBody(status: number, message: string, type?: string): AnthropicErrorBody {
  return { type: "error", error: { type: type ?? anthropicErrorType(status), message } };
}

/** An error body in OpenAI's shape. */
export function openaiErrorBody(
  status: number,
  message: string,
  options: { type?: string; param?: string | null; code?: string | null } = {},
): OpenAIErrorBody {
  return {
    error: {
      message,
      type: options.type ?? openaiErrorType(status),
      param: options.param ?? null,
      code: options.code ?? null,
    },
  };
}

/** An error body in the given dialect. */
export function errorBody(
  dialect: ClientDialect,
  status: number,
  message: string,
  options: { param?: string | null; code?: string | null } = {},
): AnthropicErrorBody | OpenAIErrorBody {
  return dialect === "anthropic"
    ? anthropicErrorBody(status, message)
    : openaiErrorBody(status, message, options);
}
