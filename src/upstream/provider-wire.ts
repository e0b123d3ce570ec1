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
  openai: { messages: "/chat/completions", responses: "/responses" },
} as const;

/** The Anthropic API version sent when the client did not choose one. */
export const DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

function clientHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, never the message. */
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
];

/**
 * Client headers a passthrough request does not forward: hop-by-hop ones, the framing Parley
 * sets itself, credentials (Parley's own, or forwarded by `credentials` when the provider has
 * no key), cookies, and accept-encoding (Parley reads what comes back, so it must not be compressed).
 */
const NOT_FORWARDED_REQUEST = new Set([
  ...HOP_BY_HOP,
  "host",
  "content-length",
  "content-type",
  "accept",
  "accept-encoding",
  "authorization",
  "x-api-key",
  "cookie",
  "expect",
]);

/** Upstream response headers a passthrough answer does not carry: framing Parley sets, and cookies. */
const NOT_FORWARDED_RESPONSE = new Set([
  ...HOP_BY_HOP,
  "content-length",
  "content-encoding",
  "content-type",
  "date",
  "server",
  "set-cookie",
  "x-request-id",
]);

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
    // A same-dialect client's own headers reach the upstream (x-stainless-*, session ids,
    // Codex's originator…); translation forwards none of another dialect's headers.
    for (const name in clientHeaders) {
      const value = clientHeaders[name];
      if (value !== undefined && !NOT_FORWARDED_REQUEST.has(name)) {
        out[name] = Array.isArray(value) ? value.join(", ") : value;
      }
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

/** Every upstream response header a same-dialect client should see (request ids, rate limits…). */
export function passthroughResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !NOT_FORWARDED_RESPONSE.has(name)) {
      out[name] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  return out;
}

/** Upstream response headers worth passing to a client of another dialect (rate limits, request ids). */
export function translatedResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (
      name === "retry-after" ||
      name === "retry-after-ms" ||
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
