// Anthropic stream events → the Responses event sequence, one state machine per response:
// response.created and in_progress first (the gate holds them until content), each item's
// events in block order, then response.completed — or `error` and response.failed on failure.

import { openaiErrorType } from "../../core/dialect-errors.js";
import type {
  ResponseFunctionToolCall,
  ResponseOutputMessage,
  ResponseReasoningItem,
} from "../../schemas/responses/wire.js";
import type { AnthropicUsage } from "../openai-to-anthropic/completion-fields.js";
import type { LooseAnthropicEvent } from "../openai-to-anthropic/stream.js";
import type { StreamTranslator } from "../types.js";
import type { ResponsesContext } from "./context.js";
import { ENDED_EARLY, type StreamFailure, streamFailure } from "./error.js";
import {
  customInputOfJson,
  customToolCallItem,
  functionCallItem,
  messageItem,
  outputText,
  reasoningItem,
} from "./output-items.js";
import {
  baseIdOf,
  customToolCallItemId,
  functionCallItemId,
  messageItemId,
  type ResponseState,
  reasoningItemId,
  responseBody,
  responseOutcome,
  responsesUsage,
} from "./response-fields.js";
import type {
  ResponsesCustomToolCall,
  ResponsesOutputItem,
  ResponsesOutputText,
  ResponsesStreamEvent,
} from "./wire.js";

type Out = ResponsesStreamEvent[];

/** An event before its sequence number is given. */
type Unnumbered = ResponsesStreamEvent extends infer E
  ? E extends ResponsesStreamEvent
    ? Omit<E, "sequence_number">
    : never
  : never;

/** The message item that consecutive text blocks write into. */
interface MessageRun {
  outputIndex: number;
  item: ResponseOutputMessage;
}

/** What an open content block writes into. */
type BlockState =
  | { kind: "text"; run: MessageRun; contentIndex: number; part: ResponsesOutputText }
  | { kind: "reasoning"; outputIndex: number; item: ResponseReasoningItem }
  | { kind: "tool"; outputIndex: number; item: ResponseFunctionToolCall }
  /** A custom tool's call: its input is a field of the JSON, readable only once the JSON is whole. */
  | { kind: "custom"; outputIndex: number; item: ResponsesCustomToolCall; json: string };

/** Creates the translator for one streamed response; its input is each parsed Anthropic event. */
export function createStreamTranslator(ctx: ResponsesContext): StreamTranslator<
  unknown,
  ResponsesStreamEvent
> & {
  fail(failure: { status: number; message: string }): ResponsesStreamEvent[];
} {
  const translator = new MessageStreamToResponses(ctx);
  return {
    push: (input) => translator.push(input),
    end: () => translator.end(),
    fail: (failure) => translator.failWith(failure),
  };
}

class MessageStreamToResponses implements StreamTranslator<unknown, ResponsesStreamEvent> {
  private sequence = 0;
  private baseId: string | undefined;
  private readonly createdAt = Math.floor(Date.now() / 1000);
  private started = false;
  /** message_stop, an error or end() has been handled: nothing more goes out. */
  private closed = false;
  private usage: AnthropicUsage = {};
  private stopReason: unknown;
  private readonly output: ResponsesOutputItem[] = [];
  private readonly blocks = new Map<number, BlockState>();
  private run: MessageRun | undefined;

  constructor(private readonly ctx: ResponsesContext) {}

  push(input: unknown): Out {
    if (this.closed || typeof input !== "object" || input === null) return [];
    const event = input as LooseAnthropicEvent;
    const out: Out = [];
    switch (event.type) {
      case "message_start":
        this.onMessageStart(out, event);
        break;
      case "content_block_start":
        this.onBlockStart(out, event);
        break;
      case "content_block_delta":
        this.onBlockDelta(out, event);
        break;
      case "content_block_stop":
        if (typeof event.index === "number") this.stopBlock(out, event.index);
        break;
      case "message_delta":
        this.onMessageDelta(event);
        break;
      case "message_stop":
        this.finish(out);
        break;
      case "error":
        this.fail(out, streamFailure(event));
        break;
      default:
        // ping, and event types newer than this translator.
        break;
    }
    return out;
  }

