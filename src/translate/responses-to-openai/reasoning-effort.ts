// `reasoning.effort` → Chat Completions `reasoning_effort`: every level for OpenAI's own
// reasoning models, the nearest of low/medium/high for the others (gpt-oss, DeepSeek, Grok).
import type { OpenAIChatRequest } from "./wire.js";

type Effort = NonNullable<OpenAIChatRequest["reasoning_effort"]>;

const OPENAI_LEVELS = new Set(["none", "minimal", "low", "medium", "high", "xhigh"]);
const NEAREST_COMMON: Record<string, Effort> = {
  minimal: "low",
  low: "low",
  medium: "medium",
  high: "high",
  xhigh: "high",
  max: "high",
};

/** The `reasoning_effort` to send for the client's effort, or undefined for none. */
export function reasoningEffortFor(effort: unknown, openaiReasoningModel: boolean): Effort | undefined {
  if (typeof effort !== "string") return undefined;
  if (openaiReasoningModel) return OPENAI_LEVELS.has(effort) ? (effort as Effort) : NEAREST_COMMON[effort];
  return NEAREST_COMMON[effort];
}
