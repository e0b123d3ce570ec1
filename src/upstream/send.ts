// Sends one request upstream through the provider's pool with undici's dispatch API (no
// stream or AbortSignal per request) and turns transport failures into Parley errors with
// stable codes (connection → 502, timeouts → 504).

import { type Dispatcher, errors as undiciErrors } from "undici";
import type { Cancellation } from "../core/cancellation.js";
import { UpstreamConnectionError, UpstreamTimeoutError } from "../core/errors.js";
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
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let body: UpstreamBody | undefined;
    let cancelled: Error | undefined;
    const cancel = (reason: Error) => {
      cancelled ??= reason;
      controller?.abort(reason);
    };
    const onClientAbort = () => cancel(signal?.reason as Error);
    // The whole-request deadline covers reading the body too; streams have none (the idle timeout guards them).
    const timer = request.stream
      ? undefined
      : setTimeout(
          () => cancel(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
          provider.timeouts.requestMs,
        );
    timer?.unref();
    signal?.addEventListener("abort", onClientAbort, { once: true });
    const release = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onClientAbort);
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        if (cancelled) started.abort(cancelled);
      },
      onResponseStart(_controller, status, headers) {
        body = new UpstreamBody(release);
        resolve({ status, headers, body });
      },
      onResponseData(current, chunk) {
        body?.push(current, chunk);
      },
      onResponseEnd() {
        body?.finish();
      },
      onResponseError(_controller, error) {
        if (body) {
          body.finish(error);
          return;
        }
        release();
        reject(classifyTransportError(error, provider));
      },
    };
    pools.get(provider).dispatch(
      {
        origin: providerUrl(provider).origin,
        path: `${providerUrl(provider).basePath}${request.path}${request.query ?? ""}`,
        method: request.method ?? "POST",
        headers: request.headers,
        body: request.body ?? null,
        headersTimeout: provider.timeouts.headersMs,
        bodyTimeout: provider.timeouts.idleMs,
      },
      handler,
    );
  });
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
