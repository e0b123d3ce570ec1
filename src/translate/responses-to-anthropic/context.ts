// What the response and stream translators know about the request they answer: the
// model names, the tool-name mapping, and the request settings a Responses body echoes
// back (OpenAI returns them in every response object, and clients read them there).
import type { TranslateContext } from "../types.js";
import type { ResponsesToolNames } from "./tool-names.js";
import type { ResponsesBody } from "./wire.js";

/** The request settings a Responses body repeats. */
export type RequestEcho = Pick<
  ResponsesBody,
  "instructions" | "metadata" | "parallel_tool_calls" | "temperature" | "tool_choice" | "tools" | "top_p"
> &
  Partial<
    Pick<
      ResponsesBody,
      | "max_output_tokens"
      | "prompt_cache_key"
      | "reasoning"
      | "safety_identifier"
      | "text"
      | "truncation"
      | "user"
    >
  >;

/** The context of one translated request. */
export interface ResponsesContext extends TranslateContext {
  /** Upstream tool names mapped back to the client's (names pass unchanged without it). */
  toolNames?: ResponsesToolNames;
  /** The settings to echo; defaults (no tools, `auto`…) without it. */
  echo?: RequestEcho;
}
