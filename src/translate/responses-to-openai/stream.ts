// Chat Completions chunks → the Responses event sequence, one state machine per request; it
// ends in `response.completed`/`response.incomplete` after the usage chunk, or in an `error`
// event and `response.failed` when the upstream fails, cuts off, or the caller reports a failure.

import { isRecord } from "../accumulate/json-record.js";
import { reasoningText } from "../anthropic-to-openai/response.js";
import { ToolCallAssembler, type ToolCallState } from "../anthropic-to-openai/stream-tool-calls.js";
import type { StreamTranslator } from "../types.js";
import type { ResponsesContext } from "./context.js";
import { type ResponseState, responseBody } from "./envelope.js";
import { failureNames, failureOfErrorChunk, type StreamFailure } from "./failure.js";
import { type CallIds, ResponseIds } from "./ids.js";
import {
  callItem,
  customInput,
  type ItemStatus,
  messageItem,
  outputTextPart,
  reasoningItem,
  refusalPart,
} from "./items.js";
import { outcomeOf } from "./status.js";
import type { ClientToolName } from "./tool-names.js";
import { hasUsage, responsesUsage } from "./usage.js";
import type {
  ChatUsage,
  OpenAIChunk,
  OpenAIChunkDelta,
  OpenAIToolCallDelta,
  ResponsesOutputItem,
  ResponsesOutputPart,
  ResponsesStreamEvent,
} from "./wire.js";

type Out = ResponsesStreamEvent[];
type TextKind = "output_text" | "refusal" | "reasoning";

/** A translator that can also end the stream for a failure seen outside the upstream's events. */
export interface ResponsesStreamTranslator extends StreamTranslator<unknown, ResponsesStreamEvent> {
  /** Ends the stream with `error` and `response.failed` (a timeout, a dropped connection…). */
  fail(failure: StreamFailure): ResponsesStreamEvent[];
}

interface OpenMessage {
  id: string;
  outputIndex: number;
  parts: ResponsesOutputPart[];
  part: { kind: "output_text" | "refusal"; text: string } | undefined;
}

interface OpenReasoning {
  id: string;
  outputIndex: number;
  text: string;
}

interface OpenCall {
  ids: CallIds;
  outputIndex: number;
  tool: ClientToolName;
  /** Characters of the arguments already sent as deltas. */
  sent: number;
}

const ENDED_EARLY =
  "the upstream stream ended before the response was complete (no finish_reason); the answer is cut off, try again";

/**
 * Items open on their first visible delta (never for whitespace alone) and close in order: a
 * reasoning or message item when another item starts, tool calls (streamed in parallel, keyed by
 * index or id, edges 1-2) when the finish reason arrives.
 */
class ChatToResponsesStream implements ResponsesStreamTranslator {
  private sequence = 0;
  private started = false;
  private finished = false;
  /** Set once content is closed by a finish reason; later deltas are ignored. */
  private closed = false;
  private ids = new ResponseIds(undefined);
  private createdAt = 0;
  private nextOutputIndex = 0;
  /** Finished items by output index. */
  private readonly done: ResponsesOutputItem[] = [];
  private message: OpenMessage | undefined;
  private reasoning: OpenReasoning | undefined;
  /** Whitespace that may begin a text not opened yet: an item of only whitespace is never sent. */
  private pending: { kind: TextKind; text: string } | undefined;
  private readonly calls = new ToolCallAssembler();
  private readonly callItems = new Map<ToolCallState, OpenCall>();
  private finishReason: string | undefined;
  private usage: ChatUsage | undefined;

  constructor(private readonly ctx: ResponsesContext) {}

  push(input: unknown): Out {
    if (this.finished || !isRecord(input)) return [];
    const chunk = input as OpenAIChunk & { created?: unknown };
    const out: Out = [];
    if (!this.started) this.start(out, chunk);
    if (chunk.error !== undefined && chunk.error !== null) {
      this.failInto(out, failureOfErrorChunk(chunk));
      return out;
    }
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    // Only the first choice is translated: Responses has no `n`.
    const choice = choices.find((c) => (c?.index ?? 0) === 0);
    if (choice?.delta && !this.closed) this.applyDelta(out, choice.delta);
    if (typeof choice?.finish_reason === "string" && choice.finish_reason !== "") {
      this.finishReason ??= choice.finish_reason;
      this.closeContent(out);
    }
    if (hasUsage(chunk.usage)) this.usage = chunk.usage as ChatUsage;
    // The usage chunk (`choices: []`) follows the finish chunk; wait for it unless the
    // finish chunk carried usage itself.
    if (this.finishReason !== undefined && hasUsage(chunk.usage)) this.finish(out);
    return out;
  }

