// The Responses fields derived from an Anthropic message — ids, status and usage — and
// the response object around them, shared by the response and stream translators so both
// say the same thing. Ids derive from the upstream's, so a response reads the same twice.
import { randomBytes } from "node:crypto";
import type { ResponseUsage } from "../../schemas/responses/wire.js";
import type { AnthropicUsage } from "../openai-to-anthropic/completion-fields.js";
import type { RequestEcho, ResponsesContext } from "./context.js";
import type { ResponsesBody, ResponsesError, ResponsesOutputItem } from "./wire.js";

/** The id part shared by a response and its items: the message id without `msg_`, or a random one. */
export function baseIdOf(messageId: unknown): string {
  if (typeof messageId === "string" && messageId !== "") return messageId.replace(/^msg_/, "");
  return randomBytes(12).toString("hex");
}

/** The response id (`msg_01X…` → `resp_01X…`). */
export function responseId(baseId: string): string {
  return `resp_${baseId}`;
}

/** The id of the message item at an output index. */
export function messageItemId(baseId: string, outputIndex: number): string {
  return `msg_${baseId}_${outputIndex}`;
}

/** The id of the reasoning item at an output index. */
export function reasoningItemId(baseId: string, outputIndex: number): string {
  return `rs_${baseId}_${outputIndex}`;
}

/** The id of a function_call item (`toolu_01X…` → `fc_01X…`); its call_id stays the tool_use id. */
export function functionCallItemId(toolUseId: string): string {
  return `fc_${toolUseId.replace(/^toolu_/, "")}`;
}

/** The id of a custom_tool_call item (`toolu_01X…` → `ctc_01X…`); its call_id stays the tool_use id. */
export function customToolCallItemId(toolUseId: string): string {
  return `ctc_${toolUseId.replace(/^toolu_/, "")}`;
}

/** How a response ended, from the Anthropic stop reason. */
export interface ResponseOutcome {
  status: "completed" | "incomplete";
  incomplete_details: ResponsesBody["incomplete_details"];
}

/** The Responses status for an Anthropic stop reason: cut-off and refused answers are incomplete. */
export function responseOutcome(stopReason: unknown): ResponseOutcome {
  if (stopReason === "max_tokens" || stopReason === "model_context_window_exceeded") {
    return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  }
  if (stopReason === "refusal")
    return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

/**
 * Responses usage for Anthropic usage. OpenAI's input_tokens includes cached tokens, while
 * Anthropic reports cache reads and writes apart from input_tokens: they are added back.
 */
export function responsesUsage(usage: AnthropicUsage | null | undefined): ResponseUsage {
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  const input = (usage?.input_tokens ?? 0) + cacheRead + cacheWrite;
  const output = usage?.output_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage?.output_tokens_details?.thinking_tokens ?? 0 },
    total_tokens: input + output,
  };
}

/** OpenAI's defaults, echoed when the translator was given no request settings. */
const DEFAULT_ECHO: RequestEcho = {
  instructions: null,
  metadata: {},
  parallel_tool_calls: true,
  temperature: null,
  tool_choice: "auto",
  tools: [],
  top_p: null,
};

/** What changes between the response objects of one response. */
export interface ResponseState {
  baseId: string;
  createdAt: number;
  status: NonNullable<ResponsesBody["status"]>;
  output: ResponsesOutputItem[];
  usage?: ResponseUsage;
  error?: ResponsesError;
  incompleteDetails?: ResponsesBody["incomplete_details"];
}

/** The response object in one state, with the request's settings echoed. */
export function responseBody(ctx: ResponsesContext, state: ResponseState): ResponsesBody {
  return {
    id: responseId(state.baseId),
    object: "response",
    created_at: state.createdAt,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incompleteDetails ?? null,
    ...DEFAULT_ECHO,
    ...ctx.echo,
    model: ctx.clientModel,
    output: state.output,
    previous_response_id: null,
    ...(state.usage ? { usage: state.usage } : {}),
    ...(state.status === "completed" ? { completed_at: Math.floor(Date.now() / 1000) } : {}),
  };
}
