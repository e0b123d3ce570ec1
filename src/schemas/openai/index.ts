// OpenAI Chat Completions wire validators: what a client's request must look like before
// the openai-to-anthropic translators read it.
export { validateChatRequest } from "./chat-request.js";
