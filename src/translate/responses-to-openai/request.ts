// A Responses request → a Chat Completions request, copied field by field into a new object:
// Responses-only fields never reach the upstream, the client's body is never modified, and
// requests that need OpenAI's server-side state are refused with what to send instead.
import { InvalidRequestError } from "../../core/errors.js";
import { isRecord } from "../accumulate/json-record.js";
import { cleanSchema } from "../anthropic-to-openai/json-schema.js";
import {
  acceptsReasoningContent,
  isOpenAIReasoningModel,
  knownOutputLimit,
  takesReasoningEffort,
  wantsMaxCompletionTokens,
} from "../anthropic-to-openai/model-family.js";
import type { ResponsesContext } from "./context.js";
import { translateConversation } from "./conversation.js";
import { envelopeOf } from "./envelope.js";
import { reasoningEffortFor } from "./reasoning-effort.js";
import { ResponsesToolNames } from "./tool-names.js";
import { translateTools } from "./tools.js";
import type { OpenAIChatRequest, ResponsesRequest } from "./wire.js";

/** How to shape the upstream request for one target. */
export interface ResponsesToOpenAIRequestOptions {
  upstreamModel: string;
  /** The model name the client asked for, echoed in responses; defaults to the request's `model`. */
  clientModel?: string;
  /** The mapping's output-token limit: sent when the client sets none, and the cap when it does. */
  maxOutputTokens?: number;
  /** Send `reasoning_effort`; undefined = decide from the model name. */
  reasoningEffort?: boolean;
  /** Which token-limit field; undefined = `max_completion_tokens` for o-series/gpt-5 models, `max_tokens` otherwise. */
  tokenLimitField?: "max_tokens" | "max_completion_tokens";
  /**
   * Send the fields only OpenAI itself knows (`prompt_cache_key`, `safety_identifier`,
   * `service_tier`, `verbosity`); undefined = for OpenAI's own model names. Strict compatible
   * servers refuse them.
   */
  openaiOnlyFields?: boolean;
  /** Unix seconds for `created_at` when the upstream's answer has no `created`; defaults to now. */
  createdAt?: number;
}

/** The upstream request, the context its answer needs, and what was left out (to log once). */
export interface TranslatedRequest {
  body: OpenAIChatRequest;
  ctx: ResponsesContext;
  /** Types of built-in tools the upstream cannot run, left out of `tools`. */
  droppedTools: string[];
  /** Types of input items that only OpenAI's servers understand, left out of the conversation. */
  droppedItems: string[];
}

const STATELESS_HINT =
  "this provider keeps no responses: send the whole conversation in input, with store: false";

/** Fields that name state kept on OpenAI's servers, which no other provider has. */
function refuseServerState(request: ResponsesRequest): void {
  const stateful: Array<[keyof ResponsesRequest, string]> = [
    ["previous_response_id", "previous_response_id continues a response stored by OpenAI"],
    ["conversation", "conversation continues a conversation stored by OpenAI"],
    ["prompt", "prompt names a prompt template stored by OpenAI"],
  ];
  for (const [field, what] of stateful) {
    const value = request[field];
    if (value !== undefined && value !== null && value !== "") {
      throw new InvalidRequestError({ message: `${what}; ${STATELESS_HINT}`, param: field });
    }
  }
  if (request.background === true) {
    throw new InvalidRequestError({
      message: `background responses are polled from OpenAI's servers later; ${STATELESS_HINT} and stream instead`,
      param: "background",
    });
  }
}

function outputLimit(requested: unknown, cap: number | undefined, mappingLimit: number | undefined) {
  if (requested === undefined || requested === null) return mappingLimit;
  if (typeof requested !== "number" || !Number.isInteger(requested) || requested < 1) {
    throw new InvalidRequestError({
      message: "max_output_tokens must be a positive integer",
      param: "max_output_tokens",
    });
  }
  return cap !== undefined && cap > 0 ? Math.min(requested, cap) : requested;
}

