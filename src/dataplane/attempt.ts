// One attempt at one target: send the request upstream (passthrough, or translated for the
// target's dialect) and return an uncommitted answer — a JSON body or a stream of frames in
// the client's dialect. It never touches the client's response, so the target loop can
// throw an answer away and try again. Failures before an answer are thrown.
import { type Dialect, errorBody } from "../core/dialect-errors.js";
import { isRetryableStatus, ParleyError, UpstreamProtocolError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { ownedBytes } from "../core/owned-bytes.js";
import type { Redactor } from "../core/redaction.js";
import type { Target } from "../routing/types.js";
import { decodeSse } from "../sse/decode.js";
import {
  createAnthropicMessageAccumulator,
  createOpenAICompletionAccumulator,
} from "../translate/accumulate/index.js";
import { pageText } from "../translate/page-text.js";
import type { UpstreamPools } from "../upstream/pools.js";
import { redactorFor } from "../upstream/provider-secrets.js";
import {
  passthroughResponseHeaders,
  translatedResponseHeaders,
  UPSTREAM_PATHS,
  upstreamHeaders,
} from "../upstream/provider-wire.js";
import { classifyTransportError, sendUpstream, type UpstreamResponse } from "../upstream/send.js";
import { type Bridge, type BridgeStream, bridgeFor, isEndMarker, synthesizeStream } from "./bridges.js";
import { CLIENT_STREAM, type ClientStreamFraming } from "./client-stream.js";
import type { StreamFrame } from "./commit-gate.js";
import type { Exchange } from "./exchange.js";
import { heldPathsFor } from "./held-paths.js";
import { type HeldBody, HeldStringLeakError, holdStrings } from "./held-strings.js";
import { skipWhitespace, skipWhitespaceBack } from "./json-spans.js";
import { removeTopLevelMember, setTopLevelMember, spliceModel } from "./model-splice.js";
import {
  dropPlannedThinking,
  mayHaveThinkingBlocks,
  planFromParsed,
  planUnsignedThinking,
  type ThinkingPlan,
} from "./unsigned-thinking.js";
import { UpstreamStatusError } from "./upstream-status-error.js";
import type { UsageMeter } from "./usage-meter.js";

/** An upstream's answer, not yet sent to the client. */
export type Answer =
  | { kind: "json"; status: number; headers: Record<string, string>; body: string | Buffer }
  | { kind: "stream"; headers: Record<string, string>; frames: AsyncIterable<StreamFrame> };

/**
 * How an attempt talks to its upstream: as the client asked; `demoted`, a non-streaming
 * request sent as a stream and answered with the accumulated body (no response-header
 * timeout on long thinking); `replayed`, a stream request sent without streaming (a last
 * try after streams failed before their first byte) and replayed as a synthesized stream.
 */
export type AttemptMode = "as-asked" | "demoted" | "replayed";

/** What an attempt needs besides the exchange. */
export interface AttemptDeps {
  pools: UpstreamPools;
  logger: Logger;
  /** 0 = the client's headers go out at once, so passthrough streams need no look at their preamble. */
  commitDeadlineMs: number;
}

/** A stream that reported an error in its own events. */
export class UpstreamStreamError extends ParleyError {
  readonly code = "PARLEY_ERR_UPSTREAM_STREAM";
  readonly status: number;
  override readonly retryable: boolean;

  constructor(options: { status: number; message: string; retryable: boolean }) {
    super({ message: options.message });
    this.status = options.status;
    this.retryable = options.retryable;
  }
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Sends the exchange to one target and returns its answer. */
export async function attempt(
  ex: Exchange,
  target: Target,
  deps: AttemptDeps,
  mode: AttemptMode = "as-asked",
): Promise<Answer> {
  try {
    return speaksClientDialect(ex, target)
      ? await attemptPassthrough(ex, target, deps, mode)
      : await attemptTranslated(ex, target, deps, bridgeFor(ex.dialect, target.provider.kind), mode);
  } catch (error) {
    throw asUpstreamFailure(error, target);
  }
}

/**
 * The client's body for a same-dialect target: the mapped model spliced in and, for an
 * Anthropic target, thinking blocks without a signature dropped (another provider's turns
 * leave them behind, and Anthropic refuses them) — the only edits passthrough makes. An
 * unedited body is the client's own buffer.
 */
export function splicedBody(ex: Exchange, target: Target, logger: Logger): Buffer {
  const { bytes } = ex.body;
  const body = target.upstreamModel === null ? bytes : spliceModel(bytes, target.upstreamModel, ex.modelSpan);
  if (target.provider.kind !== "anthropic" || !mayHaveThinkingBlocks(bytes)) return body;
  const thinking = dropPlannedThinking(body, thinkingPlan(ex));
  if (thinking.dropped > 0) {
    logger.debug(
      { request_id: ex.requestId, provider: target.provider.id, dropped: thinking.dropped },
      "dropped thinking blocks without a signature",
    );
  }
  return thinking.raw;
}

/** Plans made for bodies that may hold thinking blocks, by body. */
const thinkingPlans = new WeakMap<Exchange["body"], ThinkingPlan>();

/**
 * Which thinking blocks of the client's body lack a signature: read from its bytes (in
 * validation's copy when it runs ahead), from the parsed body only where the bytes are not
 * well-formed enough to tell, so a syntax error there is the 400 it would be.
 */
function thinkingPlan(ex: Exchange): ThinkingPlan {
  let plan = thinkingPlans.get(ex.body);
  if (plan === undefined) {
    plan = planUnsignedThinking(ex.body.bytes) ?? planFromParsed(ex.body.parsed);
    thinkingPlans.set(ex.body, plan);
  }
  return plan;
}

/**
 * Reads ahead what attempts at `targets` will read, before the first of them: a syntax
 * error deeper than validation's scan looked is then a 400, not an attempt's failure.
 * Counting reads the parsed body, translation its source, and dropping unsigned thinking
 * blocks its plan when there may be some; plain passthrough reads nothing.
 */
export function parseAhead(ex: Exchange, targets: readonly Target[], countOnly: boolean): void {
  if (countOnly) {
    void ex.body.parsed;
    return;
  }
  for (const target of targets) {
    if (!speaksClientDialect(ex, target)) translationSource(ex, target.provider.kind);
    else if (target.provider.kind === "anthropic" && mayHaveThinkingBlocks(ex.body.bytes)) thinkingPlan(ex);
  }
}

/** Whether the target takes the client's dialect as it is: same kind, or Responses to an upstream that has it. */
export function speaksClientDialect(ex: Exchange, target: Target): boolean {
  const { provider } = target;
  if (ex.dialect === "responses") return provider.kind === "openai" && provider.responsesApi;
  return provider.kind === ex.dialect;
}

/** The upstream path of a passthrough request. */
function passthroughPath(ex: Exchange, target: Target): string {
  return ex.dialect === "responses"
    ? UPSTREAM_PATHS.openai.responses
    : UPSTREAM_PATHS[target.provider.kind].messages;
}

/** Whether the upstream request streams. */
function upstreamStreams(ex: Exchange, mode: AttemptMode): boolean {
  return mode === "demoted" || (ex.stream && mode === "as-asked");
}

/** The raw body with `model` spliced and `stream` set for the mode. */
function passthroughBody(ex: Exchange, target: Target, mode: AttemptMode, logger: Logger): Buffer {
  let body = splicedBody(ex, target, logger);
  if (mode === "as-asked") return body;
  body = setTopLevelMember(body, "stream", mode === "demoted" ? "true" : "false");
  // OpenAI refuses stream_options on a request that does not stream.
  if (mode === "replayed") body = removeTopLevelMember(body, "stream_options");
  // The accumulated body needs usage, which an OpenAI stream sends only when asked.
  if (mode === "demoted" && target.provider.kind === "openai" && !ex.body.members.has("stream_options")) {
    body = setTopLevelMember(body, "stream_options", '{"include_usage":true}');
  }
  return body;
}

async function attemptPassthrough(
  ex: Exchange,
  target: Target,
  deps: AttemptDeps,
  mode: AttemptMode,
): Promise<Answer> {
  const { provider } = target;
  const redactor = redactorFor(provider, ex.req.headers);
  const streams = upstreamStreams(ex, mode);
  const response = await timed(
    ex,
    sendUpstream(deps.pools, {
      provider,
      path: passthroughPath(ex, target),
      query: provider.kind === "anthropic" ? ex.query : "",
      headers: upstreamHeaders({
        provider,
        clientHeaders: ex.req.headers,
        passthrough: true,
        stream: streams,
      }),
      body: passthroughBody(ex, target, mode, deps.logger),
      signal: ex.signal,
      stream: streams,
    }),
  );
  if (response.status >= 400) throw await statusError(ex, target, response, redactor, undefined);
  const headers = passthroughResponseHeaders(response.headers);
  if (mode === "demoted" && isEventStream(response)) {
    const body = await timed(ex, accumulate(response, target, redactor));
    ex.meter.fromJsonText(body);
    return { kind: "json", status: 200, headers, body };
  }
  if (!ex.stream) {
    // The upstream's bytes go to the client as they are: searched for secrets and usage, never parsed whole.
    const bytes = redactor.bytes(await timed(ex, response.body.bytes()));
    ex.meter.fromRawChunk(bytes);
    if (!looksLikeJsonObject(bytes)) {
      throw new UpstreamProtocolError({ message: upstreamText(bytes.toString("utf8"), response.status) });
    }
    return { kind: "json", status: response.status, headers, body: bytes };
  }
  const framing = CLIENT_STREAM[ex.dialect];
  if (!isEventStream(response)) {
    // Replayed, or the upstream ignored stream:true and answered with one JSON body.
    const json = parseJson(await timed(ex, readText(response, redactor)), "a response");
    ex.meter.fromPayload(json);
    const includeUsage =
      (ex.body.member("stream_options") as { include_usage?: boolean } | undefined)?.include_usage === true;
    return {
      kind: "stream",
      headers,
      frames: synthesized(framing, synthesizeStream(ex.dialect, json, includeUsage)),
    };
  }
  const frames =
    deps.commitDeadlineMs > 0
      ? passthroughFrames(response, target, redactor, framing, ex.meter)
      : rawFrames(response, target, redactor, ex.meter);
  return { kind: "stream", headers, frames };
}

async function attemptTranslated<Ctx>(
  ex: Exchange,
  target: Target,
  deps: AttemptDeps,
  bridge: Bridge<Ctx>,
  mode: AttemptMode,
): Promise<Answer> {
  const { provider } = target;
  const redactor = redactorFor(provider, ex.req.headers);
  const streams = upstreamStreams(ex, mode);
  const prepared = translateRequest(ex, target, bridge, { logger: deps.logger, streams });
  const response = await timed(
    ex,
    sendUpstream(deps.pools, {
      provider,
      path: UPSTREAM_PATHS[provider.kind].messages,
      headers: upstreamHeaders({
        provider,
        clientHeaders: ex.req.headers,
        passthrough: false,
        stream: streams,
      }),
      body: prepared.body,
      signal: ex.signal,
      stream: streams,
    }),
  );
  if (response.status >= 400) throw await statusError(ex, target, response, redactor, bridge.translateError);
  const headers = translatedResponseHeaders(response.headers);
  const framing = CLIENT_STREAM[ex.dialect];
  if (mode === "demoted" && isEventStream(response)) {
    const upstreamBody = JSON.parse(await timed(ex, accumulate(response, target, redactor)));
    const clientBody = bridge.translateResponse(upstreamBody, prepared.ctx);
    ex.meter.fromPayload(clientBody);
    return { kind: "json", status: 200, headers, body: JSON.stringify(clientBody) };
  }
  if (!ex.stream || !isEventStream(response)) {
    const upstreamBody = parseJson(await timed(ex, readText(response, redactor)), "a response");
    if (!ex.stream) {
      const clientBody = bridge.translateResponse(upstreamBody, prepared.ctx);
      ex.meter.fromPayload(clientBody);
      return { kind: "json", status: 200, headers, body: JSON.stringify(clientBody) };
    }
    const events = bridge.synthesize(upstreamBody, prepared.ctx);
    for (const event of events) ex.meter.fromPayload(event);
    return { kind: "stream", headers, frames: synthesized(framing, events) };
  }
  return {
    kind: "stream",
    headers,
    frames: translatedFrames(
      response,
      target,
      redactor,
      framing,
      bridge.createStream(prepared.ctx),
      ex.meter,
    ),
  };
}

/** A translation's input: the body parsed (its long strings held out where allowed) and the way back to bytes. */
interface TranslationSource {
  body: Record<string, unknown>;
  /** The held body, when long strings were held out of `body`. */
  held: HeldBody | undefined;
}

const sources = new WeakMap<Exchange["body"], Map<string, TranslationSource>>();

/**
 * The body a translation to `kind` starts from, made once per direction and reused by every
 * attempt (translators never modify their input). Long strings at the paths the direction
 * allows are held out of JSON.parse, to be put back as the client's own bytes after
 * JSON.stringify; the held text is parsed whole, so a syntax error is the same 400 as from
 * a full parse. `plain` asks for the fully parsed body.
 */
export function translationSource(ex: Exchange, kind: Dialect, plain = false): TranslationSource {
  let byKind = sources.get(ex.body);
  if (!byKind) {
    byKind = new Map();
    sources.set(ex.body, byKind);
  }
  let source = plain ? undefined : byKind.get(kind);
  if (!source) {
    source = (plain ? undefined : holdingSource(ex, kind)) ?? { body: ex.body.parsed, held: undefined };
    byKind.set(kind, source);
  }
  return source;
}

/** Bodies smaller than this are parsed whole: holding could save a few µs, and its scan costs as much. */
const HOLD_MIN_BODY_BYTES = 16 * 1024;

function holdingSource(ex: Exchange, kind: Dialect): TranslationSource | undefined {
  const paths = ex.body.bytes.length < HOLD_MIN_BODY_BYTES ? undefined : heldPathsFor(ex.dialect, kind);
  if (!paths) return undefined;
  const held = holdStrings(ex.body.bytes, { paths });
  if (held.held === 0) return undefined;
  let body: unknown;
  try {
    body = held.parse();
  } catch {
    return undefined; // the full parse reports it as the 400 it is
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  return { body: body as Record<string, unknown>, held };
}

/** The upstream body of a translated attempt, and the translation's context for the answer. */
function translateRequest<Ctx>(
  ex: Exchange,
  target: Target,
  bridge: Bridge<Ctx>,
  options: { logger: Logger; streams: boolean },
): { body: string | Buffer; ctx: Ctx } {
  const kind = target.provider.kind;
  const prepare = (source: TranslationSource) => {
    const prepared = bridge.prepare(source.body, target, {
      clientModel: ex.clientModel,
      rawLength: ex.body.bytes.length,
      logger: options.logger,
    });
    const json = JSON.stringify(withStreaming(prepared.body, kind, options.streams));
    return { body: source.held ? source.held.restore(json) : json, ctx: prepared.ctx };
  };
  try {
    return prepare(translationSource(ex, kind));
  } catch (error) {
    // A translator escaped or cut a placeholder: translate the whole body instead, as it is.
    if (!(error instanceof HeldStringLeakError)) throw error;
    options.logger.debug(
      { request_id: ex.requestId, err: error.message },
      "translating without held strings",
    );
    return prepare(translationSource(ex, kind, true));
  }
}

/** The translated body with `stream` as the attempt needs it (usage asked for from an OpenAI stream). */
function withStreaming(body: unknown, kind: "anthropic" | "openai", streams: boolean): unknown {
  const record = body as Record<string, unknown>;
  if (record.stream === streams || (!streams && record.stream === undefined)) return body;
  if (!streams) {
    const { stream: _stream, stream_options: _options, ...rest } = record;
    return rest;
  }
  const usage = kind === "openai" ? { stream_options: { include_usage: true } } : {};
  return { ...record, stream: true, ...usage };
}

/** Reads an upstream stream to its end and rebuilds the non-streaming body (demotion). */
async function accumulate(response: UpstreamResponse, target: Target, redactor: Redactor): Promise<string> {
  const upstream = target.provider.kind;
  const accumulator =
    upstream === "anthropic" ? createAnthropicMessageAccumulator() : createOpenAICompletionAccumulator();
  for await (const event of decodeSse(response.body as AsyncIterable<Buffer>)) {
    if (isEndMarker(upstream, event)) break;
    try {
      accumulator.push(JSON.parse(redactor.text(event.data)));
    } catch {
      // Not JSON: a keep-alive some upstreams send.
    }
  }
  const result = accumulator.finish();
  if (!result.ok) throw result.error;
  return result.body;
}

/** Awaits an upstream step, counting its time as waiting (Parley's overhead is the rest). */
async function timed<T>(ex: Exchange, promise: Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await promise;
  } finally {
    ex.clock.waitedMs += performance.now() - started;
  }
}

/** A stream from complete events: one content frame and the trailer. */
async function* synthesized(framing: ClientStreamFraming, events: object[]): AsyncGenerator<StreamFrame> {
  yield { wire: events.map((e) => framing.encode(e)).join("") + framing.trailer, content: true };
}

/**
 * The upstream's own SSE bytes. Until the first content event they are split into events
 * (so preamble can be held and an early error event is a failure that may be retried);
 * after it, chunks pass as they arrive, unparsed.
 */
async function* passthroughFrames(
  response: UpstreamResponse,
  target: Target,
  redactor: Redactor,
  framing: ClientStreamFraming,
  meter: UsageMeter,
): AsyncGenerator<StreamFrame> {
  const scrub = redactor.stream();
  let pending = "";
  let sawContent = false;
  try {
    for await (const upstreamChunk of response.body as AsyncIterable<Buffer>) {
      const chunk = scrub.push(upstreamChunk);
      meter.fromRawChunk(chunk);
      if (sawContent) {
        yield { wire: chunk, content: true };
        continue;
      }
      // latin1 keeps one character per byte, so the held text turns back into the exact bytes.
      pending += chunk.toString("latin1");
      for (let end = eventEnd(pending); end !== -1 && !sawContent; end = eventEnd(pending)) {
        const block = pending.slice(0, end);
        pending = pending.slice(end);
        const payload = eventPayload(block);
        const error = framing.errorOf(payload);
        sawContent = error !== undefined || (payload !== undefined && !framing.isPreamble(payload));
        // The generator keeps its preamble frames for as long as the stream is open.
        const wire = ownedBytes(sawContent ? block + pending : block, "latin1");
        // The upstream's own error event: a failure before the commit, passed on as it is after.
        if (error) yield { wire, content: true, failure: streamError(target, error) };
        else yield { wire, content: sawContent };
        if (sawContent) pending = "";
      }
    }
  } catch (error) {
    throw asUpstreamFailure(error, target);
  }
  const rest = scrub.end();
  if (!sawContent)
    throw new UpstreamProtocolError({ message: "the upstream stream ended before any content" });
  if (rest.length > 0) yield { wire: rest, content: true };
}

/** The upstream's own SSE bytes as they arrive, unparsed. */
async function* rawFrames(
  response: UpstreamResponse,
  target: Target,
  redactor: Redactor,
  meter: UsageMeter,
): AsyncGenerator<StreamFrame> {
  const scrub = redactor.stream();
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      const clean = scrub.push(chunk);
      meter.fromRawChunk(clean);
      yield { wire: clean, content: true };
    }
  } catch (error) {
    throw asUpstreamFailure(error, target);
  }
  yield { wire: scrub.end(), content: true };
}

