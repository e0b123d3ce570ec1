// Chat Completions usage → Responses usage. Both count cached prompt tokens inside the input
// total (unlike Anthropic, edge 30), so the numbers carry over; DeepSeek's cache counter and
// missing totals are filled in.
import type { ChatUsage, ResponsesUsage } from "./wire.js";

function count(value: number | null | undefined): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

/** Whether an upstream object carries usage worth reporting. */
export function hasUsage(usage: ChatUsage | null | undefined): usage is ChatUsage {
  return typeof usage === "object" && usage !== null && typeof usage.prompt_tokens === "number";
}

/** The Responses usage for a Chat Completions usage object. */
export function responsesUsage(usage: ChatUsage): ResponsesUsage {
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  const details = usage.prompt_tokens_details ?? {};
  return {
    input_tokens: input,
    input_tokens_details: {
      cached_tokens: count(details.cached_tokens ?? usage.prompt_cache_hit_tokens),
      cache_write_tokens: count(details.cache_write_tokens),
    },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: count(usage.completion_tokens_details?.reasoning_tokens) },
    total_tokens: count(usage.total_tokens) || input + output,
  };
}
