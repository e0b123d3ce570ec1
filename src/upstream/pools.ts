// Keep-alive connection pools, one per provider origin, reused by every request. Pools
// of providers that left the config are closed gracefully (in-flight requests finish).
import { Pool } from "undici";
import type { ProviderConfig } from "../routing/types.js";
import { providerUrl } from "./provider-url.js";

function poolKey(provider: ProviderConfig): string {
  return `${provider.id}|${providerUrl(provider).origin}|${provider.timeouts.connectMs}`;
}

/** Pools keyed by provider id, origin and connect timeout. */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();

  /** The pool for a provider, created on first use. */
  get(provider: ProviderConfig): Pool {
    const key = poolKey(provider);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Pool(providerUrl(provider).origin, {
        // Each open stream holds a connection for its whole life, so this bounds concurrent
        // streams per provider: well above what one process serves (the bench holds 2,000
        // streams open), low enough to stop a runaway from exhausting file descriptors. The
        // provider's own rate limits (429) are the real bound.
        connections: 8192,
        pipelining: 1,
        // Upstreams commonly close idle sockets after 5-60 s; reusing one that is about to
        // close costs a failed request, so keep idle sockets a little shorter than that.
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 30_000,
        connect: { timeout: provider.timeouts.connectMs },
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Closes pools whose provider is not among `keep`. */
  retain(keep: Iterable<ProviderConfig>): void {
    const live = new Set<string>();
    for (const p of keep) live.add(poolKey(p));
    for (const [key, pool] of this.pools) {
      if (!live.has(key)) {
        this.pools.delete(key);
        void pool.close().catch(() => {});
      }
    }
  }

  /** Closes every pool, waiting for requests in flight. */
  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(all.map((p) => p.close()));
  }
}
