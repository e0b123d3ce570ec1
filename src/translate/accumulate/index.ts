// Stream accumulators for demotion: a non-streaming client request goes upstream as a
// stream, and an accumulator rebuilds from its events the one body the non-streaming API
// would have answered. Pure state machines, one per attempt.
export type { AccumulatedBody, StreamAccumulator } from "./accumulator.js";
export { createAnthropicMessageAccumulator } from "./anthropic-message.js";
export { createOpenAICompletionAccumulator } from "./openai-completion.js";
