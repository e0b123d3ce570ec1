// Checks every resilience test makes of what a client saw and what the upstream counted: the
// error is well formed in the client's own dialect, the proxy is healthy afterwards, and the
// gaps between attempts fit the backoff. Failures name the values, not just "expected true".
import { expect } from "vitest";
import type { Dialect } from "../../../src/core/dialect-errors.js";
import type { FaultyRequest } from "../../helpers/faulty-upstream.js";
import type { Health } from "./rig.js";
import type { SdkOutcome } from "./sdk-call.js";

/** How a proxy looks when nothing leaked. */
export const HEALTHY: Health = { inFlight: 0, upstreamInProgress: 0, armedTimers: [] };

/** Undici checks response-header and body deadlines on a ~1 s tick (its "fast timers"), so each fires up to 1 s late. */
export const UNDICI_TIMER_SLACK_MS = 1_000;

/** Headroom for a shared 2-core CI machine on top of any bound a test computes. */
export const SCHEDULING_SLACK_MS = 750;

/** Asserts the SDK raised an error answer with `status`, its body well formed in the client's dialect. */
export function expectDialectError(seen: SdkOutcome, dialect: Dialect, status: number): void {
  expect(seen.hung, "the call hung").toBe(false);
  expect(seen.error, `expected a ${status}, got text ${JSON.stringify(seen.text)}`).toBeDefined();
  expect(seen.error?.status).toBe(status);
  expect(seen.headers?.get("content-type")).toMatch(/^application\/json/);
  if (dialect === "anthropic")
    expect(seen.error?.body).toMatchObject({
      type: "error",
      error: { type: expect.any(String), message: expect.any(String) },
    });
  // The OpenAI SDK keeps the inner `error` object of `{"error":{...}}`.
  else expect(seen.error?.body).toMatchObject({ message: expect.any(String), type: expect.any(String) });
}

/** Asserts a stream failed after it began: a 200, then an error the SDK raised mid-stream. */
export function expectLateStreamError(seen: SdkOutcome): void {
  expect(seen.hung, "the stream hung").toBe(false);
  expect(seen.status).toBe(200);
  expect(seen.error, `expected an error, the SDK returned ${JSON.stringify(seen.text)}`).toBeDefined();
  expect(seen.error?.name).toBe("APIError");
  expect(seen.error?.status).toBeUndefined();
}

/** The message inside a dialect error body (Anthropic `error.message`, OpenAI `message`). */
export function errorMessage(seen: SdkOutcome): string {
  const body = seen.error?.body as { message?: string; error?: { message?: string } } | undefined;
  return body?.error?.message ?? body?.message ?? "";
}

/** Milliseconds between the arrivals of consecutive upstream attempts. */
export function gapsBetween(requests: readonly FaultyRequest[]): number[] {
  return requests.slice(1).map((r, i) => r.arrivedAt - (requests[i]?.arrivedAt ?? 0));
}

/** The full-jitter ceiling of retry k (DESIGN §4: base 250 ms, cap 8 s). */
export function jitterCeilingMs(retry: number): number {
  return Math.min(8_000, 250 * 2 ** retry);
}
