// Chat Completions chunks → the Responses event sequence, one state machine per request; it
// ends in `response.completed`/`response.incomplete` after the usage chunk, or in an `error`
// event and `response.failed` when the upstream fails, cuts off, or the caller reports a failure.
import { isRecord } from "../accumulate/json-record.js";
import { reasoningText } from "../anthropic-to-openai/response.js";
import type { StreamTranslator } from "../types.js";
import type { ResponsesContext } from "./context.js";
import { type ResponseState, responseBody } from "./envelope.js";
import { failureNames, failureOfErrorChunk, type StreamFailure } from "./failure.js";
import { ResponseIds } from "./ids.js";
import type { ItemStatus } from "./items.js";
import { outcomeOf } from "./status.js";
import { CallItems } from "./stream-calls.js";
import { type Out, StreamOutput } from "./stream-output.js";
import { TextItems } from "./stream-text.js";
import { hasUsage, responsesUsage } from "./usage.js";
import type { ChatUsage, OpenAIChunk, OpenAIChunkDelta, ResponsesStreamEvent } from "./wire.js";

/** A translator that can also end the stream for a failure seen outside the upstream's events. */
export interface ResponsesStreamTranslator extends StreamTranslator<unknown, ResponsesStreamEvent> {
  /** Ends the stream with `error` and `response.failed` (a timeout, a dropped connection…). */
  fail(failure: StreamFailure): ResponsesStreamEvent[];
}

const ENDED_EARLY =
  "the upstream stream ended before the response was complete (no finish_reason); the answer is cut off, try again";

/** The writers of one stream, made when its first chunk names the upstream's id. */
interface Writers {
  output: StreamOutput;
  text: TextItems;
  calls: CallItems;
  createdAt: number;
}

class ChatToResponsesStream implements ResponsesStreamTranslator {
  private writers: Writers | undefined;
  private finished = false;
  /** Set once a finish reason closed the content; later deltas are ignored. */
  private closed = false;
  private finishReason: string | undefined;
  private usage: ChatUsage | undefined;

  constructor(private readonly ctx: ResponsesContext) {}

  push(input: unknown): Out {
    if (this.finished || !isRecord(input)) return [];
    const chunk = input as OpenAIChunk & { created?: unknown };
    const out: Out = [];
    const writers = this.writers ?? this.start(out, chunk);
    if (chunk.error !== undefined && chunk.error !== null) {
      this.failInto(out, writers, failureOfErrorChunk(chunk));
      return out;
    }
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    // Only the first choice is translated: Responses has no `n`.
    const choice = choices.find((c) => (c?.index ?? 0) === 0);
    if (choice?.delta && !this.closed) this.applyDelta(out, writers, choice.delta);
    if (typeof choice?.finish_reason === "string" && choice.finish_reason !== "") {
      this.finishReason ??= choice.finish_reason;
      this.closeContent(out, writers);
    }
    if (hasUsage(chunk.usage)) this.usage = chunk.usage as ChatUsage;
    // The usage chunk (`choices: []`) follows the finish chunk; wait for it unless the
    // finish chunk carried usage itself.
    if (this.finishReason !== undefined && hasUsage(chunk.usage)) this.finish(out, writers);
    return out;
  }

  end(): Out {
    if (this.finished) return [];
    const out: Out = [];
    const writers = this.writers ?? this.start(out, {});
    if (this.finishReason === undefined) this.failInto(out, writers, { status: 502, message: ENDED_EARLY });
    else this.finish(out, writers);
    return out;
  }

  fail(failure: StreamFailure): Out {
    if (this.finished) return [];
    const out: Out = [];
    this.failInto(out, this.writers ?? this.start(out, {}), failure);
    return out;
  }

  /** `response.created` and `response.in_progress`, as separate events: the preamble. */
  private start(out: Out, chunk: { id?: unknown; created?: unknown }): Writers {
    const output = new StreamOutput(new ResponseIds(chunk.id));
    const writers: Writers = {
      output,
      text: new TextItems(output),
      calls: new CallItems(output, this.ctx.toolNames),
      createdAt: typeof chunk.created === "number" ? chunk.created : this.ctx.createdAt,
    };
    this.writers = writers;
    const response = this.body(writers, { status: "in_progress" });
    out.push({ type: "response.created", sequence_number: output.next(), response });
    out.push({ type: "response.in_progress", sequence_number: output.next(), response });
    return writers;
  }

  private body(writers: Writers, state: Omit<ResponseState, "id" | "createdAt" | "output">) {
    return responseBody(this.ctx.envelope, {
      id: writers.output.ids.response,
      createdAt: writers.createdAt,
      output: writers.output.items(),
      ...state,
    });
  }

  private applyDelta(out: Out, { text, calls }: Writers, delta: OpenAIChunkDelta): void {
    const reasoning = reasoningText(delta);
    if (reasoning !== "") text.append(out, "reasoning", reasoning);
    if (typeof delta.content === "string" && delta.content !== "")
      text.append(out, "output_text", delta.content);
    if (typeof delta.refusal === "string" && delta.refusal !== "") text.append(out, "refusal", delta.refusal);
    const finishText = () => text.closeAll(out);
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) if (call) calls.add(out, call, finishText);
    }
    if (delta.function_call) calls.add(out, { index: 0, function: delta.function_call }, finishText);
  }

  /** Closes every open item in output order; a cut turn marks its newest item incomplete. */
  private closeContent(out: Out, { output, text, calls }: Writers): void {
    if (this.closed) return;
    this.closed = true;
    // Calls first: opening one whose name never came finishes the text before it.
    const callItems = calls.openItems(out, () => text.closeAll(out));
    const open = [...text.openItems(), ...callItems];
    const cut = outcomeOf(this.finishReason).status === "incomplete";
    const last = output.lastOutputIndex();
    const statusOf = (index: number): ItemStatus => (cut && index === last ? "incomplete" : "completed");
    for (const item of open.sort((a, b) => a.outputIndex - b.outputIndex))
      item.close(out, statusOf(item.outputIndex));
  }

  private finish(out: Out, writers: Writers): void {
    this.closeContent(out, writers);
    this.finished = true;
    const outcome = outcomeOf(this.finishReason);
    const response = this.body(writers, {
      status: outcome.status,
      incompleteDetails: outcome.incomplete_details ?? undefined,
      usage: this.usage ? responsesUsage(this.usage) : undefined,
    });
    const type = outcome.status === "completed" ? "response.completed" : "response.incomplete";
    out.push({ type, sequence_number: writers.output.next(), response });
  }

  /**
   * `error` then `response.failed`, as the Responses API ends a failed stream. The `error`
   * event carries the nested error object the API sends: it is what makes the openai SDK's
   * stream reader raise (Codex reads `response.failed`). Items still open stay unfinished.
   */
  private failInto(out: Out, writers: Writers, failure: StreamFailure): void {
    this.finished = true;
    const { code, type } = failureNames(failure);
    const { message } = failure;
    out.push({
      type: "error",
      sequence_number: writers.output.next(),
      code,
      message,
      param: null,
      error: { type, code, message, param: null },
    });
    const response = this.body(writers, { status: "failed", error: { code, message } });
    out.push({ type: "response.failed", sequence_number: writers.output.next(), response });
  }
}

/** A stream translator for one request: push each parsed upstream chunk, then call end(). */
export function createStreamTranslator(ctx: ResponsesContext): ResponsesStreamTranslator {
  return new ChatToResponsesStream(ctx);
}
