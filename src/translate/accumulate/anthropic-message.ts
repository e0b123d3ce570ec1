// Anthropic Messages stream events → the Message body the non-streaming API returns, for
// demotion: blocks in index order as their start gave them, filled by their deltas, with
// message_delta's stop fields and cumulative usage merged over message_start's.
import type { UpstreamHttpError, UpstreamProtocolError } from "../../core/errors.js";
import type { AccumulatedBody, StreamAccumulator } from "./accumulator.js";
import { BlockAccumulator } from "./anthropic-block.js";
import { assignPresent, isRecord } from "./json-record.js";
import { stringifyWithRaw } from "./raw-json.js";
import { anthropicStreamError, incompleteStream, malformedStream } from "./stream-failure.js";

type Failure = UpstreamHttpError | UpstreamProtocolError;

/** Stop reasons after which a tool input may legitimately be cut off mid-JSON. */
const TRUNCATING_STOP_REASONS = new Set(["max_tokens", "model_context_window_exceeded"]);

/** Fields of message_delta's `delta` that the accumulator owns and never copies. */
const OWNED_FIELDS = new Set(["content", "usage"]);

/** Creates the accumulator for one streamed Anthropic response. */
export function createAnthropicMessageAccumulator(): StreamAccumulator {
  return new AnthropicMessageAccumulator();
}

class AnthropicMessageAccumulator implements StreamAccumulator {
  /** message_start's message: id, type, role, model and whatever else the upstream put there. */
  private message: Record<string, unknown> | undefined;
  private readonly blocks = new Map<number, BlockAccumulator>();
  /** message_delta's stop_reason, stop_sequence, stop_details, container…, merged. */
  private readonly stop: Record<string, unknown> = {};
  /** message_start's usage, updated by each message_delta's cumulative totals. */
  private readonly usage: Record<string, unknown> = {};
  private stopped = false;
  private failure: Failure | undefined;

  push(input: unknown): void {
    if (this.stopped || this.failure || !isRecord(input)) return;
    this.failure = this.apply(input);
  }

  finish(): AccumulatedBody {
    if (this.failure) return { ok: false, error: this.failure };
    if (!this.message) return { ok: false, error: incompleteStream("ended before message_start") };
    if (!this.stopped) return { ok: false, error: incompleteStream("ended before message_stop") };
    const stopReason = this.stop.stop_reason ?? this.message.stop_reason;
    const truncated = typeof stopReason === "string" && TRUNCATING_STOP_REASONS.has(stopReason);
    const content: Record<string, unknown>[] = [];
    for (const index of [...this.blocks.keys()].sort((a, b) => a - b)) {
      const result = this.blocks.get(index)!.result({ truncated });
      if (!result.ok) return { ok: false, error: malformedStream(result.problem) };
      content.push(result.block);
    }
    // Spreading keeps message_start's field order, so the body reads like the API's own.
    const body = { ...this.message, content, ...this.stop, usage: this.usage };
    return { ok: true, body: stringifyWithRaw(body) };
  }

  private apply(event: Record<string, unknown>): Failure | undefined {
    switch (event.type) {
      case "message_start":
        return this.onMessageStart(event);
      case "content_block_start":
        return this.onBlockStart(event);
      case "content_block_delta":
        return this.onBlockDelta(event);
      case "message_delta":
        if (isRecord(event.delta)) assignPresent(this.stop, event.delta, OWNED_FIELDS);
        // Cumulative totals: each present field replaces the one before, never adds to it.
        if (isRecord(event.usage)) assignPresent(this.usage, event.usage);
        return undefined;
      case "message_stop":
        this.stopped = true;
        return undefined;
      case "error":
        return anthropicStreamError(event);
      default:
        // ping, content_block_stop (a block needs no closing to be written), newer event types.
        return undefined;
    }
  }

  private onMessageStart(event: Record<string, unknown>): Failure | undefined {
    if (this.message) return malformedStream("a second message_start arrived");
    if (!isRecord(event.message)) return malformedStream("message_start carries no message");
    // Its `content` is always [] on the real API; blocks arrive as content_block_start events.
    this.message = event.message;
    if (isRecord(event.message.usage)) Object.assign(this.usage, event.message.usage);
    return undefined;
  }

  private onBlockStart(event: Record<string, unknown>): Failure | undefined {
    const { index, content_block: block } = event;
    if (!this.message) return malformedStream("content_block_start arrived before message_start");
    if (!isBlockIndex(index) || !isRecord(block))
      return malformedStream("content_block_start without index or block");
    if (this.blocks.has(index)) return malformedStream(`block ${index} started twice`);
    this.blocks.set(index, new BlockAccumulator(block));
    return undefined;
  }

  private onBlockDelta(event: Record<string, unknown>): Failure | undefined {
    const block = isBlockIndex(event.index) ? this.blocks.get(event.index) : undefined;
    if (!block)
      return malformedStream(`content_block_delta for block ${String(event.index)}, which never started`);
    if (isRecord(event.delta)) block.apply(event.delta);
    return undefined;
  }
}

function isBlockIndex(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}
