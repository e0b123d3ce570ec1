// Anthropic's turn rules applied to blocks in conversation order: neighbouring blocks of
// one role share a turn (Anthropic requires strict alternation), a user turn's tool_result
// blocks come first, and a final assistant prefill carries no trailing whitespace.
import type { ContentBlockParam, MessageParam } from "@anthropic-ai/sdk/resources/messages";

interface Turn {
  role: "user" | "assistant";
  content: ContentBlockParam[];
}

/** The turns of one conversation, built in order. */
export class TurnList {
  private readonly turns: Turn[] = [];

  /** Adds blocks to the conversation; no blocks add no turn. */
  append(role: Turn["role"], blocks: ContentBlockParam[]): void {
    if (blocks.length === 0) return;
    const last = this.turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else this.turns.push({ role, content: [...blocks] });
  }

  /** Whether any turn was added. */
  get isEmpty(): boolean {
    return this.turns.length === 0;
  }

  /** The turns as Anthropic messages. */
  toMessages(): MessageParam[] {
    const messages = this.turns.map(toMessage);
    trimFinalAssistant(messages);
    return messages;
  }
}

function toMessage(turn: Turn): MessageParam {
  if (turn.role === "assistant") return { role: "assistant", content: [...turn.content] };
  // Anthropic wants a user turn's tool_result blocks before anything else in it.
  const results = turn.content.filter((b) => b.type === "tool_result");
  const rest = turn.content.filter((b) => b.type !== "tool_result");
  return { role: "user", content: [...results, ...rest] };
}

/** Anthropic rejects a final (prefill) assistant turn that ends in whitespace. */
function trimFinalAssistant(messages: MessageParam[]): void {
  const last = messages.at(-1);
  if (last?.role !== "assistant" || !Array.isArray(last.content)) return;
  const block = last.content.at(-1);
  // Whitespace-only text blocks are never added, so the trimmed text is never empty.
  if (block?.type === "text")
    last.content[last.content.length - 1] = { ...block, text: block.text.trimEnd() };
}
