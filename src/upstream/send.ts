// Sends one request upstream through the provider's pool and turns transport failures
// into Parley errors with stable codes (connection → 502, timeouts → 504).

import type { Dispatcher } from "undici";
import { errors as undiciErrors } from "undici";
import { UpstreamConnectionError, UpstreamTimeoutError } from "../core/errors.js";
import type { ProviderConfig } from "../routing/types.js";
import type { UpstreamPools } from "./pools.js";
import { providerUrl } from "./provider-url.js";

/** What to send. `path` is appended to the provider's base URL path. */
export interface UpstreamRequest {
  provider: ProviderConfig;
  path: string;
  query?: string;
  method?: "GET" | "POST";
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Aborts the upstream request (client hung up, deadline). */
  signal?: AbortSignal;
  /** Streams have no whole-request deadline; the idle timeout guards them. */
  stream: boolean;
}

/** The upstream's answer, body not yet read. */
export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData["body"];
}

/** Sends the request; rejects with UpstreamConnectionError or UpstreamTimeoutError. */
export async function sendUpstream(
  pools: UpstreamPools,
  request: UpstreamRequest,
): Promise<UpstreamResponse> {
  const { provider } = request;
  const path = `${providerUrl(provider).basePath}${request.path}${request.query ?? ""}`;
  const deadline = request.stream ? undefined : withDeadline(request.signal, provider.timeouts.requestMs);
  try {
    const response = await pools.get(provider).request({
      path,
      method: request.method ?? "POST",
      headers: request.headers,
      body: request.body ?? null,
      headersTimeout: provider.timeouts.headersMs,
      bodyTimeout: provider.timeouts.idleMs,
      signal: deadline?.signal ?? request.signal,
    });
    // The deadline covers reading the body too, so it is released only once the body is done.
    if (deadline) response.body.once("close", deadline.release);
    return { status: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    deadline?.release();
    throw classifyTransportError(error, provider);
  }
}

/**
 * A signal that aborts when `client` does, or after `ms` with the TimeoutError reason
 * AbortSignal.timeout gives. One controller and a plain timer, because AbortSignal.timeout
 * plus AbortSignal.any cost about 30 µs a request on Node 20 (weak references and a
 * finalization registry behind every signal), a tenth of the proxy's CPU per request.
 */
function withDeadline(client: AbortSignal | undefined, ms: number): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
    ms,
  );
  timer.unref();
  const onClientAbort = () => controller.abort(client?.reason);
  if (client?.aborted) onClientAbort();
  else client?.addEventListener("abort", onClientAbort, { once: true });
  return {
    signal: controller.signal,
    release() {
      clearTimeout(timer);
      client?.removeEventListener("abort", onClientAbort);
    },
  };
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
