// The secrets an upstream request to a provider carries, gathered once per provider
// object (snapshots are immutable): its API key and the values of credential headers.
// A provider without a key of its own forwards the client's credentials, so those are
// secrets of that one request.
import type { IncomingHttpHeaders } from "node:http";
import { isSecretHeaderName, Redactor } from "../core/redaction.js";
import type { ProviderConfig } from "../routing/types.js";

const byProvider = new WeakMap<ProviderConfig, Redactor>();

function providerSecrets(provider: ProviderConfig): string[] {
  const secrets = [provider.apiKey ?? ""];
  for (const [name, value] of Object.entries(provider.headers)) {
    if (isSecretHeaderName(name)) secrets.push(value, value.replace(/^Bearer\s+/i, ""));
  }
  return secrets;
}

function clientCredentials(headers: IncomingHttpHeaders): string[] {
  const out: string[] = [];
  for (const name of ["authorization", "x-api-key"]) {
    const value = headers[name];
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v) out.push(v, v.replace(/^Bearer\s+/i, ""));
    }
  }
  return out;
}

/** The redactor for what comes back from `provider` on a request with `clientHeaders`. */
export function redactorFor(provider: ProviderConfig, clientHeaders: IncomingHttpHeaders): Redactor {
  if (provider.apiKey === null) {
    return new Redactor([...providerSecrets(provider), ...clientCredentials(clientHeaders)]);
  }
  let redactor = byProvider.get(provider);
  if (!redactor) {
    redactor = new Redactor(providerSecrets(provider));
    byProvider.set(provider, redactor);
  }
  return redactor;
}
