// What differs between the translation directions (Anthropic ↔ OpenAI, and Responses to
// either), gathered behind one interface so one attempt serves them all: request,
// response, stream and error translators, and the stream a client would have seen for a
// complete upstream body.
import type { ClientDialect, Dialect } from "../core/dialect-errors.js";
import type { Logger } from "../core/logger.js";
import type { Target } from "../routing/types.js";
import { validateMessagesRequest } from "../schemas/anthropic/index.js";
import { validateChatRequest } from "../schemas/openai/index.js";
import type { SseEvent } from "../sse/event.js";
import * as anthropicToOpenAI from "../translate/anthropic-to-openai/index.js";
import * as openaiToAnthropic from "../translate/openai-to-anthropic/index.js";
import * as responsesToAnthropic from "../translate/responses-to-anthropic/index.js";
import * as responsesToOpenAI from "../translate/responses-to-openai/index.js";
import { synthesizeAnthropicStream } from "../translate/synthesize/anthropic-stream.js";
import { synthesizeOpenAIStream } from "../translate/synthesize/openai-stream.js";
import type { StreamTranslator } from "../translate/types.js";
import type { UpstreamErrorOptions } from "../translate/upstream-error-options.js";

/** A translated request and the context its response needs. */
export interface PreparedRequest<Ctx> {
  body: unknown;
  ctx: Ctx;
}

/** What a bridge knows of the request besides its body. */
export interface PrepareInfo {
  clientModel: string;
  rawLength: number;
  logger: Logger;
}

/** A stream translator; `failWith` ends it for a failure outside the upstream's events, where it can. */
export type BridgeStream = StreamTranslator<unknown, object> & {
  failWith?(failure: { status: number; message: string }): object[];
};

/** A translator that ends its own stream for a cut (the Responses ones: error + response.failed, in sequence). */
function withOwnFailure(translator: {
  push(input: unknown): object[];
  end(): object[];
  fail(failure: { status: number; message: string }): object[];
}): BridgeStream {
  return {
    push: (input) => translator.push(input),
    end: () => translator.end(),
    failWith: (failure) => translator.fail(failure),
  };
}

/** One translation direction. */
export interface Bridge<Ctx> {
  client: ClientDialect;
  upstream: Dialect;
  prepare(body: Record<string, unknown>, target: Target, info: PrepareInfo): PreparedRequest<Ctx>;
  translateResponse(upstreamBody: unknown, ctx: Ctx): unknown;
  createStream(ctx: Ctx): BridgeStream;
  /** The client-dialect events of a stream equivalent to a complete upstream body. */
  synthesize(upstreamBody: unknown, ctx: Ctx): object[];
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
  synthesize: (upstreamBody, ctx) =>
    synthesizeAnthropicStream(anthropicToOpenAI.translateResponse(upstreamBody as never, ctx) as never),
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
  synthesize: (upstreamBody, ctx) =>
    synthesizeOpenAIStream(openaiToAnthropic.translateResponse(upstreamBody as never, ctx) as never, {
      includeUsage: ctx.includeUsage,
    }),
  translateError: (status, text, options) => openaiToAnthropic.translateError(status, text, options),
};

/** Built-in tool types already logged as dropped: each is said once per process, not per request. */
const droppedToolsLogged = new Set<string>();

function logDroppedTools(logger: Logger, types: readonly string[]): void {
  const fresh = types.filter((t) => !droppedToolsLogged.has(t));
  if (fresh.length === 0) return;
  for (const t of fresh) droppedToolsLogged.add(t);
  logger.info({ tools: fresh }, "dropped built-in tools the upstream cannot run (logged once per type)");
}

/** A complete upstream body replayed through a stream translator: the events the client would have seen. */
function replayThrough(stream: BridgeStream, upstreamEvents: object[]): object[] {
  return [...upstreamEvents.flatMap((e) => stream.push(e)), ...stream.end()];
}

