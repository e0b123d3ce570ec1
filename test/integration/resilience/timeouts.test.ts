// Upstream deadlines (DESIGN §4): connect, response headers, the idle gap between body bytes and the whole
// non-streaming request each end in a 504 within the bound plus undici's timer tick, with a log line naming
// the deadline; a stream is bounded by its silences, never by its length.
import { describe, expect, it } from "vitest";
import { PATHS } from "./dialect-paths.js";
import { recordRow } from "./fault-table.js";
import {
  errorMessage,
  expectDialectError,
  HEALTHY,
  SCHEDULING_SLACK_MS,
  UNDICI_TIMER_SLACK_MS,
} from "./outcome-checks.js";
import { type Rig, rigFor } from "./rig.js";
import { parleyHeaders } from "./sdk-call.js";

/**
 * Undici fires its connect, headers and idle deadlines on a ~1 s tick while the whole-request one
 * is a plain timer: a test of one of the former keeps the latter out of its way.
 */
const NO_REQUEST_DEADLINE = { PARLEY_REQUEST_TIMEOUT: "5" };

/** The `timeout` field of Parley's "forward failed" lines, one per failed attempt. */
function timeoutsLogged(rig: Rig): unknown[] {
  return rig.logs.filter((line) => line.msg === "forward failed").map((line) => line.timeout);
}

describe.concurrent.each(PATHS)("$name", (path) => {
  describe.each([false, true])("stream: %s", (stream) => {
    it("an upstream that never accepts the connection is cut at the connect deadline: 504, retried", async (t) => {
      const rig = await rigFor(t, {
        path,
        script: [],
        maxRetries: 1,
        blackhole: true,
        env: NO_REQUEST_DEADLINE,
      });
      const seen = await rig.call({ stream });
      recordRow({ fault: "connect timeout", path, stream, seen, upstreamAttempts: 0 });
      expectDialectError(seen, path.client, 504);
      expect(errorMessage(seen)).toBe(
        `provider "${path.upstream}": connect timeout after 0.5 s (PARLEY_CONNECT_TIMEOUT or the provider's own setting)`,
      );
      expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "2", exhausted: null });
      expect(seen.ms).toBeGreaterThanOrEqual(2 * 500 - 5);
      expect(seen.ms).toBeLessThan(2 * (500 + UNDICI_TIMER_SLACK_MS) + 250 + SCHEDULING_SLACK_MS);
      expect(timeoutsLogged(rig)).toEqual(["connect", "connect"]);
      expect(await rig.settle()).toEqual(HEALTHY);
    });

    it("an upstream that never answers is cut at the response-headers deadline: 504", async (t) => {
      const rig = await rigFor(t, { path, script: () => "hang", maxRetries: 0, env: NO_REQUEST_DEADLINE });
      const seen = await rig.call({ stream });
      recordRow({
        fault: "accept, never answer",
        path,
        stream,
        seen,
        upstreamAttempts: rig.upstream.attempts,
      });
      expectDialectError(seen, path.client, 504);
      expect(errorMessage(seen)).toBe(
        `provider "${path.upstream}": response headers timeout after 0.5 s (PARLEY_HEADERS_TIMEOUT or the provider's own setting)`,
      );
      expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "1", exhausted: null });
      expect(seen.ms).toBeGreaterThanOrEqual(500 - 5);
      expect(seen.ms).toBeLessThan(500 + UNDICI_TIMER_SLACK_MS + SCHEDULING_SLACK_MS);
      // Parley gave up on the upstream request rather than leaving it open.
      await rig.upstream.whenIdle();
      expect(rig.upstream.requests.map((r) => r.outcome)).toEqual(["aborted"]);
      expect(timeoutsLogged(rig)).toEqual(["response headers"]);
      expect(await rig.settle()).toEqual(HEALTHY);
    });

    it("an upstream that sends headers and then nothing is cut at the idle deadline, and retried", async (t) => {
      // A commit deadline past both attempts: the failures come before anything was sent.
      const rig = await rigFor(t, {
        path,
        script: () => "headers-then-stall",
        maxRetries: 1,
        env: { PARLEY_COMMIT_DEADLINE: "10", ...NO_REQUEST_DEADLINE },
      });
      const seen = await rig.call({ stream });
      recordRow({
        fault: "headers, then stall",
        path,
        stream,
        seen,
        upstreamAttempts: rig.upstream.attempts,
      });
      expectDialectError(seen, path.client, 504);
      expect(errorMessage(seen)).toBe(
        `provider "${path.upstream}": stream idle timeout after 0.5 s (PARLEY_STREAM_IDLE_TIMEOUT or the provider's own setting)`,
      );
      expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "2", exhausted: null });
      expect(rig.upstream.attempts).toBe(2);
      expect(seen.ms).toBeLessThan(2 * (500 + UNDICI_TIMER_SLACK_MS) + 250 + SCHEDULING_SLACK_MS);
      expect(timeoutsLogged(rig)).toEqual(["stream idle", "stream idle"]);
      expect(await rig.settle()).toEqual(HEALTHY);
    });
  });

  it("a non-streaming answer that trickles past PARLEY_REQUEST_TIMEOUT is cut at it: 504", async (t) => {
    // The body's first third comes at once and the rest after 3 s: never idle for the 5 s idle
    // deadline, but longer than the whole-request deadline of 1 s.
    const rig = await rigFor(t, {
      path,
      script: () => ({ type: "slow-first-token", delayMs: 3_000 }),
      maxRetries: 0,
      env: { PARLEY_STREAM_IDLE_TIMEOUT: "5", PARLEY_HEADERS_TIMEOUT: "5" },
    });
    const seen = await rig.call({ stream: false });
    recordRow({
      fault: "body slower than the request timeout",
      path,
      stream: false,
      seen,
      upstreamAttempts: rig.upstream.attempts,
    });
    expectDialectError(seen, path.client, 504);
    expect(errorMessage(seen)).toBe(
      `provider "${path.upstream}": the whole request took longer than 1 s (PARLEY_REQUEST_TIMEOUT or the provider's own setting)`,
    );
    expect(seen.ms).toBeGreaterThanOrEqual(1_000 - 5);
    expect(seen.ms).toBeLessThan(1_000 + SCHEDULING_SLACK_MS);
    await rig.upstream.whenIdle();
    expect(rig.upstream.requests.map((r) => r.outcome)).toEqual(["aborted"]);
    expect(timeoutsLogged(rig)).toEqual(["request"]);
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it("a stream longer than PARLEY_REQUEST_TIMEOUT is not cut by it", async (t) => {
    const rig = await rigFor(t, {
      path,
      script: () => ({ type: "slow-first-token", delayMs: 1_500 }),
      maxRetries: 0,
      env: { PARLEY_STREAM_IDLE_TIMEOUT: "5", PARLEY_COMMIT_DEADLINE: "5" },
    });
    const seen = await rig.call({ stream: true });
    expect(seen.error).toBeUndefined();
    expect(seen.text).toBe("The answer from attempt 1.");
    expect(seen.ms).toBeGreaterThanOrEqual(1_500 - 5);
    expect(await rig.settle()).toEqual(HEALTHY);
  });
});