/** Upstream events translated into the client's dialect, one frame per upstream event. */
async function* translatedFrames(
  response: UpstreamResponse,
  target: Target,
  redactor: Redactor,
  framing: ClientStreamFraming,
  translator: BridgeStream,
  meter: UsageMeter,
): AsyncGenerator<StreamFrame> {
  const upstream = target.provider.kind;
  let broken: Error | undefined;
  try {
    for await (const event of decodeSse(response.body as AsyncIterable<Buffer>)) {
      if (isEndMarker(upstream, event)) break;
      let payload: unknown;
      try {
        payload = JSON.parse(redactor.text(event.data));
      } catch {
        continue; // not JSON: a comment-like keep-alive some upstreams send
      }
      const frame = toFrame(framing, target, translator.push(payload), meter);
      if (frame) yield frame;
    }
  } catch (error) {
    broken = asUpstreamFailure(error, target);
  }
  // A translator that can end its own stream for a cut does (Responses: the error event and
  // response.failed, numbered in sequence); for the others the gate frames the error event.
  if (broken && !translator.failWith) throw broken;
  const events = broken && translator.failWith ? translator.failWith(failureOf(broken)) : translator.end();
  const last = toFrame(framing, target, events, meter, broken);
  if (last) yield last;
  else if (broken) throw broken;
  if (framing.trailer) yield { wire: framing.trailer, content: true };
}

