// OpenAI Chat Completions request → Anthropic Messages request. The conversation, tools
// and token plan are translated by their own modules; this one assembles them and maps
// the scalar options. OpenAI-only options (logprobs, seed, penalties, logit_bias, store,
// modalities, prediction…) have no Anthropic meaning and are left out.
import type { TextBlockParam } from "@anthropic-ai/sdk/resources/messages";
import { InvalidRequestError } from "../../core/errors.js";
import { ToolNameMap } from "../tool-identity.js";
import { limitCacheBreakpoints } from "./cache-breakpoints.js";
import { type SystemSegment, translateMessages } from "./messages.js";
import { responseFormatInstruction } from "./response-format.js";
import { planTokens, thinkingAllowed } from "./thinking.js";
import { translateTools } from "./tools.js";
import type { AnthropicRequest, OpenAIChatRequest } from "./wire.js";

/** How a request is translated for one target. */
export interface OpenAIToAnthropicRequestOptions {
  upstreamModel: string;
  /** max_tokens when the client gives none (Anthropic requires it). Default 4096. */
  defaultMaxTokens?: number;
  /** Clamp max_tokens to this when set. */
  maxOutputTokens?: number;
}

/** The Anthropic request and what the response translation needs to know about it. */
export interface TranslatedRequest {
  body: AnthropicRequest;
  /** The client asked for `stream_options.include_usage`. */
  includeUsage: boolean;
  /** The tool names sent upstream, to map names in the response back. */
  toolNames: ToolNameMap;
}

/** Anthropic requires max_tokens; this is what a client that sends none gets. */
export const DEFAULT_MAX_TOKENS = 4096;

type LooseRequest = Record<string, unknown>;

/** Translates an OpenAI Chat Completions request body. Never modifies `body`. */
export function translateRequest(
  body: OpenAIChatRequest,
  options: OpenAIToAnthropicRequestOptions,
): TranslatedRequest {
  const request = body as unknown as LooseRequest;
  rejectSeveralChoices(request.n);
  const toolNames = new ToolNameMap();
  const tools = translateTools(request, toolNames);
  const conversation = translateMessages(request.messages, toolNames);
  const system = systemPrompt(conversation.system, responseFormatInstruction(request.response_format));
  limitCacheBreakpoints(system, conversation.messages);

  const plan = planTokens({
    requested: requestedMaxTokens(request, options),
    maxOutputTokens: options.maxOutputTokens,
    effort: request.reasoning_effort,
    thinkingAllowed: thinkingAllowed(tools.tool_choice, conversation.messages),
  });

  const out: AnthropicRequest = {
    model: options.upstreamModel,
    max_tokens: plan.maxTokens,
    ...(system === undefined ? {} : { system }),
    messages: conversation.messages,
    ...tools,
  };
  if (plan.thinking) out.thinking = plan.thinking;
  const stop = stopSequences(request.stop);
  if (stop.length > 0) out.stop_sequences = stop;
  // With thinking on, Anthropic accepts no temperature but 1 and no top_p below 0.95:
  // the sampling settings yield to the reasoning the client asked for.
  if (!plan.thinking) Object.assign(out, sampling(request));
  const userId = firstString(request.user, request.safety_identifier);
  if (userId !== undefined) out.metadata = { user_id: userId };
  if (request.stream === true) out.stream = true;
  const streamOptions = request.stream_options as { include_usage?: unknown } | null | undefined;
  return { body: out, includeUsage: streamOptions?.include_usage === true, toolNames };
}

function rejectSeveralChoices(n: unknown): void {
  if (typeof n === "number" && n > 1) {
    throw new InvalidRequestError({
      message: `n=${n} is not supported: Anthropic models return one choice per request; send ${n} requests instead`,
      param: "n",
    });
  }
}

function requestedMaxTokens(request: LooseRequest, options: OpenAIToAnthropicRequestOptions): number {
  const param = request.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens";
  const value = request[param];
  if (value === undefined || value === null) return options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new InvalidRequestError({ message: `${param} must be a positive integer`, param });
  }
  return value;
}

/** System and developer messages joined with blank lines; blocks only when one is a cache breakpoint. */
function systemPrompt(
  segments: SystemSegment[],
  instruction: string | undefined,
): string | TextBlockParam[] | undefined {
  const all = instruction === undefined ? segments : [...segments, { text: instruction, cached: false }];
  if (all.length === 0) return undefined;
  if (!all.some((s) => s.cached)) return all.map((s) => s.text).join("\n\n");
  return all.map((s) =>
    s.cached
      ? { type: "text", text: s.text, cache_control: { type: "ephemeral" } }
      : { type: "text", text: s.text },
  );
}

function stopSequences(stop: unknown): string[] {
  const list = typeof stop === "string" ? [stop] : Array.isArray(stop) ? stop : [];
  return list.filter((s): s is string => typeof s === "string" && s !== "");
}

function sampling(request: LooseRequest): { temperature?: number; top_p?: number } {
  const out: { temperature?: number; top_p?: number } = {};
  // OpenAI's temperature runs 0..2, Anthropic's 0..1: clamp rather than rescale, so the
  // common values (0, 0.2, 0.7, 1) keep their meaning.
  if (typeof request.temperature === "number")
    out.temperature = Math.min(Math.max(request.temperature, 0), 1);
  // Current Claude models refuse temperature and top_p together; temperature is the one
  // clients mean (top_p: 1 is usually a library default).
  else if (typeof request.top_p === "number") out.top_p = request.top_p;
  return out;
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === "string" && v !== "");
}