  end(): Out {
    if (this.closed) return [];
    const out: Out = [];
    this.fail(out, ENDED_EARLY);
    return out;
  }

  /** Ends the stream for a failure seen outside the upstream's events (a timeout, a reset). */
  failWith(failure: { status: number; message: string }): Out {
    if (this.closed) return [];
    const out: Out = [];
    const code = failure.status === 429 ? "rate_limit_exceeded" : "server_error";
    this.fail(out, { type: openaiErrorType(failure.status), code, message: failure.message });
    return out;
  }

  private emit(out: Out, event: Unnumbered): void {
    out.push({ ...event, sequence_number: this.sequence++ } as ResponsesStreamEvent);
  }

  private onMessageStart(out: Out, event: LooseAnthropicEvent): void {
    if (this.started) return;
    this.baseId = baseIdOf(event.message?.id);
    this.usage = { ...event.message?.usage };
    this.start(out);
  }

  /** response.created and response.in_progress, once, before anything else (even without message_start). */
  private start(out: Out): void {
    if (this.started) return;
    this.started = true;
    this.emit(out, { type: "response.created", response: this.snapshot({ status: "in_progress" }) });
    this.emit(out, { type: "response.in_progress", response: this.snapshot({ status: "in_progress" }) });
  }

  private onBlockStart(out: Out, event: LooseAnthropicEvent): void {
    const block = event.content_block ?? {};
    if (typeof event.index !== "number") return;
    // A repeated index means the previous block of that index is over.
    this.stopBlock(out, event.index);
    this.start(out);
    if (block.type === "text") this.startText(out, event.index, block.text);
    else if (block.type === "thinking") this.startReasoning(out, event.index, block.thinking);
    else if (block.type === "tool_use") this.startToolCall(out, event.index, block);
    // Redacted thinking and server-tool blocks hold nothing a Responses client can read or
    // run; they neither make an item nor end a run of text.
  }

  private startText(out: Out, index: number, text: unknown): void {
    const run = this.run ?? this.openRun(out);
    const state: BlockState = {
      kind: "text",
      run,
      contentIndex: run.item.content.length,
      part: outputText(""),
    };
    run.item.content.push(state.part);
    this.blocks.set(index, state);
    this.emit(out, {
      type: "response.content_part.added",
      item_id: run.item.id,
      output_index: run.outputIndex,
      content_index: state.contentIndex,
      part: outputText(""),
    });
    this.appendText(out, state, text);
  }

  private openRun(out: Out): MessageRun {
    const outputIndex = this.output.length;
    const item = messageItem(messageItemId(this.base(), outputIndex), [], "in_progress");
    this.output.push(item);
    this.run = { outputIndex, item };
    this.emit(out, {
      type: "response.output_item.added",
      output_index: outputIndex,
      item: structuredClone(item),
    });
    return this.run;
  }

  /** Ends the message item of the current text run, its open text blocks first. */
  private closeRun(out: Out): void {
    const run = this.run;
    if (!run) return;
    for (const [index, state] of this.blocks) if (state.kind === "text") this.stopBlock(out, index);
    this.run = undefined;
    run.item.status = "completed";
    this.emit(out, {
      type: "response.output_item.done",
      output_index: run.outputIndex,
      item: structuredClone(run.item),
    });
  }

  private startReasoning(out: Out, index: number, thinking: unknown): void {
    this.closeRun(out);
    const outputIndex = this.output.length;
    const item = reasoningItem(reasoningItemId(this.base(), outputIndex), "");
    this.output.push(item);
    const state: BlockState = { kind: "reasoning", outputIndex, item };
    this.blocks.set(index, state);
    this.emit(out, {
      type: "response.output_item.added",
      output_index: outputIndex,
      item: structuredClone(item),
    });
    this.appendThinking(out, state, thinking);
  }

  private startToolCall(
    out: Out,
    index: number,
    block: NonNullable<LooseAnthropicEvent["content_block"]>,
  ): void {
    this.closeRun(out);
    const state = this.callState(block);
    this.output.push(state.item);
    this.blocks.set(index, state);
    this.emit(out, {
      type: "response.output_item.added",
      output_index: state.outputIndex,
      item: structuredClone(state.item),
    });
    // Anthropic starts a tool_use block with `input: {}`; anything else is input that will
    // not come again as deltas.
    const input = block.input;
    if (typeof input === "object" && input !== null && Object.keys(input).length > 0) {
      if (state.kind === "custom") state.json = JSON.stringify(input);
      else this.appendArguments(out, state, JSON.stringify(input));
    }
  }