  end(): Out {
    if (this.finished) return [];
    const out: Out = [];
    if (!this.started) this.start(out, {});
    if (this.finishReason === undefined) this.failInto(out, { status: 502, message: ENDED_EARLY });
    else this.finish(out);
    return out;
  }

  fail(failure: StreamFailure): Out {
    if (this.finished) return [];
    const out: Out = [];
    if (!this.started) this.start(out, {});
    this.failInto(out, failure);
    return out;
  }

  private next(): number {
    return this.sequence++;
  }

  private body(state: Omit<ResponseState, "id" | "createdAt" | "output">) {
    return responseBody(this.ctx.envelope, {
      id: this.ids.response,
      createdAt: this.createdAt,
      output: this.done.filter((item) => item !== undefined),
      ...state,
    });
  }

  private start(out: Out, chunk: { id?: unknown; created?: unknown }): void {
    this.started = true;
    this.ids = new ResponseIds(chunk.id);
    this.createdAt = typeof chunk.created === "number" ? chunk.created : this.ctx.createdAt;
    out.push({
      type: "response.created",
      sequence_number: this.next(),
      response: this.body({ status: "in_progress" }),
    });
    out.push({
      type: "response.in_progress",
      sequence_number: this.next(),
      response: this.body({ status: "in_progress" }),
    });
  }

