// An error status from an OpenAI-compatible upstream → an Anthropic error body. The type
// follows the status and the upstream's own message is kept (an HTML page from a load
// balancer reduced to its text); context-length errors lead with Anthropic's wording, which
// Claude Code parses to compact and retry, and refusals name the provider and the wait.
import { type AnthropicErrorBody, anthropicErrorBody } from "../../core/dialect-errors.js";
import { anthropicContextMessage, readContextOverflow } from "../context-length.js";
import { pageText } from "../page-text.js";
import { refusalMessage } from "../provider-refusal.js";
import type { UpstreamErrorOptions } from "../upstream-error-options.js";
import { errorCodesOf, errorMessageOf } from "./upstream-error.js";

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The Anthropic error body for an upstream error answer. */
export function translateError(
  status: number,
  bodyText: string,
  options: UpstreamErrorOptions = {},
): AnthropicErrorBody {
  const body = parse(bodyText);
  const message =
    errorMessageOf(body) || pageText(bodyText) || `the upstream answered HTTP ${status} with an empty body`;
  const overflow = readContextOverflow({ status, message, codes: errorCodesOf(body) });
  if (overflow) {
    const text = anthropicContextMessage(overflow, {
      upstreamMessage: message,
      model: options.upstreamModel,
    });
    // Anthropic's own type for an over-long prompt, whatever status the upstream chose.
    return anthropicErrorBody(status, text, "invalid_request_error");
  }
  return anthropicErrorBody(status, refusalMessage(status, message, options));
}
