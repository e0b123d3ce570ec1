// OpenAI `finish_reason` → Anthropic `stop_reason` (edge 4). Only reasons Anthropic
// defines are ever emitted: an unknown or missing reason ends the turn normally.
import type { AnthropicStopReason } from "./wire.js";

/** What the upstream said about how its turn ended. */
export interface FinishInfo {
  finishReason: string | null | undefined;
  /** Whether the turn produced tool calls: some upstreams then still say "stop". */
  sawToolCalls: boolean;
  /** Whether the upstream refused (a `refusal` field instead of content). */
  sawRefusal?: boolean;
}

/** The Anthropic stop reason for how an OpenAI turn ended. */
export function stopReason({ finishReason, sawToolCalls, sawRefusal }: FinishInfo): AnthropicStopReason {
  switch (finishReason) {
    case "length":
      return "max_tokens";
    case "content_filter":
      return "refusal";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    default:
      if (sawToolCalls) return "tool_use";
      return sawRefusal ? "refusal" : "end_turn";
  }
}
