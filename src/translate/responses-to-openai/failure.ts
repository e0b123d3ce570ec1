// What a failed response says: the `code` and `message` of `response.failed` (Codex acts on
// `context_length_exceeded`, `insufficient_quota`, `rate_limit_exceeded` and retries the rest)
// and the error `type` of the `error` event before it.
import { openaiErrorType } from "../../core/dialect-errors.js";
import { isRecord } from "../accumulate/json-record.js";
import { errorMessageOf } from "../anthropic-to-openai/upstream-error.js";

/** Why a stream failed, in the terms of a Responses failure. */
export interface StreamFailure {
  /** The HTTP status the failure stands for (an upstream's, or the proxy's own). */
  status: number;
  message: string;
  /** The error code, when the source named one; otherwise derived from the status. */
  code?: string | undefined;
  /** The OpenAI error type, when the source named one; otherwise derived from the status. */
  type?: string | undefined;
}

/** The code and type a failure is reported with. */
export function failureNames(failure: StreamFailure): { code: string; type: string } {
  const type = failure.type ?? openaiErrorType(failure.status);
  if (failure.code) return { code: failure.code, type };
  if (failure.status === 429 || type === "rate_limit_error") return { code: "rate_limit_exceeded", type };
  return { code: "server_error", type };
}

const CODES_BY_TYPE: Record<string, string> = {
  rate_limit_error: "rate_limit_exceeded",
  rate_limit_exceeded: "rate_limit_exceeded",
  insufficient_quota: "insufficient_quota",
  context_length_exceeded: "context_length_exceeded",
};

/**
 * The failure an upstream error object inside a 200 stream describes. A numeric `code`
 * (OpenRouter) is read as a status; a string code is kept; a known `type` names the code.
 */
export function failureOfErrorChunk(chunk: unknown): StreamFailure {
  const error = isRecord(chunk) && isRecord(chunk.error) ? chunk.error : {};
  const message = errorMessageOf(chunk) ?? "the upstream reported an error in its stream";
  const rawCode = error.code;
  const numeric =
    typeof rawCode === "number"
      ? rawCode
      : typeof rawCode === "string" && /^\d{3}$/.test(rawCode)
        ? Number(rawCode)
        : 0;
  const status = numeric >= 400 && numeric < 600 ? numeric : 500;
  const type = typeof error.type === "string" && error.type !== "" ? error.type : undefined;
  const code =
    typeof rawCode === "string" && numeric === 0 && rawCode !== ""
      ? rawCode
      : type
        ? CODES_BY_TYPE[type]
        : undefined;
  return { status, message, code, type };
}
