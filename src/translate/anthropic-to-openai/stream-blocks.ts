// Writes Anthropic content blocks as stream events: increasing indexes, one block open
// at a time, each stopped before the next starts.
import type { AnthropicContentBlock, AnthropicStreamEvent } from "./wire.js";

/** The block kinds the stream translator opens. */
export type BlockKind = "text" | "thinking" | "tool_use";

/** Emits content-block events into an output array and remembers the open block. */
export class BlockWriter {
  private nextIndex = 0;
  private open: { kind: BlockKind; index: number; owner: unknown } | undefined;

  /** The kind and owner of the open block, if any. */
  current(): { kind: BlockKind; owner: unknown } | undefined {
    return this.open;
  }

  /** Stops the open block (if any) and starts a new one; `owner` identifies a tool call. */
  start(out: AnthropicStreamEvent[], block: AnthropicContentBlock, owner?: unknown): void {
    this.stop(out);
    const index = this.nextIndex++;
    this.open = { kind: block.type as BlockKind, index, owner };
    out.push({ type: "content_block_start", index, content_block: block });
  }

  /** Appends a delta to the open block. */
  delta(
    out: AnthropicStreamEvent[],
    delta: Extract<AnthropicStreamEvent, { type: "content_block_delta" }>["delta"],
  ) {
    if (this.open) out.push({ type: "content_block_delta", index: this.open.index, delta });
  }

  /** Stops the open block, if any. */
  stop(out: AnthropicStreamEvent[]): void {
    if (!this.open) return;
    out.push({ type: "content_block_stop", index: this.open.index });
    this.open = undefined;
  }
}
