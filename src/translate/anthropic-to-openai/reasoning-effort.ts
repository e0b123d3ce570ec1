// Anthropic's thinking settings → OpenAI's `reasoning_effort` (edge 11). A budget maps to
// a level by the budgets Claude Code uses ("think" 4k, "think hard" 10k, "ultrathink"
// 32k); adaptive thinking follows `output_config.effort`, or "medium", which is what
// OpenAI reasoning models do when asked nothing.
import type { OpenAIChatRequest } from "./wire.js";

type Effort = "low" | "medium" | "high";

interface LooseThinking {
  type?: unknown;
  budget_tokens?: unknown;
}

const LOW_BUDGET_MAX = 4096;
const MEDIUM_BUDGET_MAX = 16_384;

function fromBudget(budget: number): Effort {
  if (budget <= LOW_BUDGET_MAX) return "low";
  if (budget <= MEDIUM_BUDGET_MAX) return "medium";
  return "high";
}

function fromClaudeEffort(effort: unknown): Effort | undefined {
  if (effort === "low" || effort === "medium" || effort === "high") return effort;
  // OpenAI's levels above "high" are not offered by every model; "high" always is.
  if (effort === "xhigh" || effort === "max") return "high";
  return undefined;
}

/** The `reasoning_effort` for the client's `thinking` and `output_config`, or undefined for none. */
export function reasoningEffort(
  thinking: unknown,
  outputConfig: unknown,
): OpenAIChatRequest["reasoning_effort"] {
  const claudeEffort = fromClaudeEffort((outputConfig as { effort?: unknown } | null | undefined)?.effort);
  const config = (thinking ?? {}) as LooseThinking;
  if (config.type === "disabled") return undefined;
  if (typeof config.budget_tokens === "number" && Number.isFinite(config.budget_tokens)) {
    return fromBudget(config.budget_tokens);
  }
  if (config.type === undefined) return claudeEffort;
  return claudeEffort ?? "medium";
}
