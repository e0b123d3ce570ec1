// The patterns Claude Code runs over an API error's message, copied from the bundle of the
// @anthropic-ai/claude-code version this project pins (2.1.197): a translated error must
// satisfy them for Claude Code to compact the conversation or lower max_tokens by itself.

/** Claude Code's prompt-too-long pattern: (tokens the prompt had, the maximum); it compacts by the gap. */
export const CLAUDE_CODE_PROMPT_TOO_LONG = /prompt is too long[^0-9]*(\d+)\s*tokens?\s*>\s*(\d+)/i;

/** Claude Code's max_tokens overflow pattern (on a 400): (input, max_tokens, limit); it retries with less. */
export const CLAUDE_CODE_MAX_TOKENS_OVERFLOW =
  /input length and `max_tokens` exceed context limit: (\d+) \+ (\d+) > (\d+)/;

/** The numbers Claude Code reads out of an error message with one of its patterns, or undefined. */
export function claudeCodeCounts(pattern: RegExp, message: string): number[] | undefined {
  const match = pattern.exec(message);
  return match ? match.slice(1).map(Number) : undefined;
}

/** Whether Claude Code treats the message as a prompt-too-long error at all (its own check). */
export function claudeCodeSeesPromptTooLong(message: string): boolean {
  return message.toLowerCase().includes("prompt is too long");
}
