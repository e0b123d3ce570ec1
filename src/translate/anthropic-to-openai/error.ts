// An error status from an OpenAI-compatible upstream → an Anthropic error body. The type
// follows the status; the upstream's own message is kept as it is, so the user reads
// what the provider said (an HTML page from a load balancer is reduced to its text).
import { type AnthropicErrorBody, anthropicErrorBody } from "../../core/dialect-errors.js";
import { pageText } from "../page-text.js";
import { errorMessageOf } from "./upstream-error.js";

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The Anthropic error body for an upstream error answer. */
export function translateError(status: number, bodyText: string): AnthropicErrorBody {
  const message =
    errorMessageOf(parse(bodyText)) ||
    pageText(bodyText) ||
    `the upstream answered HTTP ${status} with an empty body`;
  return anthropicErrorBody(status, message);
}
