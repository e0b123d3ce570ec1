// What the admin API may read of the data plane's live state: the circuit breaker of each
// provider. The control plane never imports the resilience layer; the composition root
// adapts its breaker registry to this reader.

/** A provider's circuit breaker as the admin API reports it (times in ms since the epoch). */
export interface BreakerStatusView {
  readonly state: "closed" | "open" | "half_open";
  readonly consecutiveFailures: number;
  /** When it last opened, or null if it never has. */
  readonly openedAt: number | null;
  /** When an open breaker lets a probe through, or null. */
  readonly retryAt: number | null;
}

/** Reads a provider's breaker by id; undefined means it has seen no traffic yet (closed). */
export type ProviderStatusReader = (providerId: string) => BreakerStatusView | undefined;
