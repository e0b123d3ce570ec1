// Anthropic Messages client → OpenAI Chat Completions upstream: the request, response,
// stream and error translators of this direction. All are pure; the stream translator
// is a state machine created per request.
export type { AnthropicResponseContext } from "./context.js";
export { translateError } from "./error.js";
export { type AnthropicToOpenAIRequestOptions, type TranslatedRequest, translateRequest } from "./request.js";
export { translateResponse } from "./response.js";
export { createStreamTranslator } from "./stream.js";
export type {
  AnthropicMessage,
  AnthropicRequest,
  AnthropicStreamEvent,
  OpenAIChatCompletion,
  OpenAIChatRequest,
  OpenAIChunk,
} from "./wire.js";
