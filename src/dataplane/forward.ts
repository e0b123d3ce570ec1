// Sends one exchange to one target and writes the answer: passthrough when client and
// provider share a dialect, translation otherwise. Failures before anything reached the
// client are thrown (so a fallback can take over); later ones end the stream in the
// client's dialect.
import { errorBody } from "../core/dialect-errors.js";
import { ParleyError, UpstreamProtocolError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { Redactor } from "../core/redaction.js";
import type { Target } from "../routing/types.js";
import { decodeSse } from "../sse/decode.js";
import { pageText } from "../translate/page-text.js";
import type { UpstreamPools } from "../upstream/pools.js";
import { redactorFor } from "../upstream/provider-secrets.js";
import { sendUpstream, type UpstreamResponse } from "../upstream/send.js";
import {
  anthropicClientBridge,
  type Bridge,
  isEndMarker,
  openaiClientBridge,
  STREAM_FRAMING,
  synthesizeStream,
  UPSTREAM_PATHS,
} from "./bridges.js";
import type { Exchange } from "./exchange.js";
import { sendJson } from "./http-io.js";
import { spliceModel } from "./model-splice.js";
import { SseWriter } from "./sse-writer.js";
import { passthroughResponseHeaders, upstreamHeaders } from "./upstream-headers.js";
import { UpstreamStatusError } from "./upstream-status-error.js";

/** What forwarding needs besides the exchange. */
export interface ForwardDeps {
  pools: UpstreamPools;
  logger: Logger;
  pingIntervalMs: number;
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

function header(response: UpstreamResponse, name: string): string {
  const value = response.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** Reads an upstream body as text with the provider's secrets replaced. */
async function readText(
  response: UpstreamResponse,
  redactor: Redactor,
  limit = Number.POSITIVE_INFINITY,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      response.body.destroy();
      break;
    }
    chunks.push(chunk);
  }
  return redactor.text(Buffer.concat(chunks).toString("utf8"));
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

/** Reads an error answer and turns it into an error in the client's dialect. */
export async function statusError(
  ex: Exchange,
  response: UpstreamResponse,
  redactor: Redactor,
  translate: ((status: number, text: string) => unknown) | undefined,
): Promise<UpstreamStatusError> {
  const text = await readText(response, redactor, MAX_ERROR_BODY_BYTES);
  let clientBody: string;
  if (translate) clientBody = JSON.stringify(translate(response.status, text));
  else if (isJson(text)) clientBody = text;
  else
    clientBody = JSON.stringify(errorBody(ex.dialect, response.status, upstreamText(text, response.status)));
  return new UpstreamStatusError({
    status: response.status,
    message: `upstream answered ${response.status}`,
    clientBody,
    clientHeaders: passthroughResponseHeaders(response.headers),
  });
}

/** A readable message from a non-JSON error page (an HTML 502 from a load balancer). */
function upstreamText(text: string, status: number): string {
  const plain = pageText(text, 300);
  return `upstream error ${status}${plain ? `: ${plain}` : ""}`;
}

function isEventStream(response: UpstreamResponse): boolean {
  return header(response, "content-type").includes("text/event-stream");
}

function newWriter(ex: Exchange, deps: ForwardDeps, extra: Record<string, string>): SseWriter {
  return new SseWriter(ex.res, {
    dialect: ex.dialect,
    headers: { ...ex.responseHeaders, ...extra },
    pingIntervalMs: deps.pingIntervalMs,
  });
}

function markFirstByte(ex: Exchange): void {
  ex.log.ttfb_ms ??= Date.now() - ex.startedAt;
}

/** Forwards to a provider of the client's own dialect: only `model` is rewritten. */
export async function forwardPassthrough(ex: Exchange, target: Target, deps: ForwardDeps): Promise<void> {
  const { provider } = target;
  const redactor = redactorFor(provider, ex.req.headers);
  const body = target.upstreamModel === null ? ex.rawBody : spliceModel(ex.rawBody, target.upstreamModel);
  const response = await sendUpstream(deps.pools, {
    provider,
    path: UPSTREAM_PATHS[provider.kind].messages,
    query: provider.kind === "anthropic" ? ex.query : "",
    headers: upstreamHeaders({
      provider,
      clientHeaders: ex.req.headers,
      passthrough: true,
      stream: ex.stream,
    }),
    body,
    signal: ex.signal,
    stream: ex.stream,
  });
  ex.log.status = response.status;
  if (response.status >= 400) throw await statusError(ex, response, redactor, undefined);
  const extra = passthroughResponseHeaders(response.headers);

  if (!ex.stream) {
    const text = await readText(response, redactor);
    markFirstByte(ex);
    if (!isJson(text)) throw new UpstreamProtocolError({ message: upstreamText(text, response.status) });
    return sendJson(ex.req, ex.res, response.status, text, { ...ex.responseHeaders, ...extra });
  }
  const writer = newWriter(ex, deps, extra);
  if (!isEventStream(response)) {
    // The upstream ignored stream:true and answered with one JSON body.
    const json = parseJson(await readText(response, redactor), "a response");
    const includeUsage =
      (ex.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    return writeEvents(ex, writer, synthesizeStream(ex.dialect, json, includeUsage));
  }
  const scrub = redactor.stream();
  try {
    for await (const upstreamChunk of response.body as AsyncIterable<Buffer>) {
      markFirstByte(ex);
      const chunk = scrub.push(upstreamChunk);
      if (!writer.write(chunk, endsAtBoundary(chunk))) await writer.drained();
    }
    writer.write(scrub.end());
    writer.end();
  } catch (error) {
    failMidStream(ex, writer, error, deps);
  }
}

function endsAtBoundary(chunk: Buffer): boolean {
  const n = chunk.length;
  return (
    n >= 2 &&
    chunk[n - 1] === 0x0a &&
    (chunk[n - 2] === 0x0a || (chunk[n - 2] === 0x0d && chunk[n - 3] === 0x0a))
  );
}

function writeEvents(ex: Exchange, writer: SseWriter, events: unknown[]): void {
  const framing = STREAM_FRAMING[ex.dialect];
  markFirstByte(ex);
  writer.write(events.map((e) => framing.encode(e)).join("") + framing.trailer);
  writer.end();
}

function failMidStream(ex: Exchange, writer: SseWriter, error: unknown, deps: ForwardDeps): void {
  if (ex.signal.aborted) {
    writer.end();
    return;
  }
  const status = error instanceof ParleyError ? error.status : 502;
  const message = error instanceof Error ? error.message : String(error);
  deps.logger.warn(
    { request_id: ex.requestId, err: message },
    "upstream stream failed after the response began",
  );
  ex.log.error_class = error instanceof ParleyError ? error.code : "stream_error";
  writer.fail(status, `the upstream stream failed: ${message}`);
}

/** The bridge for a client dialect talking to the other dialect. */
function bridgeFor(ex: Exchange): Bridge<unknown> {
  return (ex.dialect === "anthropic" ? anthropicClientBridge : openaiClientBridge) as Bridge<unknown>;
}

/** Forwards to a provider of the other dialect, translating both ways. */
export async function forwardTranslated(ex: Exchange, target: Target, deps: ForwardDeps): Promise<void> {
  const bridge = bridgeFor(ex);
  const { provider } = target;
  const redactor = redactorFor(provider, ex.req.headers);
  const prepared = bridge.prepare(ex.body, target, {
    clientModel: ex.clientModel,
    rawLength: ex.rawBody.length,
  });
  const response = await sendUpstream(deps.pools, {
    provider,
    path: UPSTREAM_PATHS[provider.kind].messages,
    headers: upstreamHeaders({
      provider,
      clientHeaders: ex.req.headers,
      passthrough: false,
      stream: ex.stream,
    }),
    body: JSON.stringify(prepared.body),
    signal: ex.signal,
    stream: ex.stream,
  });
  ex.log.status = response.status;
  if (response.status >= 400) throw await statusError(ex, response, redactor, bridge.translateError);
  const extra = passthroughResponseHeaders(response.headers);

  if (!ex.stream || !isEventStream(response)) {
    const text = await readText(response, redactor);
    markFirstByte(ex);
    const clientBody = bridge.translateResponse(parseJson(text, "a response"), prepared.ctx);
    if (!ex.stream) return sendJson(ex.req, ex.res, 200, clientBody, { ...ex.responseHeaders, ...extra });
    const includeUsage = (prepared.ctx as { includeUsage?: boolean }).includeUsage === true;
    return writeEvents(
      ex,
      newWriter(ex, deps, extra),
      synthesizeStream(ex.dialect, clientBody, includeUsage),
    );
  }

  const writer = newWriter(ex, deps, extra);
  const translator = bridge.createStream(prepared.ctx);
  const framing = STREAM_FRAMING[ex.dialect];
  /** Writes the events; resolves at once unless the client's socket is full. */
  const emit = (events: unknown[]): Promise<void> | undefined => {
    if (events.length === 0) return undefined;
    return writer.write(events.map((e) => framing.encode(e)).join("")) ? undefined : writer.drained();
  };
  try {
    for await (const event of decodeSse(response.body as AsyncIterable<Buffer>)) {
      markFirstByte(ex);
      if (isEndMarker(provider.kind, event)) break;
      let payload: unknown;
      try {
        payload = JSON.parse(redactor.text(event.data));
      } catch {
        deps.logger.debug(
          { request_id: ex.requestId, data: event.data.slice(0, 200) },
          "skipped a non-JSON event",
        );
        continue;
      }
      const full = emit(translator.push(payload));
      if (full) await full;
    }
  } catch (error) {
    if (ex.signal.aborted) return writer.end();
    deps.logger.warn(
      { request_id: ex.requestId, err: error instanceof Error ? error.message : String(error) },
      "upstream stream failed after the response began",
    );
  }
  emit(translator.end());
  if (framing.trailer) writer.write(framing.trailer);
  writer.end();
}