/** Responses client, OpenAI-compatible (Chat Completions) provider. */
export const responsesToChatBridge: Bridge<responsesToOpenAI.ResponsesContext> = {
  client: "responses",
  upstream: "openai",
  prepare(body, target, info) {
    const translated = responsesToOpenAI.translateRequest(body as never, {
      upstreamModel: target.upstreamModel ?? info.clientModel,
      clientModel: info.clientModel,
      ...(target.maxOutputTokens !== null ? { maxOutputTokens: target.maxOutputTokens } : {}),
    });
    logDroppedTools(info.logger, translated.droppedTools);
    return { body: translated.body, ctx: translated.ctx };
  },
  translateResponse: (upstreamBody, ctx) => responsesToOpenAI.translateResponse(upstreamBody as never, ctx),
  createStream: (ctx) => withOwnFailure(responsesToOpenAI.createStreamTranslator(ctx)),
  synthesize: (upstreamBody, ctx) =>
    replayThrough(
      responsesToOpenAI.createStreamTranslator(ctx),
      synthesizeOpenAIStream(upstreamBody as never, { includeUsage: true }),
    ),
  translateError: (status, text, options) => responsesToOpenAI.translateError(status, text, options),
};

/** Responses client, Anthropic provider. */
export const responsesToMessagesBridge: Bridge<responsesToAnthropic.ResponsesContext> = {
  client: "responses",
  upstream: "anthropic",
  prepare(body, target, info) {
    const translated = responsesToAnthropic.translateRequest(body, {
      upstreamModel: target.upstreamModel ?? info.clientModel,
      clientModel: info.clientModel,
      ...(target.maxOutputTokens !== null ? { maxOutputTokens: target.maxOutputTokens } : {}),
    });
    logDroppedTools(info.logger, translated.dropped.tools);
    return { body: translated.body, ctx: translated.ctx };
  },
  translateResponse: (upstreamBody, ctx) =>
    responsesToAnthropic.translateResponse(upstreamBody as never, ctx),
  createStream: (ctx) => withOwnFailure(responsesToAnthropic.createStreamTranslator(ctx)),
  synthesize: (upstreamBody, ctx) =>
    replayThrough(
      responsesToAnthropic.createStreamTranslator(ctx),
      synthesizeAnthropicStream(upstreamBody as never),
    ),
  translateError: (status, text, options) => responsesToAnthropic.translateError(status, text, options),
};

/** The bridge for a client of `client` talking to a provider of kind `upstream` (another dialect). */
export function bridgeFor(client: ClientDialect, upstream: Dialect): Bridge<unknown> {
  const bridge =
    client === "responses"
      ? upstream === "anthropic"
        ? responsesToMessagesBridge
        : responsesToChatBridge
      : client === "anthropic"
        ? anthropicClientBridge
        : openaiClientBridge;
  return bridge as Bridge<unknown>;
}

/** Whether an upstream SSE event is the end marker of its dialect. */
export function isEndMarker(upstream: Dialect, event: SseEvent): boolean {
  return upstream === "openai" && event.data.trim() === "[DONE]";
}

/** The stream a client of `dialect` would have seen for a complete response body of its own dialect. */
export function synthesizeStream(
  dialect: ClientDialect,
  responseBody: unknown,
  includeUsage: boolean,
): object[] {
  if (dialect === "responses") return synthesizeResponsesStream(responseBody);
  return dialect === "anthropic"
    ? synthesizeAnthropicStream(responseBody as never)
    : synthesizeOpenAIStream(responseBody as never, { includeUsage });
}

/**
 * A Responses stream for a Responses body (an upstream that ignored stream:true): each output
 * item added and done, then response.completed — what the SDK's accumulator and Codex read.
 */
function synthesizeResponsesStream(body: unknown): object[] {
  const response = body as { output?: unknown[] } & Record<string, unknown>;
  const output = Array.isArray(response.output) ? response.output : [];
  let sequence = 0;
  const events: object[] = [
    {
      type: "response.created",
      sequence_number: sequence++,
      response: { ...response, status: "in_progress", output: [] },
    },
  ];
  output.forEach((item, index) => {
    events.push({
      type: "response.output_item.added",
      sequence_number: sequence++,
      output_index: index,
      item,
    });
    events.push({
      type: "response.output_item.done",
      sequence_number: sequence++,
      output_index: index,
      item,
    });
  });
  events.push({ type: "response.completed", sequence_number: sequence++, response });
  return events;
}