/** `text.format` as `response_format`; plain text needs none. */
function responseFormat(text: unknown): OpenAIChatRequest["response_format"] {
  const format = isRecord(text) ? text.format : undefined;
  if (!isRecord(format)) return undefined;
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type !== "json_schema") return undefined;
  if (!isRecord(format.schema)) {
    throw new InvalidRequestError({
      message: "text.format.schema must be a JSON schema object",
      param: "text.format.schema",
    });
  }
  const schema: { name: string; schema: Record<string, unknown>; description?: string; strict?: boolean } = {
    name: typeof format.name === "string" && format.name !== "" ? format.name : "output",
    schema: cleanSchema(format.schema) as Record<string, unknown>,
  };
  if (typeof format.description === "string") schema.description = format.description;
  if (typeof format.strict === "boolean") schema.strict = format.strict;
  return { type: "json_schema", json_schema: schema };
}

/** OpenAI's own models (not gpt-oss): those that never produce `reasoning_content` are OpenAI's. */
function isOpenAIOwnModel(model: string): boolean {
  return !acceptsReasoningContent(model);
}

function optionalFields(
  request: ResponsesRequest,
  body: OpenAIChatRequest,
  options: ResponsesToOpenAIRequestOptions,
) {
  const model = options.upstreamModel;
  // OpenAI's reasoning models answer 400 to sampling settings; others get them as sent.
  if (!isOpenAIReasoningModel(model)) {
    if (typeof request.temperature === "number") body.temperature = request.temperature;
    if (typeof request.top_p === "number") body.top_p = request.top_p;
  }
  if (options.reasoningEffort ?? takesReasoningEffort(model)) {
    const effort = reasoningEffortFor(request.reasoning?.effort, isOpenAIReasoningModel(model));
    if (effort !== undefined) body.reasoning_effort = effort;
  }
  const format = responseFormat(request.text);
  if (format !== undefined) body.response_format = format;
  if (typeof request.user === "string" && request.user !== "") body.user = request.user;
  if (options.openaiOnlyFields ?? isOpenAIOwnModel(model)) {
    const verbosity = request.text?.verbosity;
    if (typeof verbosity === "string" && isOpenAIReasoningModel(model)) body.verbosity = verbosity;
    if (typeof request.safety_identifier === "string") body.safety_identifier = request.safety_identifier;
    if (typeof request.prompt_cache_key === "string") body.prompt_cache_key = request.prompt_cache_key;
    if (typeof request.service_tier === "string") body.service_tier = request.service_tier;
  }
}

/** Translates a client request for one upstream target. Never modifies `request`. */
export function translateRequest(
  request: ResponsesRequest,
  options: ResponsesToOpenAIRequestOptions,
): TranslatedRequest {
  if (!isRecord(request)) {
    throw new InvalidRequestError({ message: "the request body must be a JSON object", param: "body" });
  }
  refuseServerState(request);
  const model = options.upstreamModel;
  const toolNames = new ResponsesToolNames();
  // Tools first: they record the flattened names the conversation's calls reuse.
  const { offered, dropped, ...tools } = translateTools(request, toolNames);
  const conversation = translateConversation(request.instructions, request.input, {
    toolNames,
    keepReasoning: acceptsReasoningContent(model),
  });
  const body: OpenAIChatRequest = { model, messages: conversation.messages, ...tools };
  const limit = outputLimit(
    request.max_output_tokens,
    options.maxOutputTokens ?? knownOutputLimit(model),
    options.maxOutputTokens,
  );
  if (limit !== undefined) {
    const field =
      options.tokenLimitField ?? (wantsMaxCompletionTokens(model) ? "max_completion_tokens" : "max_tokens");
    body[field] = limit;
  }
  optionalFields(request, body, options);
  if (request.stream === true) {
    body.stream = true;
    // Without it Chat Completions streams carry no usage at all (edge 5).
    body.stream_options = { include_usage: true };
  }
  const clientModel = options.clientModel ?? (typeof request.model === "string" ? request.model : model);
  return {
    body,
    ctx: {
      clientModel,
      upstreamModel: model,
      toolNames,
      envelope: envelopeOf({ request, clientModel, tools: offered }),
      createdAt: options.createdAt ?? Math.floor(Date.now() / 1000),
    },
    droppedTools: dropped,
    droppedItems: conversation.droppedItems,
  };
}