  /** The item a tool_use block opens: a custom_tool_call when it calls a custom tool. */
  private callState(
    block: NonNullable<LooseAnthropicEvent["content_block"]>,
  ): Extract<BlockState, { kind: "tool" | "custom" }> {
    const outputIndex = this.output.length;
    const callId = typeof block.id === "string" ? block.id : "";
    const name = typeof block.name === "string" ? block.name : "";
    const tool = this.ctx.toolNames?.toClient(name) ?? { name };
    if (tool.kind === "custom") {
      const item = customToolCallItem({ id: customToolCallItemId(callId), callId, tool, input: "" });
      return { kind: "custom", outputIndex, item, json: "" };
    }
    const item = functionCallItem({
      id: functionCallItemId(callId),
      callId,
      tool,
      arguments: "",
      status: "in_progress",
    });
    return { kind: "tool", outputIndex, item };
  }

  private onBlockDelta(out: Out, event: LooseAnthropicEvent): void {
    const state = typeof event.index === "number" ? this.blocks.get(event.index) : undefined;
    const delta = event.delta ?? {};
    if (state?.kind === "text" && delta.type === "text_delta") this.appendText(out, state, delta.text);
    else if (state?.kind === "reasoning" && delta.type === "thinking_delta")
      this.appendThinking(out, state, delta.thinking);
    else if (state?.kind === "tool" && delta.type === "input_json_delta")
      this.appendArguments(out, state, delta.partial_json);
    else if (
      state?.kind === "custom" &&
      delta.type === "input_json_delta" &&
      typeof delta.partial_json === "string"
    )
      state.json += delta.partial_json;
    // signature_delta (meaningless to a Responses client), citations_delta, newer types.
  }

  private appendText(out: Out, state: Extract<BlockState, { kind: "text" }>, text: unknown): void {
    if (typeof text !== "string" || text === "") return;
    state.part.text += text;
    this.emit(out, {
      type: "response.output_text.delta",
      item_id: state.run.item.id,
      output_index: state.run.outputIndex,
      content_index: state.contentIndex,
      delta: text,
      logprobs: [],
    });
  }

  private appendThinking(out: Out, state: Extract<BlockState, { kind: "reasoning" }>, text: unknown): void {
    if (typeof text !== "string" || text === "") return;
    const ids = { item_id: state.item.id, output_index: state.outputIndex, summary_index: 0 };
    // The summary part opens with the first text, so thinking that stays empty adds none.
    if (state.item.summary.length === 0) {
      state.item.summary.push({ type: "summary_text", text: "" });
      this.emit(out, {
        type: "response.reasoning_summary_part.added",
        ...ids,
        part: { type: "summary_text", text: "" },
      });
    }
    state.item.summary[0]!.text += text;
    this.emit(out, { type: "response.reasoning_summary_text.delta", ...ids, delta: text });
  }

  private appendArguments(out: Out, state: Extract<BlockState, { kind: "tool" }>, fragment: unknown): void {
    // Fragments pass through unparsed: only the whole is JSON.
    if (typeof fragment !== "string" || fragment === "") return;
    state.item.arguments += fragment;
    this.emit(out, {
      type: "response.function_call_arguments.delta",
      item_id: state.item.id ?? "",
      output_index: state.outputIndex,
      delta: fragment,
    });
  }

  private stopBlock(out: Out, index: number): void {
    const state = this.blocks.get(index);
    if (!state) return;
    this.blocks.delete(index);
    if (state.kind === "text") this.stopText(out, state);
    else if (state.kind === "reasoning") this.stopReasoning(out, state);
    else if (state.kind === "custom") this.stopCustomToolCall(out, state);
    else this.stopToolCall(out, state);
  }

  private stopText(out: Out, state: Extract<BlockState, { kind: "text" }>): void {
    const { part } = state;
    const ids = {
      item_id: state.run.item.id,
      output_index: state.run.outputIndex,
      content_index: state.contentIndex,
    };
    this.emit(out, { type: "response.output_text.done", ...ids, text: part.text, logprobs: [] });
    this.emit(out, { type: "response.content_part.done", ...ids, part: structuredClone(part) });
  }

