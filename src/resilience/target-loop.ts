// The target loop: a route's targets in order, each retried with backoff while its
// failures are retryable, skipped while its provider's breaker is open or it refuses the
// request, all within one attempt budget (DESIGN §4). It knows nothing of HTTP: an attempt
// is a function that returns a value or throws, and the caller turns the outcome into an answer.
import type { Cancellation } from "../core/cancellation.js";
import { ParleyError } from "../core/errors.js";
import type { Target } from "../routing/types.js";
import type { BreakerPolicy, BreakerRegistry } from "./circuit-breaker.js";
import { backoffMs, type RetryPolicy, retryAfterMs } from "./retry-policy.js";

/**
 * Thrown by an attempt, before anything is sent, when its target can never take this
 * request (it is over a limit of the provider's). The loop moves on to the next target
 * without counting an attempt or a breaker failure; `reason` is what the client gets when
 * no target does better.
 */
export class TargetRefusal extends Error {
  constructor(readonly reason: ParleyError) {
    super(reason.message);
    this.name = "TargetRefusal";
  }
}

/** The policies that apply to one target. */
export interface TargetPolicy {
  retry: RetryPolicy;
  breaker: BreakerPolicy;
}

/** Where an attempt stands among the attempts at its target. */
export interface AttemptContext {
  /** 0 for the first attempt at this target, 1 for its first retry… */
  retry: number;
  /** Whether no retry at this target follows if this one fails. */
  lastAtTarget: boolean;
  /** The failure of the previous attempt at this target, if any. */
  previousError: unknown;
}

/** A failed attempt, for the diagnostic log line. */
export interface AttemptFailure {
  target: Target;
  attempt: number;
  error: unknown;
  /** How long the loop waits before the next attempt at this target, or undefined if it moves on. */
  retryInMs: number | undefined;
}

/** What the loop is given. */
export interface TargetLoopOptions<T> {
  targets: readonly Target[];
  /**
   * One attempt at `target`; `attempt` counts every attempt of the request from 1 (a refused
   * one is not counted). Throws a TargetRefusal, before sending, for a target that cannot take the request.
   */
  attempt(target: Target, attempt: number, at: AttemptContext): Promise<T>;
  policyFor(target: Target): TargetPolicy;
  breakers: BreakerRegistry;
  /** No retry or fallback starts once this long has passed since `startedAt`. */
  budgetMs: number;
  startedAt: number;
  /** The client hung up: no further attempt. */
  signal: Cancellation;
  /** Each failed attempt, and each refusal (with no retry). */
  onFailure?(failure: AttemptFailure): void;
  /** Waits between attempts; a test may replace it. */
  sleep?(ms: number, signal: Cancellation): Promise<void>;
}

/** How the loop ended. */
export type TargetLoopOutcome<T> =
  | { ok: true; value: T; target: Target; attempts: number }
  | {
      ok: false;
      /**
       * The last failure; else, when no target was tried, the last refusal; undefined when
       * every target was skipped for its breaker.
       */
      error: unknown;
      target: Target | undefined;
      attempts: number;
      /** Every target was tried (or skipped, or refused the request) and failed retryably. */
      exhausted: boolean;
      /** Targets skipped because their provider's breaker was open. */
      skipped: Target[];
    };

/** Whether another attempt could succeed. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ParleyError && error.retryable;
}

/** Whether a failure says the provider is unwell (connection, timeout, 5xx), not the request. */
export function countsAgainstProvider(error: unknown): boolean {
  return error instanceof ParleyError && error.retryable && error.status >= 500;
}

function headersOf(error: unknown): Record<string, string> | undefined {
  return (error as { clientHeaders?: Record<string, string> } | null)?.clientHeaders;
}

function sleepFor(ms: number, signal: Cancellation): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Runs the attempts; resolves with the first success or with how everything failed. */
export async function runTargets<T>(options: TargetLoopOptions<T>): Promise<TargetLoopOutcome<T>> {
  const { signal, breakers } = options;
  const sleep = options.sleep ?? sleepFor;
  const overBudget = (extraMs = 0) => Date.now() + extraMs - options.startedAt >= options.budgetMs;
  const skipped: Target[] = [];
  let attempts = 0;
  let last: { error: unknown; target: Target } | undefined;
  // A provider that answered says more than one that was never asked (and its 5xx may be retried).
  let refused: { error: ParleyError; target: Target } | undefined;
  const fail = (exhausted: boolean): TargetLoopOutcome<T> => ({
    ok: false,
    error: (last ?? refused)?.error,
    target: (last ?? refused)?.target,
    attempts,
    exhausted,
    skipped,
  });

  for (const target of options.targets) {
    const policy = options.policyFor(target);
    const breaker = breakers.for(target.provider.id);
    let previousError: unknown;
    for (let retry = 0; ; retry++) {
      if (!breaker.tryAcquire(policy.breaker)) {
        skipped.push(target);
        break;
      }
      const n = attempts + 1;
      try {
        const lastAtTarget = retry >= policy.retry.maxRetries;
        const value = await options.attempt(target, n, { retry, lastAtTarget, previousError });
        breaker.recordSuccess();
        return { ok: true, value, target, attempts: n };
      } catch (error) {
        if (error instanceof TargetRefusal) {
          // Nothing was sent: no attempt to count, and a half-open probe slot goes back.
          breaker.recordNeutral();
          refused = { error: error.reason, target };
          options.onFailure?.({ target, attempt: n, error: error.reason, retryInMs: undefined });
          break;
        }
        attempts = n;
        last = { error, target };
        previousError = error;
        if (signal.aborted) breaker.recordNeutral();
        else if (countsAgainstProvider(error)) breaker.recordFailure(policy.breaker);
        else breaker.recordSuccess();
        const again = !signal.aborted && isRetryable(error) && retry < policy.retry.maxRetries;
        const wait = again
          ? (retryAfterMs(headersOf(error), policy.retry.capMs) ?? backoffMs(retry, policy.retry))
          : undefined;
        options.onFailure?.({ target, attempt: attempts, error, retryInMs: wait });
        if (signal.aborted || !isRetryable(error)) return fail(false);
        if (wait === undefined) break;
        if (overBudget(wait)) return fail(true);
        await sleep(wait, signal);
        if (signal.aborted) return fail(false);
      }
    }
    if (overBudget()) return fail(true);
  }
  return fail(true);
}
