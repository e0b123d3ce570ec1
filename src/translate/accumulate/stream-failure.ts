// The failures an accumulated stream ends in, as ParleyErrors the attempt loop knows: an
// error sent inside the stream keeps its message and a status read from its type or code;
// a stream cut short or out of order is a protocol error (502, retryable: nothing was sent).
import { statusOfAnthropicErrorType } from "../../core/dialect-errors.js";
import { UpstreamHttpError, UpstreamProtocolError } from "../../core/errors.js";
import { errorMessageOf } from "../anthropic-to-openai/upstream-error.js";
import { isRecord } from "./json-record.js";

/** The status each OpenAI error type or code stands for, when the error object carries no numeric code. */
const OPENAI_STATUS_BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  context_length_exceeded: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  server_error: 500,
  timeout: 504,
};

/** The failure for an Anthropic `error` event (`{"type":"error","error":{"type","message"}}`). */
export function anthropicStreamError(event: Record<string, unknown>): UpstreamHttpError {
  const error = isRecord(event.error) ? event.error : {};
  const type = typeof error.type === "string" ? error.type : "api_error";
  const message = typeof error.message === "string" && error.message !== "" ? error.message : type;
  return new UpstreamHttpError({ status: statusOfAnthropicErrorType(type), message, upstreamType: type });
}

/**
 * The failure for an error object inside an OpenAI-compatible stream. OpenRouter puts the
 * provider's HTTP status in a numeric `code`; OpenAI names a `type`; anything else is a 502.
 */
export function openaiStreamError(chunk: Record<string, unknown>): UpstreamHttpError {
  const error = isRecord(chunk.error) ? chunk.error : {};
  const named = [error.type, error.code].find((key): key is string => typeof key === "string");
  const status =
    httpStatusOf(error.code) ?? (named === undefined ? undefined : OPENAI_STATUS_BY_TYPE[named]) ?? 502;
  return new UpstreamHttpError({
    status,
    message: errorMessageOf(chunk) ?? "the upstream reported an error in its stream",
    ...(named === undefined ? {} : { upstreamType: named }),
  });
}

/** The failure for a stream that ended before the response was whole (`reason`: "ended before message_stop"). */
export function incompleteStream(reason: string): UpstreamProtocolError {
  return new UpstreamProtocolError({ message: `the upstream stream ${reason}; the response is incomplete` });
}

/** The failure for a stream whose events cannot make one response (a delta for a block that never started). */
export function malformedStream(reason: string): UpstreamProtocolError {
  return new UpstreamProtocolError({ message: `the upstream stream is malformed: ${reason}` });
}

function httpStatusOf(code: unknown): number | undefined {
  const status =
    typeof code === "number" ? code : typeof code === "string" && /^\d{3}$/.test(code) ? Number(code) : 0;
  return status >= 400 && status < 600 ? status : undefined;
}
