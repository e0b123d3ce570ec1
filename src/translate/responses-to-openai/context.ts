// What the response and stream translators of this direction need to know about the request.
import type { TranslateContext } from "../types.js";
import type { ResponseEnvelope } from "./envelope.js";
import type { ResponsesToolNames } from "./tool-names.js";

/** The context of one translated request, for its response or stream. */
export interface ResponsesContext extends TranslateContext {
  /** The tools the request declared, to map the upstream's calls back to names and namespaces. */
  toolNames: ResponsesToolNames;
  /** The request settings each Response echoes. */
  envelope: ResponseEnvelope;
  /** Unix seconds for `created_at` when the upstream's answer carries no `created`. */
  createdAt: number;
}
