// The parts of a provider's base URL that every upstream request needs, parsed once per
// provider object (snapshots are immutable) rather than once per request.
import type { ProviderConfig } from "../routing/types.js";

/** A provider's base URL, split for the pool (origin) and the request line (path prefix). */
export interface ProviderUrl {
  origin: string;
  /** The base URL's path without its trailing slashes ("" for a host root). */
  basePath: string;
}

const parsed = new WeakMap<ProviderConfig, ProviderUrl>();

/** The provider's origin and base path. */
export function providerUrl(provider: ProviderConfig): ProviderUrl {
  let url = parsed.get(provider);
  if (!url) {
    const base = new URL(provider.baseUrl);
    url = { origin: base.origin, basePath: base.pathname.replace(/\/+$/, "") };
    parsed.set(provider, url);
  }
  return url;
}
