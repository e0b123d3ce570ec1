// Every resilience default in one place, each with the reason for its value (DESIGN §4).
// Env variables and per-provider settings override them; nothing else hard-codes one.

/** The resilience defaults. */
export const RESILIENCE_DEFAULTS = {
  /** Attempts after the first at one target: two more ride out a blip without tripling load for long. */
  maxRetries: 2,
  /** First backoff step; full jitter spreads clients so their retries do not arrive together. */
  backoffBaseMs: 250,
  /** Largest backoff, and the most a `retry-after` may make Parley wait before the next attempt. */
  backoffCapMs: 8_000,
  /** No retry or fallback starts this long after the request arrived: the client is waiting. */
  attemptBudgetMs: 120_000,
  /** Until the first content event or this long, nothing reaches the client (status line included). */
  commitDeadlineMs: 10_000,
  /** Consecutive failures that open a provider's breaker: enough not to trip on one bad minute's noise. */
  breakerFailureThreshold: 5,
  /** How long an open breaker keeps a provider out before one probe may try it. */
  breakerOpenMs: 30_000,
} as const;
