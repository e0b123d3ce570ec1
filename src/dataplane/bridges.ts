// What differs between the two translation directions, gathered behind one interface
// so one attempt serves both: request, response, stream and error translators, and the
// stream a client would have seen for a complete body.
import type { Dialect } from "../core/dialect-errors.js";
import type { Target } from "../routing/types.js";
import { validateMessagesRequest } from "../schemas/anthropic/index.js";
import { validateChatRequest } from "../schemas/openai/index.js";
import type { SseEvent } from "../sse/event.js";
import * as anthropicToOpenAI from "../translate/anthropic-to-openai/index.js";
import * as openaiToAnthropic from "../translate/openai-to-anthropic/index.js";
import { synthesizeAnthropicStream } from "../translate/synthesize/anthropic-stream.js";
import { synthesizeOpenAIStream } from "../translate/synthesize/openai-stream.js";
import type { StreamTranslator } from "../translate/types.js";
import type { UpstreamErrorOptions } from "../translate/upstream-error-options.js";

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
  createStream(ctx: Ctx): StreamTranslator<unknown, object>;
  translateError(status: number, bodyText: string, options: UpstreamErrorOptions): unknown;
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
  createStream: (ctx) => anthropicToOpenAI.createStreamTranslator(ctx),
  translateError: (status, text, options) => anthropicToOpenAI.translateError(status, text, options),
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
  createStream: (ctx) => openaiToAnthropic.createStreamTranslator(ctx),
  translateError: (status, text, options) => openaiToAnthropic.translateError(status, text, options),
};

/** The bridge for a client of `dialect` talking to a provider of the other dialect. */
export function bridgeFor(dialect: Dialect): Bridge<unknown> {
  return (dialect === "anthropic" ? anthropicClientBridge : openaiClientBridge) as Bridge<unknown>;
}

/** Whether an upstream SSE event is the end marker of its dialect. */
export function isEndMarker(upstream: Dialect, event: SseEvent): boolean {
  return upstream === "openai" && event.data.trim() === "[DONE]";
}

/** The stream a client of `dialect` would have seen for a complete response body. */
export function synthesizeStream(dialect: Dialect, responseBody: unknown, includeUsage: boolean): object[] {
  return dialect === "anthropic"
    ? synthesizeAnthropicStream(responseBody as never)
    : synthesizeOpenAIStream(responseBody as never, { includeUsage });
}
