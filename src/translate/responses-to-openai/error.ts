// An error answer from a Chat Completions upstream → the OpenAI error body a Responses client
// reads: the upstream's message, type, param and code are kept, a page that is not JSON is
// reduced to its text, and an uncoded context overflow gets `context_length_exceeded`.
import { type OpenAIErrorBody, openaiErrorBody, openaiErrorType } from "../../core/dialect-errors.js";
import { isRecord } from "../accumulate/json-record.js";
import { errorCodesOf, errorMessageOf } from "../anthropic-to-openai/upstream-error.js";
import { openaiContextMessage, readContextOverflow } from "../context-length.js";
import { pageText } from "../page-text.js";
import { refusalMessage } from "../provider-refusal.js";
import type { UpstreamErrorOptions } from "../upstream-error-options.js";

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** The OpenAI error body for an upstream error answer. */
export function translateError(
  status: number,
  bodyText: string,
  options: UpstreamErrorOptions = {},
): OpenAIErrorBody {
  const body = parse(bodyText);
  const error = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) ? body : {};
  const message =
    errorMessageOf(body) || pageText(bodyText) || `the upstream answered HTTP ${status} with an empty body`;
  const code = stringOrNull(error.code);
  const fields = {
    type: stringOrNull(error.type) ?? openaiErrorType(status),
    param: stringOrNull(error.param),
    code,
  };
  if (code !== "context_length_exceeded") {
    const overflow = readContextOverflow({ status, message, codes: errorCodesOf(body) });
    if (overflow) {
      return openaiErrorBody(
        status,
        openaiContextMessage(overflow, { upstreamMessage: message, model: options.upstreamModel }),
        {
          type: "invalid_request_error",
          param: fields.param,
          code: "context_length_exceeded",
        },
      );
    }
  }
  return openaiErrorBody(status, refusalMessage(status, message, options), fields);
}
