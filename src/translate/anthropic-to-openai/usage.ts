// OpenAI usage → Anthropic usage. Anthropic counts cached prompt tokens apart from
// `input_tokens` (input + cache read + cache write = the whole prompt), OpenAI includes
// them in `prompt_tokens`; so the cached part is moved out (edge 5).
import type { OpenAIUsage } from "./wire.js";

/** Anthropic's token totals for a whole message. */
export type TokenTotals = {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
};

function count(value: number | null | undefined): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

/** Anthropic's usage totals for an OpenAI usage object. */
export function anthropicUsage(usage: OpenAIUsage): TokenTotals {
  const details = usage.prompt_tokens_details ?? {};
  // DeepSeek reports its cache hits in a field of its own.
  const cacheRead = count(details.cached_tokens ?? usage.prompt_cache_hit_tokens);
  const cacheWrite = count(details.cache_write_tokens);
  return {
    input_tokens: Math.max(0, count(usage.prompt_tokens) - cacheRead - cacheWrite),
    output_tokens: count(usage.completion_tokens),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

/** Whether an upstream object carries usage worth reporting. */
export function hasUsage(usage: OpenAIUsage | null | undefined): usage is OpenAIUsage {
  return typeof usage === "object" && usage !== null && typeof usage.prompt_tokens === "number";
}
