// The smallest real request that proves a model answers: one short user message and a
// one-token limit, in the provider's own dialect, with the provider's credentials and
// extra headers — the same paths and headers the data plane sends (upstream/provider-wire).
import type { ProviderConfig } from "../../routing/types.js";
import { credentials, DEFAULT_ANTHROPIC_VERSION, UPSTREAM_PATHS } from "../../upstream/provider-wire.js";

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
  if (provider.kind === "anthropic") headers["anthropic-version"] = DEFAULT_ANTHROPIC_VERSION;
  // A provider without a key of its own forwards the client's; a health check has no
  // client, so it goes without and the upstream's answer (usually 401) is the result.
  Object.assign(headers, credentials(provider));
  for (const [name, value] of Object.entries(provider.headers)) headers[name.toLowerCase()] = value;
  const body = JSON.stringify({
    model,
    max_tokens: 1,
    messages: [{ role: "user", content: "ping" }],
  });
  return { path: UPSTREAM_PATHS[provider.kind].messages, headers, body };
}
