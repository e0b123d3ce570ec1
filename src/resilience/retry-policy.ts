// When to try a target again: exponential backoff with full jitter, or what the upstream
// asked for in `retry-after` / `retry-after-ms`, capped so one answer cannot park a request.

/** How a target is retried. */
export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  baseMs: number;
  capMs: number;
}

/** Full jitter: a uniform wait in [0, min(cap, base·2^retry)) (AWS's "exponential backoff and jitter"). */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** The wait an upstream asked for, in ms, or undefined; never more than `capMs`. */
export function retryAfterMs(
  headers: Readonly<Record<string, string>> | undefined,
  capMs: number,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers["retry-after-ms"]);
  if (headers["retry-after-ms"] !== undefined && Number.isFinite(ms) && ms >= 0) return Math.min(ms, capMs);
  const raw = headers["retry-after"];
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, capMs);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now), capMs);
}
