// One choice of an OpenAI-compatible stream being rebuilt into a chat.completion choice:
// text fields joined, tool calls reassembled per index and told apart by id when an
// upstream repeats an index (edges 1 and 2), logprobs joined, the finish reason kept.
import { ToolCallAssembler } from "../anthropic-to-openai/stream-tool-calls.js";
import type { OpenAIToolCallDelta } from "../anthropic-to-openai/wire.js";
import { assignPresent, isRecord } from "./json-record.js";

/** Delta fields that stream as text fragments; reasoning comes as `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter). */
const TEXT_FIELDS = ["content", "refusal", "reasoning_content", "reasoning"] as const;

/** Choice fields the accumulator owns; any other (vLLM's `stop_reason`, OpenRouter's `native_finish_reason`) is kept as last sent. */
const OWNED_FIELDS = new Set(["index", "delta", "logprobs", "finish_reason"]);

/** Accumulates the deltas of one choice. */
export class ChoiceAccumulator {
  /** The last non-empty finish reason; a choice without one is unfinished. */
  finishReason: string | undefined;
  private role: string | undefined;
  private readonly text = new Map<(typeof TEXT_FIELDS)[number], string>();
  private annotations: unknown[] | undefined;
  private readonly calls = new ToolCallAssembler();
  private functionCall: { name: string; arguments: string } | undefined;
  private logprobs: Record<string, unknown> | undefined;
  private readonly extras: Record<string, unknown> = {};

  constructor(readonly index: number) {}

  /** Adds one streamed choice. */
  add(choice: Record<string, unknown>): void {
    assignPresent(this.extras, choice, OWNED_FIELDS);
    if (typeof choice.finish_reason === "string" && choice.finish_reason !== "") {
      this.finishReason = choice.finish_reason;
    }
    if (isRecord(choice.logprobs)) this.addLogprobs(choice.logprobs);
    if (isRecord(choice.delta)) this.addDelta(choice.delta);
  }

  /** The choice of the chat.completion body; calls that came without an id get one from `completionId`. */
  result(completionId: unknown): Record<string, unknown> {
    const message: Record<string, unknown> = {
      role: this.role ?? "assistant",
      // A reply of only tool calls has `content: null`, as the non-streaming API says it (edge 14).
      content: this.text.get("content") ?? null,
      refusal: this.text.get("refusal") ?? null,
    };
    for (const field of ["reasoning_content", "reasoning"] as const) {
      const text = this.text.get(field);
      if (text !== undefined) message[field] = text;
    }
    if (this.annotations) message.annotations = this.annotations;
    const calls = this.calls.all();
    if (calls.length > 0) {
      const prefix =
        typeof completionId === "string" && completionId !== "" ? `call_${completionId}_` : "call_";
      message.tool_calls = calls.map((call) => ({
        id: call.upstreamId ?? `${prefix}${call.ordinal}`,
        type: "function",
        function: { name: call.name ?? "", arguments: argumentsText(call.args) },
      }));
    }
    if (this.functionCall) {
      message.function_call = { ...this.functionCall, arguments: argumentsText(this.functionCall.arguments) };
    }
    return {
      index: this.index,
      message,
      logprobs: this.logprobs ?? null,
      finish_reason: this.finishReason ?? null,
      ...this.extras,
    };
  }

  private addDelta(delta: Record<string, unknown>): void {
    if (typeof delta.role === "string" && delta.role !== "") this.role ??= delta.role;
    for (const field of TEXT_FIELDS) {
      const fragment = delta[field];
      if (typeof fragment === "string" && fragment !== "") {
        this.text.set(field, (this.text.get(field) ?? "") + fragment);
      }
    }
    if (Array.isArray(delta.annotations))
      this.annotations = [...(this.annotations ?? []), ...delta.annotations];
    if (Array.isArray(delta.tool_calls)) {
      // The assembler checks each field's type itself; the cast only names the shape it reads.
      for (const call of delta.tool_calls) if (isRecord(call)) this.calls.add(call as OpenAIToolCallDelta);
    }
    if (isRecord(delta.function_call)) this.addFunctionCall(delta.function_call);
  }

  /** The legacy single `function_call`: the first name counts, arguments are joined. */
  private addFunctionCall(fragment: Record<string, unknown>): void {
    this.functionCall ??= { name: "", arguments: "" };
    if (this.functionCall.name === "" && typeof fragment.name === "string")
      this.functionCall.name = fragment.name;
    if (typeof fragment.arguments === "string") this.functionCall.arguments += fragment.arguments;
  }

  /** Token logprobs stream as arrays per chunk; the whole choice has them joined. */
  private addLogprobs(fragment: Record<string, unknown>): void {
    this.logprobs ??= {};
    for (const [key, value] of Object.entries(fragment)) {
      const current = this.logprobs[key];
      if (Array.isArray(value)) this.logprobs[key] = [...(Array.isArray(current) ? current : []), ...value];
      else if (value !== null && value !== undefined) this.logprobs[key] = value;
      else this.logprobs[key] ??= value;
    }
  }
}

/**
 * A call's arguments as streamed, byte for byte; none at all mean `{}` (edge 3), which is
 * what the non-streaming API sends for a call without parameters. Never parsed: a string
 * keeps integers above 2^53 as they are.
 */
function argumentsText(args: string): string {
  return args.trim() === "" ? "{}" : args;
}
