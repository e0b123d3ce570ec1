// Anthropic Messages wire validators: what a client's request must look like before the
// anthropic-to-openai translators read it.
export { validateMessagesRequest } from "./messages-request.js";