function failureOf(error: Error): { status: number; message: string } {
  return { status: error instanceof ParleyError ? error.status : 502, message: error.message };
}

/** The events of one upstream event as one frame; an error event among them marks the frame failed. */
function toFrame(
  framing: ClientStreamFraming,
  target: Target,
  events: object[],
  meter: UsageMeter,
  cause?: Error,
): StreamFrame | undefined {
  if (events.length === 0) return undefined;
  let wire = "";
  let content = false;
  let failure: Error | undefined = cause;
  for (const event of events) {
    const error = framing.errorOf(event);
    if (error) failure ??= streamError(target, error);
    meter.fromPayload(event);
    wire += framing.encode(event);
    content ||= !framing.isPreamble(event);
  }
  return failure ? { wire, content, failure } : { wire, content };
}

function streamError(target: Target, error: { status: number; message: string }): UpstreamStreamError {
  return new UpstreamStreamError({
    status: error.status,
    message: error.message,
    retryable: isRetryableStatus(error.status, target.provider.kind),
  });
}

function asUpstreamFailure(error: unknown, target: Target): Error {
  return error instanceof ParleyError ? error : classifyTransportError(error, target.provider);
}

/** The end (exclusive) of the first complete SSE event in `text`, or -1. */
function eventEnd(text: string): number {
  const lf = text.indexOf("\n\n");
  const crlf = text.indexOf("\r\n\r\n");
  if (lf === -1) return crlf === -1 ? -1 : crlf + 4;
  return crlf === -1 || lf < crlf ? lf + 2 : crlf + 4;
}