  private stopReasoning(out: Out, state: Extract<BlockState, { kind: "reasoning" }>): void {
    const summary = state.item.summary[0];
    if (summary) {
      const ids = { item_id: state.item.id, output_index: state.outputIndex, summary_index: 0 };
      this.emit(out, { type: "response.reasoning_summary_text.done", ...ids, text: summary.text });
      this.emit(out, { type: "response.reasoning_summary_part.done", ...ids, part: { ...summary } });
    }
    this.emit(out, {
      type: "response.output_item.done",
      output_index: state.outputIndex,
      item: structuredClone(state.item),
    });
  }

  private stopToolCall(out: Out, state: Extract<BlockState, { kind: "tool" }>): void {
    const { item } = state;
    // A call without argument deltas takes no arguments: `{}`, so clients that parse them do not fail.
    if (item.arguments === "") item.arguments = "{}";
    item.status = "completed";
    this.emit(out, {
      type: "response.function_call_arguments.done",
      item_id: item.id ?? "",
      output_index: state.outputIndex,
      name: item.name,
      arguments: item.arguments,
    });
    this.emit(out, {
      type: "response.output_item.done",
      output_index: state.outputIndex,
      item: structuredClone(item),
    });
  }

  /** The input goes out once whole, as one delta then done, as OpenAI streams a custom tool's input. */
  private stopCustomToolCall(out: Out, state: Extract<BlockState, { kind: "custom" }>): void {
    const { item } = state;
    item.input = customInputOfJson(state.json);
    const ids = { item_id: item.id ?? "", output_index: state.outputIndex };
    if (item.input !== "")
      this.emit(out, { type: "response.custom_tool_call_input.delta", ...ids, delta: item.input });
    this.emit(out, { type: "response.custom_tool_call_input.done", ...ids, input: item.input });
    this.emit(out, {
      type: "response.output_item.done",
      output_index: state.outputIndex,
      item: structuredClone(item),
    });
  }

  private onMessageDelta(event: LooseAnthropicEvent): void {
    // message_delta usage is cumulative: its non-null fields replace what came before.
    for (const [key, value] of Object.entries(event.usage ?? {})) {
      if (value !== null && value !== undefined) Object.assign(this.usage, { [key]: value });
    }
    const stopReason = event.delta?.stop_reason;
    if (stopReason !== null && stopReason !== undefined) this.stopReason = stopReason;
  }

  private finish(out: Out): void {
    this.start(out);
    for (const index of [...this.blocks.keys()]) this.stopBlock(out, index);
    this.closeRun(out);
    this.closed = true;
    const outcome = responseOutcome(this.stopReason);
    const response = this.snapshot({
      status: outcome.status,
      incompleteDetails: outcome.incomplete_details,
      usage: responsesUsage(this.usage),
    });
    this.emit(out, {
      type: outcome.status === "completed" ? "response.completed" : "response.incomplete",
      response,
    });
  }

  /**
   * The openai SDK's stream reader throws only on an event with a nested `error` (the
   * `error` event); Codex reads response.failed and retries unless its code says not to.
   * Both go out, so either client fails the request instead of taking a partial answer.
   */
  private fail(out: Out, failure: StreamFailure): void {
    this.start(out);
    this.closed = true;
    const { type, code, message } = failure;
    this.emit(out, {
      type: "error",
      code,
      message,
      param: null,
      error: { type, code, message, param: null },
    });
    this.emit(out, {
      type: "response.failed",
      response: this.snapshot({
        status: "failed",
        error: { code, message },
        usage: responsesUsage(this.usage),
      }),
    });
  }

  private base(): string {
    this.baseId ??= baseIdOf(undefined);
    return this.baseId;
  }

  /** The response object now; the output is copied, since the events it goes into may be held. */
  private snapshot(
    state: Omit<ResponseState, "baseId" | "createdAt" | "output">,
  ): ReturnType<typeof responseBody> {
    return responseBody(this.ctx, {
      baseId: this.base(),
      createdAt: this.createdAt,
      output: state.status === "in_progress" ? [] : structuredClone(this.output),
      ...state,
    });
  }
}
