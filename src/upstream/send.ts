// Sends one request upstream through the provider's pool with undici's dispatch API (no
// stream or AbortSignal per request) and turns transport failures into Parley errors with
// stable codes (connection → 502, timeouts → 504).

import { type Dispatcher, errors as undiciErrors } from "undici";
import { requestBodies } from "../core/body-buffers.js";
import type { Cancellation } from "../core/cancellation.js";
import { UpstreamConnectionError, UpstreamTimeoutError } from "../core/errors.js";
import { ownedBytes } from "../core/owned-bytes.js";
import type { ProviderConfig } from "../routing/types.js";
import type { UpstreamPools } from "./pools.js";
import { providerUrl } from "./provider-url.js";
import { UpstreamBody } from "./upstream-body.js";

/** What to send. `path` is appended to the provider's base URL path. */
export interface UpstreamRequest {
  provider: ProviderConfig;
  path: string;
  query?: string;
  method?: "GET" | "POST";
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Aborts the upstream request (client hung up, deadline). */
  signal?: Cancellation;
  /** Streams have no whole-request deadline; the idle timeout guards them. */
  stream: boolean;
}

/** The upstream's answer, body not yet read. */
export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: UpstreamBody;
}

/** Sends the request; rejects with UpstreamConnectionError or UpstreamTimeoutError. */
export function sendUpstream(pools: UpstreamPools, request: UpstreamRequest): Promise<UpstreamResponse> {
  const { provider, signal } = request;
  if (signal?.aborted) return Promise.reject(classifyTransportError(signal.reason, provider));
  // A socket may still be writing this body after the request has moved on: its memory must
  // never be lent to another body.
  if (Buffer.isBuffer(request.body)) requestBodies.forget(request.body);
  return new Promise((resolve, reject) => {
    const url = providerUrl(provider);
    pools.get(provider).dispatch(
      {
        origin: url.origin,
        path: `${url.basePath}${request.path}${request.query ?? ""}`,
        method: request.method ?? "POST",
        headers: request.headers,
        // undici keeps the body until the response ends: for a stream, as long as it is open.
        body: request.body === undefined ? null : request.stream ? ownedBytes(request.body) : request.body,
        headersTimeout: provider.timeouts.headersMs,
        bodyTimeout: provider.timeouts.idleMs,
      },
      new UpstreamExchange(request, resolve, reject),
    );
  });
}

/**
 * One request's dispatch handler, its deadline and its cancellation: a single object with
 * its methods on the prototype, where closures for each would be a dozen allocations a request.
 */
class UpstreamExchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private body: UpstreamBody | undefined;
  private cancelled: Error | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly provider: ProviderConfig;
  private readonly signal: Cancellation | undefined;
  private readonly release = (): void => {
    clearTimeout(this.timer);
    this.signal?.removeEventListener("abort", this.onClientAbort);
  };
  private readonly onClientAbort = (): void => this.cancel(this.signal?.reason as Error);

  constructor(
    request: UpstreamRequest,
    private readonly resolve: (response: UpstreamResponse) => void,
    private readonly reject: (error: Error) => void,
  ) {
    // Not the request itself: a stream's handler lives as long as the stream.
    this.provider = request.provider;
    this.signal = request.signal;
    // The whole-request deadline covers reading the body too; streams have none (the idle timeout guards them).
    if (!request.stream) {
      this.timer = setTimeout(onDeadline, request.provider.timeouts.requestMs, this);
      this.timer.unref();
    }
    request.signal?.addEventListener("abort", this.onClientAbort, { once: true });
  }

  cancel(reason: Error): void {
    this.cancelled ??= reason;
    this.controller?.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.cancelled) controller.abort(this.cancelled);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    status: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // undici keeps the raw header list on the controller for a handler that wants it; with the
    // headers parsed, it would only hold a dozen Buffers and the socket read behind them for
    // as long as the stream stays open (about 2 KB of an open stream's heap).
    controller.rawHeaders = null;
    this.body = new UpstreamBody(this.release);
    this.resolve({ status, headers, body: this.body });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.body?.push(controller, chunk);
  }

  onResponseEnd(): void {
    this.body?.finish();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.body) {
      this.body.finish(error);
      return;
    }
    this.release();
    this.reject(classifyTransportError(error, this.provider));
  }
}

function onDeadline(exchange: UpstreamExchange): void {
  exchange.cancel(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
}

/** Which deadline ran out, named as the variable that sets its default. */
const TIMEOUTS = [
  { error: undiciErrors.ConnectTimeoutError, what: "connect", variable: "PARLEY_CONNECT_TIMEOUT" },
  { error: undiciErrors.HeadersTimeoutError, what: "response headers", variable: "PARLEY_HEADERS_TIMEOUT" },
  { error: undiciErrors.BodyTimeoutError, what: "stream idle", variable: "PARLEY_STREAM_IDLE_TIMEOUT" },
] as const;

/** Maps an undici or socket failure to the Parley error it means. */
export function classifyTransportError(error: unknown, provider: ProviderConfig): Error {
  // Client-visible text names the provider by id only: its address is the operator's business.
  const where = `provider "${provider.id}"`;
  const ms = provider.timeouts;
  for (const t of TIMEOUTS) {
    if (error instanceof t.error) {
      const limit =
        t.what === "connect" ? ms.connectMs : t.what === "response headers" ? ms.headersMs : ms.idleMs;
      return new UpstreamTimeoutError({
        message: `${where}: ${t.what} timeout after ${limit / 1000} s (${t.variable} or the provider's own setting)`,
        cause: error,
        timeout: t.what,
      });
    }
  }
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return new UpstreamTimeoutError({
      message: `${where}: the whole request took longer than ${ms.requestMs / 1000} s (PARLEY_REQUEST_TIMEOUT or the provider's own setting)`,
      cause: error,
      timeout: "request",
    });
  }
  if (error instanceof Error && error.name === "AbortError") return error;
  const code = (error as { code?: string } | undefined)?.code ?? "unknown";
  return new UpstreamConnectionError({ message: `could not reach ${where}: ${code}`, cause: error });
}
