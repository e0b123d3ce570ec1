// An Anthropic Messages request → an OpenAI Chat Completions request. Fields are copied
// one by one into a new object, so Claude-only fields (`cache_control`,
// `context_management`, `container`, `mcp_servers`, `service_tier`, `betas`…) never reach
// the upstream, and the client's body is never modified. `output_config.effort` and
// `output_config.format` are read (reasoning level, structured output); the rest of it is not.
import { InvalidRequestError } from "../../core/errors.js";
import { ToolNameMap } from "../tool-identity.js";
import { translateConversation } from "./conversation.js";
import { cleanSchema } from "./json-schema.js";
import {
  acceptsReasoningContent,
  isOpenAIReasoningModel,
  knownOutputLimit,
  takesReasoningEffort,
  wantsMaxCompletionTokens,
} from "./model-family.js";
import { reasoningEffort } from "./reasoning-effort.js";
import { translateTools } from "./tools.js";
import type { AnthropicRequest, OpenAIChatRequest } from "./wire.js";

/** How to shape the upstream request for one target. */
export interface AnthropicToOpenAIRequestOptions {
  upstreamModel: string;
  /** Clamp max_tokens to this when set (per-mapping limit). */
  maxOutputTokens?: number;
  /** Send `reasoning_effort`; undefined = decide from the model name (o1/o3/o4/gpt-5/gpt-oss/"reasoner" models etc.). */
  reasoningEffort?: boolean;
  /** Which token-limit field; undefined = `max_completion_tokens` for o-series/gpt-5 models, `max_tokens` otherwise. */
  tokenLimitField?: "max_tokens" | "max_completion_tokens";
}

/** The upstream request and the tool names it shortened. */
export interface TranslatedRequest {
  body: OpenAIChatRequest;
  toolNames: ToolNameMap;
}

function outputLimit(requested: unknown, cap: number | undefined): number | undefined {
  if (requested === undefined || requested === null) return cap;
  if (typeof requested !== "number" || !Number.isInteger(requested) || requested < 1) {
    throw new InvalidRequestError({ message: "max_tokens must be a positive integer", param: "max_tokens" });
  }
  return cap !== undefined && cap > 0 ? Math.min(requested, cap) : requested;
}

function stopSequences(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((s) => typeof s !== "string")) {
    throw new InvalidRequestError({
      message: "stop_sequences must be an array of strings",
      param: "stop_sequences",
    });
  }
  return value.length > 0 ? value : undefined;
}

/** Anthropic's structured-output schema (`output_config.format`) as OpenAI's `response_format`. */
function responseFormat(outputConfig: unknown): OpenAIChatRequest["response_format"] {
  const format = (outputConfig as { format?: { type?: unknown; schema?: unknown } | null } | null | undefined)
    ?.format;
  if (format?.type !== "json_schema" || typeof format.schema !== "object" || format.schema === null)
    return undefined;
  return {
    type: "json_schema",
    json_schema: { name: "output", schema: cleanSchema(format.schema) as Record<string, unknown> },
  };
}

/** Translates a client request for one upstream target. Never modifies `request`. */
export function translateRequest(
  request: AnthropicRequest,
  options: AnthropicToOpenAIRequestOptions,
): TranslatedRequest {
  if (typeof request !== "object" || request === null) {
    throw new InvalidRequestError({ message: "the request body must be a JSON object", param: "body" });
  }
  const model = options.upstreamModel;
  const toolNames = new ToolNameMap();
  // Tools first: they record the shortened names the conversation's tool calls reuse.
  const tools = translateTools(request.tools, request.tool_choice, toolNames);
  const body: OpenAIChatRequest = {
    model,
    messages: translateConversation(request.system, request.messages, {
      toolNames,
      keepReasoning: acceptsReasoningContent(model),
    }),
    ...tools,
  };

  const limit = outputLimit(request.max_tokens, options.maxOutputTokens ?? knownOutputLimit(model));
  if (limit !== undefined) {
    const field =
      options.tokenLimitField ?? (wantsMaxCompletionTokens(model) ? "max_completion_tokens" : "max_tokens");
    body[field] = limit;
  }
  // OpenAI's reasoning models answer 400 to sampling settings; others get them as sent.
  if (!isOpenAIReasoningModel(model)) {
    if (typeof request.temperature === "number") body.temperature = request.temperature;
    if (typeof request.top_p === "number") body.top_p = request.top_p;
  }
  const stop = stopSequences(request.stop_sequences);
  if (stop !== undefined) body.stop = stop;
  const user = request.metadata?.user_id;
  if (typeof user === "string" && user !== "") body.user = user;
  if (options.reasoningEffort ?? takesReasoningEffort(model)) {
    const effort = reasoningEffort(request.thinking, request.output_config);
    if (effort !== undefined) body.reasoning_effort = effort;
  }
  const format = responseFormat(request.output_config);
  if (format !== undefined) body.response_format = format;
  if (request.stream === true) {
    body.stream = true;
    // Without it OpenAI streams carry no usage at all (edge 5).
    body.stream_options = { include_usage: true };
  }
  return { body, toolNames };
}
