// OpenAI chunks → Anthropic stream events, one state machine per request. Reasoning
// deltas become a thinking block, content a text block, tool calls tool_use blocks whose
// arguments stream as input_json_delta. message_delta and message_stop wait for the usage
// chunk OpenAI sends after the finish chunk; a stream that stops without a finish reason
// or reports an error ends with an Anthropic error event, never a fake message_stop.
import type { StreamTranslator } from "../types.js";
import type { AnthropicResponseContext } from "./context.js";
import { messageId, toolUseId } from "./message-id.js";
import { reasoningText } from "./response.js";
import { stopReason } from "./stop-reason.js";
import { BlockWriter } from "./stream-blocks.js";
import { argumentsComplete, ToolCallAssembler, type ToolCallState } from "./stream-tool-calls.js";
import { anthropicTypeOfErrorObject, errorMessageOf } from "./upstream-error.js";
import { anthropicUsage, hasUsage } from "./usage.js";
import type { AnthropicStreamEvent, OpenAIChunk, OpenAIChunkDelta, OpenAIUsage } from "./wire.js";

type Out = AnthropicStreamEvent[];

/** What has been emitted for one tool call. */
interface ToolBlockState {
  started: boolean;
  /** Characters of the call's arguments already sent. */
  sent: number;
}

const ENDED_EARLY =
  "the upstream stream ended before the response was complete (no finish_reason); the answer is cut off, try again";

/** A rough token count for text, when the upstream reports no usage. */
function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

class OpenAIToAnthropicStream implements StreamTranslator<unknown, AnthropicStreamEvent> {
  private started = false;
  private finished = false;
  private msgId = "";
  private readonly blocks = new BlockWriter();
  private readonly calls = new ToolCallAssembler();
  private readonly toolBlocks = new Map<ToolCallState, ToolBlockState>();
  /** Leading whitespace of a text or thinking block not opened yet: a block of only whitespace is never sent. */
  private pending: { kind: "text" | "thinking"; text: string } | undefined;
  private finishReason: string | undefined;
  private sawRefusal = false;
  private usage: OpenAIUsage | undefined;
  private outputChars = 0;

  constructor(private readonly ctx: AnthropicResponseContext) {}

  push(input: unknown): Out {
    if (this.finished || typeof input !== "object" || input === null) return [];
    const chunk = input as OpenAIChunk;
    if (chunk.error !== undefined && chunk.error !== null) return this.fail(chunk);
    const out: Out = [];
    if (!this.started) this.start(out, chunk.id);
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    // Only the first choice is translated: Anthropic has no `n`.
    const choice = choices.find((c) => (c?.index ?? 0) === 0);
    if (choice?.delta) this.applyDelta(out, choice.delta);
    if (typeof choice?.finish_reason === "string" && choice.finish_reason !== "") {
      this.finishReason = choice.finish_reason;
      this.closeContent(out);
    }
    const chunkHasUsage = hasUsage(chunk.usage);
    if (chunkHasUsage) this.usage = chunk.usage as OpenAIUsage;
    // The usage chunk (`choices: []`) follows the finish chunk; wait for it unless the
    // finish chunk carried usage itself.
    if (this.finishReason !== undefined && chunkHasUsage) this.finish(out);
    return out;
  }

  end(): Out {
    if (this.finished) return [];
    if (this.finishReason === undefined) {
      this.finished = true;
      return [{ type: "error", error: { type: "api_error", message: ENDED_EARLY } }];
    }
    const out: Out = [];
    this.finish(out);
    return out;
  }

  private fail(chunk: OpenAIChunk): Out {
    this.finished = true;
    const message = errorMessageOf(chunk) ?? "the upstream reported an error in its stream";
    return [{ type: "error", error: { type: anthropicTypeOfErrorObject(chunk), message } }];
  }

  private start(out: Out, upstreamId: unknown): void {
    this.started = true;
    this.msgId = messageId(upstreamId);
    out.push({
      type: "message_start",
      message: {
        id: this.msgId,
        type: "message",
        role: "assistant",
        model: this.ctx.clientModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: this.ctx.inputTokensEstimate ?? 0,
          output_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      },
    });
  }

