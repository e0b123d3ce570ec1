// OpenAI `reasoning_effort` → Anthropic extended thinking with a token budget, and the
// max_tokens that leaves room for it. Anthropic counts thinking inside max_tokens and
// needs 1024 <= budget_tokens < max_tokens; it refuses thinking on some requests at all.
import type { MessageParam, ThinkingConfigEnabled, ToolChoice } from "@anthropic-ai/sdk/resources/messages";

/** The smallest thinking budget Anthropic accepts. */
export const MIN_THINKING_BUDGET = 1024;

const BUDGETS: Record<string, number> = {
  minimal: MIN_THINKING_BUDGET,
  low: MIN_THINKING_BUDGET,
  medium: 4096,
  high: 16384,
  xhigh: 32768,
  max: 32768,
};

/** What the token plan is made from. */
export interface TokenPlanInput {
  /** The client's max_tokens, or the default. */
  requested: number;
  /** The mapping's output limit, if any. */
  maxOutputTokens?: number | undefined;
  /** The client's reasoning_effort (`none` and unknown values mean no thinking). */
  effort: unknown;
  /** False when the request cannot carry thinking (see request.ts). */
  thinkingAllowed: boolean;
}

/** The request's max_tokens and thinking config. */
export interface TokenPlan {
  maxTokens: number;
  thinking?: ThinkingConfigEnabled;
}

/** Plans max_tokens and the thinking budget for one request. */
export function planTokens(input: TokenPlanInput): TokenPlan {
  const cap = (n: number) => (input.maxOutputTokens === undefined ? n : Math.min(n, input.maxOutputTokens));
  const budget = typeof input.effort === "string" ? BUDGETS[input.effort] : undefined;
  if (budget === undefined || !input.thinkingAllowed) return { maxTokens: cap(input.requested) };
  // The client's limit was meant for the answer: when it does not exceed the budget, the
  // budget comes on top so the answer keeps its room.
  const wanted = input.requested > budget ? input.requested : budget + input.requested;
  const maxTokens = cap(wanted);
  // A mapping limit below that splits what is left evenly between thinking and answer.
  const fitted = maxTokens < wanted ? Math.min(budget, Math.floor(maxTokens / 2)) : budget;
  if (fitted < MIN_THINKING_BUDGET) return { maxTokens: cap(input.requested) };
  return { maxTokens, thinking: { type: "enabled", budget_tokens: fitted } };
}

/**
 * Whether Anthropic takes thinking on this request. It refuses thinking with a forced tool
 * choice, and with a tool-use turn that does not open with a signed thinking block, which an
 * OpenAI client (Chat or Responses) never holds.
 */
export function thinkingAllowed(toolChoice: ToolChoice | undefined, messages: MessageParam[]): boolean {
  const lastAssistant = messages.findLast((m) => m.role === "assistant");
  return (
    toolChoice?.type !== "any" &&
    toolChoice?.type !== "tool" &&
    !(Array.isArray(lastAssistant?.content) && lastAssistant.content.some((b) => b.type === "tool_use"))
  );
}
