// OpenAI Chat Completions client → Anthropic Messages provider: the public surface of
// the pure translators for this direction (request, response, stream, error).
export { translateError } from "./error.js";
export {
  DEFAULT_MAX_TOKENS,
  type OpenAIToAnthropicRequestOptions,
  type TranslatedRequest,
  translateRequest,
} from "./request.js";
export { type OpenAIResponseContext, translateResponse } from "./response.js";
export { createStreamTranslator, type StreamOutput } from "./stream.js";
