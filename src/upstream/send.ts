// Sends one request upstream through the provider's pool and turns transport failures
// into Parley errors with stable codes (connection → 502, timeouts → 504).

import type { Dispatcher } from "undici";
import { errors as undiciErrors } from "undici";
import { UpstreamConnectionError, UpstreamTimeoutError } from "../core/errors.js";
import type { ProviderConfig } from "../routing/types.js";
import type { UpstreamPools } from "./pools.js";

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
  const base = new URL(provider.baseUrl);
  const path = `${base.pathname.replace(/\/+$/, "")}${request.path}${request.query ?? ""}`;
  const signals = [
    request.signal,
    request.stream ? undefined : AbortSignal.timeout(provider.timeouts.requestMs),
  ];
  const active = signals.filter((s): s is AbortSignal => s !== undefined);
  try {
    const response = await pools.get(provider).request({
      path,
      method: request.method ?? "POST",
      headers: request.headers,
      body: request.body ?? null,
      headersTimeout: provider.timeouts.headersMs,
      bodyTimeout: provider.timeouts.idleMs,
      signal: active.length === 0 ? undefined : active.length === 1 ? active[0] : AbortSignal.any(active),
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    throw classifyTransportError(error, provider);
  }
}

/** Maps an undici or socket failure to the Parley error it means. */
export function classifyTransportError(error: unknown, provider: ProviderConfig): Error {
  const where = `provider "${provider.id}" (${new URL(provider.baseUrl).origin})`;
  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError ||
    (error instanceof DOMException && error.name === "TimeoutError")
  ) {
    return new UpstreamTimeoutError({ message: `timed out waiting for ${where}`, cause: error });
  }
  if (error instanceof Error && error.name === "AbortError") return error;
  const code = (error as { code?: string } | undefined)?.code ?? "unknown";
  return new UpstreamConnectionError({ message: `could not reach ${where}: ${code}`, cause: error });
}
