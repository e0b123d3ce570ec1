// What differs between the two translation directions, gathered behind one interface
// so a single forwarder serves both: paths, translators, synthesizers, encoders.
import type { Dialect } from "../core/dialect-errors.js";
import type { Target } from "../routing/types.js";
import { validateMessagesRequest } from "../schemas/anthropic/index.js";
import { validateChatRequest } from "../schemas/openai/index.js";
import { encodeAnthropicEvent, encodeOpenAIChunk, OPENAI_DONE } from "../sse/encode.js";
import type { SseEvent } from "../sse/event.js";
import * as anthropicToOpenAI from "../translate/anthropic-to-openai/index.js";
import * as openaiToAnthropic from "../translate/openai-to-anthropic/index.js";
import { synthesizeAnthropicStream } from "../translate/synthesize/anthropic-stream.js";
import { synthesizeOpenAIStream } from "../translate/synthesize/openai-stream.js";
import type { StreamTranslator } from "../translate/types.js";

/** Upstream API paths, relative to a provider's base URL. */
export const UPSTREAM_PATHS = {
  anthropic: { messages: "/v1/messages", countTokens: "/v1/messages/count_tokens" },
  openai: { messages: "/chat/completions" },
} as const;

/** A translated request and the context its response needs. */
export interface PreparedRequest<Ctx> {
  body: unknown;
  ctx: Ctx;
}

/** One translation direction. */
export interface Bridge<Ctx> {
  client: Dialect;
  upstream: Dialect;
  prepare(
    body: Record<string, unknown>,
    target: Target,
    info: { clientModel: string; rawLength: number },
  ): PreparedRequest<Ctx>;
  translateResponse(upstreamBody: unknown, ctx: Ctx): unknown;
  createStream(ctx: Ctx): StreamTranslator<unknown, unknown>;
  translateError(status: number, bodyText: string): unknown;
}

/** Anthropic client, OpenAI-compatible provider. */
export const anthropicClientBridge: Bridge<anthropicToOpenAI.AnthropicResponseContext> = {
  client: "anthropic",
  upstream: "openai",
  prepare(body, target, info) {
    validateMessagesRequest(body);
    const upstreamModel = target.upstreamModel ?? info.clientModel;
    const translated = anthropicToOpenAI.translateRequest(body as never, {
      upstreamModel,
      ...(target.maxOutputTokens !== null ? { maxOutputTokens: target.maxOutputTokens } : {}),
    });
    return {
      body: translated.body,
      // A cheap estimate (about four bytes a token) so message_start never says 0;
      // the real count follows in message_delta.
      ctx: {
        clientModel: info.clientModel,
        upstreamModel,
        toolNames: translated.toolNames,
        inputTokensEstimate: Math.ceil(info.rawLength / 4),
      },
    };
  },
  translateResponse: (upstreamBody, ctx) => anthropicToOpenAI.translateResponse(upstreamBody as never, ctx),
  createStream: (ctx) => anthropicToOpenAI.createStreamTranslator(ctx) as StreamTranslator<unknown, unknown>,
  translateError: (status, text) => anthropicToOpenAI.translateError(status, text),
};

/** OpenAI client, Anthropic provider. */
export const openaiClientBridge: Bridge<openaiToAnthropic.OpenAIResponseContext> = {
  client: "openai",
  upstream: "anthropic",
  prepare(body, target, info) {
    validateChatRequest(body);
    const upstreamModel = target.upstreamModel ?? info.clientModel;
    const translated = openaiToAnthropic.translateRequest(body as never, {
      upstreamModel,
      ...(target.maxOutputTokens !== null ? { maxOutputTokens: target.maxOutputTokens } : {}),
    });
    return {
      body: translated.body,
      ctx: {
        clientModel: info.clientModel,
        upstreamModel,
        includeUsage: translated.includeUsage,
        toolNames: translated.toolNames,
      },
    };
  },
  translateResponse: (upstreamBody, ctx) => openaiToAnthropic.translateResponse(upstreamBody as never, ctx),
  createStream: (ctx) => openaiToAnthropic.createStreamTranslator(ctx) as StreamTranslator<unknown, unknown>,
  translateError: (status, text) => openaiToAnthropic.translateError(status, text),
};

/** How a client dialect frames stream output. */
export const STREAM_FRAMING: Record<Dialect, { encode(payload: unknown): string; trailer: string }> = {
  anthropic: { encode: (p) => encodeAnthropicEvent(p as { type: string }), trailer: "" },
  openai: { encode: (p) => encodeOpenAIChunk(p), trailer: OPENAI_DONE },
};

/** Whether an upstream SSE event is the end marker of its dialect. */
export function isEndMarker(upstream: Dialect, event: SseEvent): boolean {
  return upstream === "openai" && event.data.trim() === "[DONE]";
}

/** The stream a client of `dialect` would have seen for a complete response body. */
export function synthesizeStream(dialect: Dialect, responseBody: unknown, includeUsage: boolean): unknown[] {
  return dialect === "anthropic"
    ? synthesizeAnthropicStream(responseBody as never)
    : synthesizeOpenAIStream(responseBody as never, { includeUsage });
}
