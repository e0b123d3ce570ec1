// What the response and stream translators of this direction need to know.
import type { ToolNameMap } from "../tool-identity.js";
import type { TranslateContext } from "../types.js";

/** The context of one translated request, for its response or stream. */
export interface AnthropicResponseContext extends TranslateContext {
  /** The tool names the request shortened, to map back. */
  toolNames: ToolNameMap;
  /** estimate for message_start.usage.input_tokens before real usage is known */
  inputTokensEstimate?: number;
}