  private applyDelta(out: Out, delta: OpenAIChunkDelta): void {
    const reasoning = reasoningText(delta);
    if (reasoning !== "") this.appendText(out, "reasoning", reasoning);
    if (typeof delta.content === "string" && delta.content !== "")
      this.appendText(out, "output_text", delta.content);
    if (typeof delta.refusal === "string" && delta.refusal !== "")
      this.appendText(out, "refusal", delta.refusal);
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) if (call) this.appendCall(out, call);
    }
    if (delta.function_call) this.appendCall(out, { index: 0, function: delta.function_call });
  }

  private openKind(): TextKind | undefined {
    if (this.reasoning) return "reasoning";
    return this.message?.part?.kind;
  }

  private appendText(out: Out, kind: TextKind, text: string): void {
    if (this.openKind() !== kind) {
      const buffered = (this.pending?.kind === kind ? this.pending.text : "") + text;
      if (buffered.trim() === "") {
        this.pending = { kind, text: buffered };
        return;
      }
      this.pending = undefined;
      if (kind === "reasoning") this.openReasoning(out);
      else this.openPart(out, kind);
      text = buffered;
    }
    this.textDelta(out, kind, text);
  }

  private textDelta(out: Out, kind: TextKind, delta: string): void {
    const reasoning = this.reasoning;
    if (kind === "reasoning" && reasoning) {
      reasoning.text += delta;
      out.push({
        type: "response.reasoning_summary_text.delta",
        sequence_number: this.next(),
        item_id: reasoning.id,
        output_index: reasoning.outputIndex,
        summary_index: 0,
        delta,
      });
      return;
    }
    const message = this.message;
    if (!message?.part) return;
    message.part.text += delta;
    const where = {
      sequence_number: this.next(),
      item_id: message.id,
      output_index: message.outputIndex,
      content_index: message.parts.length,
      delta,
    };
    if (kind === "refusal") out.push({ type: "response.refusal.delta", ...where });
    else out.push({ type: "response.output_text.delta", ...where, logprobs: [] });
  }

  private openReasoning(out: Out): void {
    this.closeMessage(out, "completed");
    const reasoning: OpenReasoning = {
      id: this.ids.item("rs"),
      outputIndex: this.nextOutputIndex++,
      text: "",
    };
    this.reasoning = reasoning;
    out.push({
      type: "response.output_item.added",
      sequence_number: this.next(),
      output_index: reasoning.outputIndex,
      item: reasoningItem(reasoning.id, ""),
    });
    out.push({
      type: "response.reasoning_summary_part.added",
      sequence_number: this.next(),
      item_id: reasoning.id,
      output_index: reasoning.outputIndex,
      summary_index: 0,
      part: { type: "summary_text", text: "" },
    });
  }

  private openPart(out: Out, kind: "output_text" | "refusal"): void {
    this.closeReasoning(out, "completed");
    if (!this.message) {
      const message: OpenMessage = {
        id: this.ids.item("msg"),
        outputIndex: this.nextOutputIndex++,
        parts: [],
        part: undefined,
      };
      this.message = message;
      out.push({
        type: "response.output_item.added",
        sequence_number: this.next(),
        output_index: message.outputIndex,
        item: messageItem(message.id, [], "in_progress"),
      });
    }
    const message = this.message;
    this.closePart(out);
    message.part = { kind, text: "" };
    out.push({
      type: "response.content_part.added",
      sequence_number: this.next(),
      item_id: message.id,
      output_index: message.outputIndex,
      content_index: message.parts.length,
      part: kind === "refusal" ? refusalPart("") : outputTextPart(""),
    });
  }

  private closePart(out: Out): void {
    const message = this.message;
    const part = message?.part;
    if (!message || !part) return;
    const where = {
      item_id: message.id,
      output_index: message.outputIndex,
      content_index: message.parts.length,
    };
    const final = part.kind === "refusal" ? refusalPart(part.text) : outputTextPart(part.text);
    if (part.kind === "refusal") {
      out.push({ type: "response.refusal.done", sequence_number: this.next(), ...where, refusal: part.text });
    } else {
      out.push({
        type: "response.output_text.done",
        sequence_number: this.next(),
        ...where,
        text: part.text,
        logprobs: [],
      });
    }
    out.push({ type: "response.content_part.done", sequence_number: this.next(), ...where, part: final });
    message.parts.push(final);
    message.part = undefined;
  }

  private closeMessage(out: Out, status: ItemStatus): void {
    const message = this.message;
    if (!message) return;
    this.closePart(out);
    this.message = undefined;
    this.itemDone(out, message.outputIndex, messageItem(message.id, [...message.parts], status));
  }

  private closeReasoning(out: Out, status: ItemStatus): void {
    const reasoning = this.reasoning;
    if (!reasoning) return;
    this.reasoning = undefined;
    const where = { item_id: reasoning.id, output_index: reasoning.outputIndex, summary_index: 0 };
    out.push({
      type: "response.reasoning_summary_text.done",
      sequence_number: this.next(),
      ...where,
      text: reasoning.text,
    });
    out.push({
      type: "response.reasoning_summary_part.done",
      sequence_number: this.next(),
      ...where,
      part: { type: "summary_text", text: reasoning.text },
    });
    const item = reasoningItem(reasoning.id, reasoning.text);
    // The Responses API marks only cut items; a finished reasoning item carries no status.
    if (status === "incomplete") item.status = "incomplete";
    this.itemDone(out, reasoning.outputIndex, item);
  }

  private itemDone(out: Out, outputIndex: number, item: ResponsesOutputItem): void {
    this.done[outputIndex] = item;
    out.push({
      type: "response.output_item.done",
      sequence_number: this.next(),
      output_index: outputIndex,
      item,
    });
  }

  private appendCall(out: Out, delta: OpenAIToolCallDelta): void {
    const { call } = this.calls.add(delta);
    let item = this.callItems.get(call);
    if (!item) {
      // A call is shown once its name is known: the item must carry it from the start.
      if (call.name === undefined) return;
      item = this.openCall(out, call);
    }
    this.sendArguments(out, item, call);
  }

  private openCall(out: Out, call: ToolCallState): OpenCall {
    this.closeMessage(out, "completed");
    this.closeReasoning(out, "completed");
    this.pending = undefined;
    const tool = this.ctx.toolNames.toClient(call.name ?? "");
    const item: OpenCall = {
      ids: this.ids.call(call.upstreamId, call.ordinal, tool.kind ?? "function"),
      outputIndex: this.nextOutputIndex++,
      tool,
      sent: 0,
    };
    this.callItems.set(call, item);
    out.push({
      type: "response.output_item.added",
      sequence_number: this.next(),
      output_index: item.outputIndex,
      item: callItem(item.ids, tool, "", "in_progress"),
    });
    return item;
  }

  private sendArguments(out: Out, item: OpenCall, call: ToolCallState): void {
    // A custom tool's input is the `input` field of the JSON: it can only be read once whole.
    if (item.tool.kind === "custom") return;
    // Nothing is sent while the arguments are only whitespace: "{}" may still replace them.
    if (call.args.length <= item.sent || call.args.trim() === "") return;
    out.push({
      type: "response.function_call_arguments.delta",
      sequence_number: this.next(),
      item_id: item.ids.id,
      output_index: item.outputIndex,
      delta: call.args.slice(item.sent),
    });
    item.sent = call.args.length;
  }

  private closeCall(out: Out, item: OpenCall, call: ToolCallState, status: ItemStatus): void {
    const where = { item_id: item.ids.id, output_index: item.outputIndex };
    if (item.tool.kind === "custom") {
      const input = customInput(call.args);
      if (input !== "") {
        out.push({
          type: "response.custom_tool_call_input.delta",
          sequence_number: this.next(),
          ...where,
          delta: input,
        });
      }
      out.push({
        type: "response.custom_tool_call_input.done",
        sequence_number: this.next(),
        ...where,
        input,
      });
      this.itemDone(out, item.outputIndex, callItem(item.ids, item.tool, input, status));
      return;
    }
    // Empty or missing arguments mean no arguments: "{}" (edge 3).
    const args = call.args.trim() === "" ? "{}" : call.args;
    if (item.sent === 0) {
      out.push({
        type: "response.function_call_arguments.delta",
        sequence_number: this.next(),
        ...where,
        delta: args,
      });
    }
    out.push({
      type: "response.function_call_arguments.done",
      sequence_number: this.next(),
      ...where,
      name: item.tool.name,
      arguments: args,
    });
    this.itemDone(out, item.outputIndex, callItem(item.ids, item.tool, args, status));
  }

  /** Closes every open item in output order once the upstream's turn is over. */
  private closeContent(out: Out): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = undefined;
    // Calls whose name never came are shown now rather than lost.
    for (const call of this.calls.all()) if (!this.callItems.has(call)) this.openCall(out, call);
    const last = this.nextOutputIndex - 1;
    const cut = outcomeOf(this.finishReason).status === "incomplete";
    const statusOf = (outputIndex: number): ItemStatus =>
      cut && outputIndex === last ? "incomplete" : "completed";
    const open: Array<{ outputIndex: number; close: () => void }> = [];
    const reasoning = this.reasoning;
    if (reasoning)
      open.push({
        outputIndex: reasoning.outputIndex,
        close: () => this.closeReasoning(out, statusOf(reasoning.outputIndex)),
      });
    const message = this.message;
    if (message)
      open.push({
        outputIndex: message.outputIndex,
        close: () => this.closeMessage(out, statusOf(message.outputIndex)),
      });
    for (const [call, item] of this.callItems) {
      open.push({
        outputIndex: item.outputIndex,
        close: () => this.closeCall(out, item, call, statusOf(item.outputIndex)),
      });
    }
    for (const entry of open.sort((a, b) => a.outputIndex - b.outputIndex)) entry.close();
  }

  private finish(out: Out): void {
    this.closeContent(out);
    this.finished = true;
    const outcome = outcomeOf(this.finishReason);
    const response = this.body({
      status: outcome.status,
      incompleteDetails: outcome.incomplete_details ?? undefined,
      usage: this.usage ? responsesUsage(this.usage) : undefined,
    });
    out.push({
      type: outcome.status === "completed" ? "response.completed" : "response.incomplete",
      sequence_number: this.next(),
      response,
    });
  }

  private failInto(out: Out, failure: StreamFailure): void {
    this.finished = true;
    const { code, type } = failureNames(failure);
    const message = failure.message;
    out.push({
      type: "error",
      sequence_number: this.next(),
      code,
      message,
      param: null,
      error: { type, code, message, param: null },
    });
    out.push({
      type: "response.failed",
      sequence_number: this.next(),
      response: this.body({ status: "failed", error: { code, message } }),
    });
  }
}

/** A stream translator for one request: push each parsed upstream chunk, then call end(). */
export function createStreamTranslator(ctx: ResponsesContext): ResponsesStreamTranslator {
  return new ChatToResponsesStream(ctx);
}
