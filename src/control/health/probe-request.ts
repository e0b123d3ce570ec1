// The smallest real request that proves a model answers: one short user message and a
// one-token limit, in the provider's own dialect, with the provider's credentials and
// extra headers. (The data plane builds its headers on its own; control never imports it.)
import type { ProviderConfig } from "../../routing/types.js";

/** The Anthropic API version health checks speak. */
const ANTHROPIC_VERSION = "2023-06-01";

/** Path, headers and body of the probe for one model. */
export interface ProbeRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** The probe for `model` on `provider`. */
export function probeRequest(provider: ProviderConfig, model: string): ProbeRequest {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
  };
  if (provider.kind === "anthropic") headers["anthropic-version"] = ANTHROPIC_VERSION;
  // A provider without a key of its own forwards the client's; a health check has no
  // client, so it goes without and the upstream's answer (usually 401) is the result.
  if (provider.apiKey !== null && provider.apiKey !== "") {
    if (provider.kind === "anthropic") headers["x-api-key"] = provider.apiKey;
    else headers.authorization = `Bearer ${provider.apiKey}`;
  }
  for (const [name, value] of Object.entries(provider.headers)) headers[name.toLowerCase()] = value;
  const body = JSON.stringify({
    model,
    max_tokens: 1,
    messages: [{ role: "user", content: "ping" }],
  });
  return { path: provider.kind === "anthropic" ? "/v1/messages" : "/chat/completions", headers, body };
}