  private applyDelta(out: Out, delta: OpenAIChunkDelta): void {
    const reasoning = reasoningText(delta);
    if (reasoning !== "") this.appendText(out, "thinking", reasoning);
    if (typeof delta.content === "string" && delta.content !== "")
      this.appendText(out, "text", delta.content);
    if (typeof delta.refusal === "string" && delta.refusal !== "") {
      this.sawRefusal = true;
      this.appendText(out, "text", delta.refusal);
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) if (call) this.appendToolCall(out, call);
    }
    if (delta.function_call) this.appendToolCall(out, { index: 0, function: delta.function_call });
  }

  private appendText(out: Out, kind: "text" | "thinking", text: string): void {
    this.outputChars += text.length;
    if (this.blocks.current()?.kind !== kind) {
      const buffered = (this.pending?.kind === kind ? this.pending.text : "") + text;
      if (buffered.trim() === "") {
        this.pending = { kind, text: buffered };
        return;
      }
      this.pending = undefined;
      this.closeOpenBlock(out);
      this.blocks.start(
        out,
        kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "", signature: "" },
      );
      text = buffered;
    }
    this.blocks.delta(
      out,
      kind === "text" ? { type: "text_delta", text } : { type: "thinking_delta", thinking: text },
    );
  }

  private appendToolCall(out: Out, delta: Parameters<ToolCallAssembler["add"]>[0]): void {
    const { call, fragment } = this.calls.add(delta);
    this.outputChars += fragment.length;
    const state = this.toolBlocks.get(call) ?? { started: false, sent: 0 };
    this.toolBlocks.set(call, state);
    if (!state.started) {
      if (call.name === undefined || !this.mayStartTool()) return;
      this.startTool(out, call, state);
    }
    if (this.blocks.current()?.owner === call) this.sendArguments(out, call, state);
    // Otherwise the call's block is already closed, normally because its arguments were
    // complete JSON (a later fragment can only be whitespace); an upstream that interleaves
    // text into unfinished arguments would lose the rest, which no known upstream does.
  }

  /** A tool block may start unless another call's block is open with arguments still incomplete. */
  private mayStartTool(): boolean {
    const open = this.blocks.current();
    if (open?.kind !== "tool_use") return true;
    return argumentsComplete((open.owner as ToolCallState).args);
  }

  private startTool(out: Out, call: ToolCallState, state: ToolBlockState): void {
    this.closeOpenBlock(out);
    this.pending = undefined;
    state.started = true;
    this.blocks.start(
      out,
      {
        type: "tool_use",
        id: toolUseId(call.upstreamId, this.msgId, call.ordinal),
        name: this.ctx.toolNames.toClient(call.name ?? ""),
        input: {},
      },
      call,
    );
  }

  private sendArguments(out: Out, call: ToolCallState, state: ToolBlockState): void {
    // Nothing is sent while the arguments are only whitespace: "{}" may still replace them.
    if (call.args.length <= state.sent || call.args.trim() === "") return;
    this.blocks.delta(out, { type: "input_json_delta", partial_json: call.args.slice(state.sent) });
    state.sent = call.args.length;
  }

  /** Stops the open block; a tool call that sent no arguments gets "{}" first (edge 3). */
  private closeOpenBlock(out: Out): void {
    const open = this.blocks.current();
    if (open?.kind === "tool_use") {
      const state = this.toolBlocks.get(open.owner as ToolCallState);
      if (state && state.sent === 0) this.blocks.delta(out, { type: "input_json_delta", partial_json: "{}" });
    }
    this.blocks.stop(out);
  }

  /** Stops the open block and emits every tool call still waiting, in order. */
  private closeContent(out: Out): void {
    this.pending = undefined;
    for (const call of this.calls.all()) {
      const state = this.toolBlocks.get(call) ?? { started: false, sent: 0 };
      this.toolBlocks.set(call, state);
      if (state.started) continue;
      this.startTool(out, call, state);
      this.sendArguments(out, call, state);
    }
    this.closeOpenBlock(out);
  }

  private finish(out: Out): void {
    this.closeContent(out);
    this.finished = true;
    const totals = this.usage
      ? anthropicUsage(this.usage)
      : {
          input_tokens: this.ctx.inputTokensEstimate ?? 0,
          output_tokens: estimateTokens(this.outputChars),
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        };
    out.push({
      type: "message_delta",
      delta: {
        stop_reason: stopReason({
          finishReason: this.finishReason,
          sawToolCalls: this.calls.all().length > 0,
          sawRefusal: this.sawRefusal,
        }),
        stop_sequence: null,
      },
      usage: totals,
    });
    out.push({ type: "message_stop" });
  }
}

/** A stream translator for one request: push each parsed upstream chunk, then call end(). */
export function createStreamTranslator(
  ctx: AnthropicResponseContext,
): StreamTranslator<unknown, AnthropicStreamEvent> {
  return new OpenAIToAnthropicStream(ctx);
}
