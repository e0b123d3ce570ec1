// A provider's wire details, shared by the data plane and the health probes: the API paths
// of each kind, and the headers sent upstream — the provider's credentials (or, for a
// provider without a key of its own, the client's, unchanged), the dialect headers a
// passthrough client chose (anthropic-version, anthropic-beta, openai-*), and the
// provider's extra headers.
import type { IncomingHttpHeaders } from "node:http";
import type { ProviderConfig } from "../routing/types.js";

/** Upstream API paths, relative to a provider's base URL. */
export const UPSTREAM_PATHS = {
  anthropic: { messages: "/v1/messages", countTokens: "/v1/messages/count_tokens" },
  openai: { messages: "/chat/completions" },
} as const;

/** The Anthropic API version sent when the client did not choose one. */
export const DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

function clientHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Headers for a request to `provider` on behalf of a client that sent `clientHeaders`. */
export function upstreamHeaders(options: {
  provider: ProviderConfig;
  clientHeaders: IncomingHttpHeaders;
  /** True when client and provider speak the same dialect. */
  passthrough: boolean;
  stream: boolean;
}): Record<string, string> {
  const { provider, clientHeaders, passthrough } = options;
  const out: Record<string, string> = {
    "content-type": "application/json",
    accept: options.stream ? "text/event-stream" : "application/json",
  };
  if (passthrough) {
    const prefix = provider.kind === "anthropic" ? "anthropic-" : "openai-";
    for (const [name, value] of Object.entries(clientHeaders)) {
      if (name.startsWith(prefix) && value !== undefined)
        out[name] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  if (provider.kind === "anthropic") out["anthropic-version"] ??= DEFAULT_ANTHROPIC_VERSION;
  Object.assign(out, credentials(provider, clientHeaders));
  for (const [name, value] of Object.entries(provider.headers)) out[name.toLowerCase()] = value;
  return out;
}

/** The credential headers for `provider`: its own key, else the client's credentials. */
export function credentials(
  provider: ProviderConfig,
  clientHeaders: IncomingHttpHeaders = {},
): Record<string, string> {
  if (provider.apiKey) {
    return provider.kind === "anthropic"
      ? { "x-api-key": provider.apiKey }
      : { authorization: `Bearer ${provider.apiKey}` };
  }
  const authorization = clientHeader(clientHeaders, "authorization");
  const apiKey = clientHeader(clientHeaders, "x-api-key");
  if (provider.kind === "anthropic") {
    return { ...(apiKey ? { "x-api-key": apiKey } : {}), ...(authorization ? { authorization } : {}) };
  }
  if (authorization) return { authorization };
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

/** Upstream response headers worth passing to the client (rate limits, request ids). */
export function passthroughResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (
      name === "retry-after" ||
      name === "request-id" ||
      name.startsWith("anthropic-ratelimit-") ||
      name.startsWith("x-ratelimit-") ||
      name === "openai-processing-ms"
    ) {
      out[name] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  return out;
}
