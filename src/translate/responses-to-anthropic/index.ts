// OpenAI Responses client → Anthropic Messages provider: the public surface of the pure
// translators for this direction (request, response, stream, error). The stream
// translator is a state machine created per request; its events go out as `event: <type>`.
export type { RequestEcho, ResponsesContext } from "./context.js";
export { type StreamFailure, translateError } from "./error.js";
export {
  type DroppedParts,
  type ResponsesToAnthropicRequestOptions,
  type TranslatedRequest,
  translateRequest,
} from "./request.js";
export { translateResponse } from "./response.js";
export { createStreamTranslator } from "./stream.js";
export { type ClientToolName, ResponsesToolNames } from "./tool-names.js";
export type {
  AnthropicRequest,
  ResponsesBody,
  ResponsesError,
  ResponsesErrorEvent,
  ResponsesOutputItem,
  ResponsesStreamEvent,
} from "./wire.js";
