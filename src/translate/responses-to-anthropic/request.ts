// OpenAI Responses request → Anthropic Messages request: input, tools and token plan come from
// their own modules; this one assembles them and maps the scalar options. OpenAI-only options
// (store, include, prompt_cache_key, client_metadata…) are left out; stored state is refused.
import type { TextBlockParam } from "@anthropic-ai/sdk/resources/messages";
import { InvalidRequestError } from "../../core/errors.js";
import { limitCacheBreakpoints } from "../openai-to-anthropic/cache-breakpoints.js";
import type { SystemSegment } from "../openai-to-anthropic/messages.js";
import { DEFAULT_MAX_TOKENS } from "../openai-to-anthropic/request.js";
import { responseFormatInstruction } from "../openai-to-anthropic/response-format.js";
import { planTokens, thinkingAllowed } from "../openai-to-anthropic/thinking.js";
import type { ResponsesContext } from "./context.js";
import { translateInput } from "./input-items.js";
import { requestEcho } from "./request-echo.js";
import { refuseServerState } from "./server-state.js";
import { ResponsesToolNames } from "./tool-names.js";
import { translateTools } from "./tools.js";
import type { AnthropicRequest } from "./wire.js";

/** How a request is translated for one target. */
export interface ResponsesToAnthropicRequestOptions {
  upstreamModel: string;
  /** The model the client asked for, echoed in responses; the body's `model` when absent. */
  clientModel?: string;
  /** max_tokens when the client gives no max_output_tokens (Anthropic requires one). Default 4096. */
  defaultMaxTokens?: number;
  /** Clamp max_tokens to this when set. */
  maxOutputTokens?: number;
}

/** What was left out of the request because Anthropic cannot take it: for one log line. */
export interface DroppedParts {
  /** Built-in tool types (`web_search`, `file_search`…). */
  tools: string[];
  /** Input item types (`reasoning`, `web_search_call`…). */
  items: string[];
}

/** The Anthropic request and the context its response translation needs. */
export interface TranslatedRequest {
  body: AnthropicRequest;
  ctx: ResponsesContext;
  dropped: DroppedParts;
}

type LooseRequest = Record<string, unknown>;

/** Translates a Responses request body. Never modifies `body`. */
export function translateRequest(
  body: unknown,
  options: ResponsesToAnthropicRequestOptions,
): TranslatedRequest {
  const request = (typeof body === "object" && body !== null ? body : {}) as LooseRequest;
  refuseServerState(request);
  const toolNames = new ResponsesToolNames();
  const tools = translateTools(request, toolNames);
  const input = translateInput(request.input, toolNames);
  const system = systemPrompt([
    ...instructions(request.instructions),
    ...input.system,
    ...formatInstruction(request.text),
  ]);
  limitCacheBreakpoints(system, input.messages);

  const plan = planTokens({
    requested: requestedMaxTokens(request.max_output_tokens, options),
    maxOutputTokens: options.maxOutputTokens,
    effort: (request.reasoning as { effort?: unknown } | null | undefined)?.effort,
    thinkingAllowed: thinkingAllowed(tools.tool_choice, input.messages),
  });

  const out: AnthropicRequest = {
    model: options.upstreamModel,
    max_tokens: plan.maxTokens,
    ...(system === undefined ? {} : { system }),
    messages: input.messages,
    ...(tools.tools ? { tools: tools.tools } : {}),
    ...(tools.tool_choice ? { tool_choice: tools.tool_choice } : {}),
  };
  if (plan.thinking) out.thinking = plan.thinking;
  // With thinking on, Anthropic accepts no temperature but 1 and no top_p below 0.95:
  // the sampling settings yield to the reasoning the client asked for.
  if (!plan.thinking) Object.assign(out, sampling(request));
  const userId = firstString(request.user, request.safety_identifier);
  if (userId !== undefined) out.metadata = { user_id: userId };
  if (request.stream === true) out.stream = true;
  const clientModel = options.clientModel ?? (typeof request.model === "string" ? request.model : "");
  return {
    body: out,
    ctx: { clientModel, upstreamModel: options.upstreamModel, toolNames, echo: requestEcho(request) },
    dropped: { tools: tools.droppedTools, items: input.droppedItems },
  };
}

function instructions(value: unknown): SystemSegment[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== "string") {
    throw new InvalidRequestError({ message: "instructions must be a string", param: "instructions" });
  }
  return value.trim() === "" ? [] : [{ text: value, cached: false }];
}

/** `text.format` as the instruction Chat's response_format would give (see response-format.ts). */
function formatInstruction(text: unknown): SystemSegment[] {
  const format = (text as { format?: Record<string, unknown> } | null | undefined)?.format;
  if (typeof format !== "object" || format === null) return [];
  const { type, name, description, schema } = format;
  const chatFormat = type === "json_schema" ? { type, json_schema: { name, description, schema } } : { type };
  const instruction = responseFormatInstruction(chatFormat);
  return instruction === undefined ? [] : [{ text: instruction, cached: false }];
}

function requestedMaxTokens(value: unknown, options: ResponsesToAnthropicRequestOptions): number {
  if (value === undefined || value === null) return options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new InvalidRequestError({
      message: "max_output_tokens must be a positive integer",
      param: "max_output_tokens",
    });
  }
  return value;
}

/** Segments joined with blank lines; blocks only when one is a cache breakpoint. */
function systemPrompt(segments: SystemSegment[]): string | TextBlockParam[] | undefined {
  if (segments.length === 0) return undefined;
  if (!segments.some((s) => s.cached)) return segments.map((s) => s.text).join("\n\n");
  return segments.map((s) =>
    s.cached
      ? { type: "text", text: s.text, cache_control: { type: "ephemeral" } }
      : { type: "text", text: s.text },
  );
}

function sampling(request: LooseRequest): { temperature?: number; top_p?: number } {
  // OpenAI's temperature runs 0..2, Anthropic's 0..1: clamp rather than rescale, so the
  // common values (0, 0.2, 0.7, 1) keep their meaning.
  if (typeof request.temperature === "number")
    return { temperature: Math.min(Math.max(request.temperature, 0), 1) };
  // Current Claude models refuse temperature and top_p together; temperature is the one
  // clients mean (top_p: 1 is usually a library default).
  if (typeof request.top_p === "number") return { top_p: request.top_p };
  return {};
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === "string" && v !== "");
}