/** The JSON payload of one SSE event block, undefined for comments and non-JSON data. */
function eventPayload(block: string): unknown {
  const data = Buffer.from(block, "latin1")
    .toString("utf8")
    .split(/\r?\n/)
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(line[5] === " " ? 6 : 5))
    .join("\n");
  if (data === "") return undefined;
  if (data === "[DONE]") return { done: true };
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** Reads an error answer and turns it into an error in the client's dialect. */
export async function statusError(
  ex: Exchange,
  target: Target,
  response: UpstreamResponse,
  redactor: Redactor,
  translate: Bridge<unknown>["translateError"] | undefined,
): Promise<UpstreamStatusError> {
  const text = await readText(response, redactor, MAX_ERROR_BODY_BYTES);
  let clientBody: string;
  if (translate) {
    const retryAfter = header(response, "retry-after");
    const options = {
      upstreamModel: target.upstreamModel ?? ex.clientModel,
      providerId: target.provider.id,
      ...(retryAfter ? { retryAfter } : {}),
    };
    clientBody = JSON.stringify(translate(response.status, text, options));
  } else if (isJson(text)) clientBody = text;
  else
    clientBody = JSON.stringify(errorBody(ex.dialect, response.status, upstreamText(text, response.status)));
  return new UpstreamStatusError({
    status: response.status,
    message: `provider "${target.provider.id}" answered ${response.status}`,
    clientBody,
    clientHeaders: translate
      ? translatedResponseHeaders(response.headers)
      : passthroughResponseHeaders(response.headers),
    retryable: isRetryableStatus(response.status, target.provider.kind),
  });
}

/** Reads an upstream body as text with the provider's secrets replaced. */
async function readText(response: UpstreamResponse, redactor: Redactor, limit?: number): Promise<string> {
  return redactor.text((await response.body.bytes(limit)).toString("utf8"));
}

/**
 * Whether a 200 body is a JSON object as far as its ends show: an HTML or plain-text page, or a
 * body cut short, is not. The client parses it anyway, so the proxy need not parse it whole.
 */
function looksLikeJsonObject(bytes: Buffer): boolean {
  const start = skipWhitespace(bytes, 0);
  const end = skipWhitespaceBack(bytes, bytes.length - 1);
  return end > start && bytes[start] === 0x7b && bytes[end] === 0x7d;
}

function header(response: UpstreamResponse, name: string): string {
  const value = response.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

function isEventStream(response: UpstreamResponse): boolean {
  return header(response, "content-type").includes("text/event-stream");
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UpstreamProtocolError({
      message: `the upstream sent ${what} that is not JSON: ${text.slice(0, 200)}`,
    });
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A readable message from a non-JSON error page (an HTML 502 from a load balancer). */
function upstreamText(text: string, status: number): string {
  const plain = pageText(text, 300);
  return `upstream error ${status}${plain ? `: ${plain}` : ""}`;
}
