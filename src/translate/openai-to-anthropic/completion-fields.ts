// The ChatCompletion fields derived from an Anthropic message — id, finish_reason and
// usage — shared by the response and the stream translators so both say the same thing.
import type { ChatCompletion } from "openai/resources/chat/completions";
import type { CompletionUsage } from "openai/resources/completions";

/** An OpenAI finish reason. */
export type FinishReason = ChatCompletion.Choice["finish_reason"];

/** Anthropic usage as found in a message, `message_start` or `message_delta` (fields may be null). */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

/** The completion id for an Anthropic message id (`msg_01X…` → `chatcmpl-01X…`). */
export function completionId(messageId: unknown): string {
  const id = typeof messageId === "string" && messageId !== "" ? messageId : "unknown";
  return `chatcmpl-${id.replace(/^msg_/, "")}`;
}

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

/**
 * The OpenAI finish reason for an Anthropic stop reason. A turn that produced tool calls
 * finishes with `tool_calls` whatever it says, since the client must now run them.
 */
export function finishReason(stopReason: unknown, hasToolCalls: boolean): FinishReason {
  const mapped = (typeof stopReason === "string" ? FINISH_REASONS[stopReason] : undefined) ?? "stop";
  return hasToolCalls && mapped === "stop" ? "tool_calls" : mapped;
}

/**
 * OpenAI usage for Anthropic usage. OpenAI's prompt_tokens includes cached tokens, while
 * Anthropic reports cache reads and writes apart from input_tokens: they are added back.
 */
export function completionUsage(usage: AnthropicUsage | null | undefined): CompletionUsage {
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  const prompt = (usage?.input_tokens ?? 0) + cacheRead + cacheWrite;
  const completion = usage?.output_tokens ?? 0;
  const thinking = usage?.output_tokens_details?.thinking_tokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: {
      cached_tokens: cacheRead,
      ...(cacheWrite > 0 ? { cache_write_tokens: cacheWrite } : {}),
    },
    ...(typeof thinking === "number" ? { completion_tokens_details: { reasoning_tokens: thinking } } : {}),
  };
}
