// OpenAI Responses client → OpenAI Chat Completions upstream: the request, response, stream
// and error translators of this direction. All are pure; the stream translator is a state
// machine created per request.
export type { ResponsesContext } from "./context.js";
export { translateError } from "./error.js";
export type { StreamFailure } from "./failure.js";
export { type ResponsesToOpenAIRequestOptions, type TranslatedRequest, translateRequest } from "./request.js";
export { translateResponse } from "./response.js";
export { createStreamTranslator, type ResponsesStreamTranslator } from "./stream.js";
export { type ClientToolName, flatToolName, ResponsesToolNames } from "./tool-names.js";
export type {
  OpenAIChatCompletion,
  OpenAIChatRequest,
  OpenAIChunk,
  ResponsesBody,
  ResponsesErrorEvent,
  ResponsesOutputItem,
  ResponsesRequest,
  ResponsesStreamEvent,
} from "./wire.js";
