// Retries (DESIGN §4): 5xx, 529, 429, refused connections and HTML 502s are tried again after jittered
// backoff or the upstream's retry-after (capped), then answered by the attempt that worked or with the
// last failure in the client's dialect; PARLEY_ATTEMPT_BUDGET stops new attempts; count_tokens never retries.
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { PATHS, pathsOf } from "./dialect-paths.js";
import { recordRow } from "./fault-table.js";
import {
  errorMessage,
  expectDialectError,
  gapsBetween,
  HEALTHY,
  jitterCeilingMs,
  SCHEDULING_SLACK_MS,
  UNDICI_TIMER_SLACK_MS,
} from "./outcome-checks.js";
import { rigFor } from "./rig.js";
import { parleyHeaders } from "./sdk-call.js";

describe.concurrent.each(PATHS)("$name", (path) => {
  describe.each([false, true])("stream: %s", (stream) => {
    it.for([500, 503, 529])(
      "an upstream %i twice is retried with jittered backoff and the third attempt answers",
      async (status, t) => {
        const rig = await rigFor(t, {
          path,
          script: [
            { type: "status", status },
            { type: "status", status },
          ],
          maxRetries: 2,
        });
        const seen = await rig.call({ stream });
        recordRow({
          fault: `${status} ×2 then ok`,
          path,
          stream,
          seen,
          upstreamAttempts: rig.upstream.attempts,
        });
        expect(seen.error).toBeUndefined();
        expect(seen.text).toBe("The answer from attempt 3.");
        expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "3", exhausted: null });
        expect(rig.upstream.attempts).toBe(3);
        // Full jitter: the wait before retry k is below 250 ms · 2^k.
        const gaps = gapsBetween(rig.upstream.requests);
        expect(gaps[0]).toBeLessThan(jitterCeilingMs(0) + SCHEDULING_SLACK_MS);
        expect(gaps[1]).toBeLessThan(jitterCeilingMs(1) + SCHEDULING_SLACK_MS);
        expect(seen.ms).toBeLessThan(jitterCeilingMs(0) + jitterCeilingMs(1) + SCHEDULING_SLACK_MS);
        expect(await rig.settle()).toEqual(HEALTHY);
      },
    );

    it("a refused connection is retried, then answered 502 in the client's dialect", async (t) => {
      const rig = await rigFor(t, { path, script: [], maxRetries: 1, refuse: true });
      const seen = await rig.call({ stream });
      recordRow({ fault: "connection refused", path, stream, seen, upstreamAttempts: rig.upstream.attempts });
      expectDialectError(seen, path.client, 502);
      expect(errorMessage(seen)).toBe(`could not reach provider "${path.upstream}": ECONNREFUSED`);
      expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "2", exhausted: null });
      expect(rig.upstream.attempts).toBe(0);
      expect(seen.ms).toBeLessThan(jitterCeilingMs(0) + SCHEDULING_SLACK_MS);
      expect(await rig.settle()).toEqual(HEALTHY);
    });

    it("a load balancer's HTML 502 is retried, then answered as a JSON 502 in the client's dialect", async (t) => {
      const rig = await rigFor(t, { path, script: ["html-502", "html-502"], maxRetries: 1 });
      const seen = await rig.call({ stream });
      recordRow({ fault: "HTML 502", path, stream, seen, upstreamAttempts: rig.upstream.attempts });
      expectDialectError(seen, path.client, 502);
      expect(errorMessage(seen)).toContain("502 Bad Gateway");
      expect(errorMessage(seen)).not.toContain("<");
      expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "2", exhausted: null });
      expect(rig.upstream.attempts).toBe(2);
      expect(await rig.settle()).toEqual(HEALTHY);
    });
  });

  it("a 503 on every attempt reaches the client as a 503 after 1 + PARLEY_MAX_RETRIES attempts", async (t) => {
    const rig = await rigFor(t, { path, script: () => ({ type: "status", status: 503 }), maxRetries: 2 });
    const seen = await rig.call({ stream: false });
    recordRow({ fault: "503 always", path, stream: false, seen, upstreamAttempts: rig.upstream.attempts });
    expectDialectError(seen, path.client, 503);
    expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "3", exhausted: null });
    expect(rig.upstream.attempts).toBe(3);
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it("a 429's retry-after is waited out before the next attempt", async (t) => {
    const rig = await rigFor(t, {
      path,
      script: [{ type: "status", status: 429, headers: { "retry-after": "1" } }],
      maxRetries: 1,
    });
    const seen = await rig.call({ stream: false });
    recordRow({
      fault: "429 retry-after: 1, then ok",
      path,
      stream: false,
      seen,
      upstreamAttempts: rig.upstream.attempts,
    });
    expect(seen.text).toBe("The answer from attempt 2.");
    expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "2", exhausted: null });
    const [gap] = gapsBetween(rig.upstream.requests);
    expect(gap).toBeGreaterThanOrEqual(1_000 - 5);
    expect(gap).toBeLessThan(1_000 + SCHEDULING_SLACK_MS);
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it("a 429 on every attempt reaches the client as a 429 naming the provider and when to retry", async (t) => {
    const refusal = {
      type: "status" as const,
      status: 429,
      headers: { "retry-after": "1", "retry-after-ms": "20" },
    };
    const rig = await rigFor(t, { path, script: () => refusal, maxRetries: 1 });
    const seen = await rig.call({ stream: false });
    recordRow({ fault: "429 always", path, stream: false, seen, upstreamAttempts: rig.upstream.attempts });
    expectDialectError(seen, path.client, 429);
    expect(seen.error?.name).toBe("RateLimitError");
    expect(seen.headers?.get("retry-after")).toBe("1");
    expect(rig.upstream.attempts).toBe(2);
    // Passthrough keeps the provider's own body; a translated one says who refused and when to retry.
    if (path.client !== path.upstream)
      expect(errorMessage(seen)).toMatch(
        new RegExp(`^provider ${path.upstream} refused .*; retry after 1 second\\.`),
      );
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it("retry-after-ms is preferred to retry-after, as the SDKs do", async (t) => {
    const rig = await rigFor(t, {
      path,
      script: [{ type: "status", status: 429, headers: { "retry-after": "2", "retry-after-ms": "300" } }],
      maxRetries: 1,
    });
    const seen = await rig.call({ stream: true });
    expect(seen.text).toBe("The answer from attempt 2.");
    const [gap] = gapsBetween(rig.upstream.requests);
    expect(gap).toBeGreaterThanOrEqual(300 - 5);
    expect(gap).toBeLessThan(300 + SCHEDULING_SLACK_MS);
    expect(await rig.settle()).toEqual(HEALTHY);
  });
});

describe.concurrent("retry-after cap", () => {
  it("a retry-after longer than the 8 s backoff cap is waited for 8 s, not as long as it asks", async (t) => {
    const path = PATHS[0]!;
    const rig = await rigFor(t, {
      path,
      script: [{ type: "status", status: 429, headers: { "retry-after": "120" } }],
      maxRetries: 1,
    });
    const seen = await rig.call({ stream: false });
    recordRow({
      fault: "429 retry-after: 120, then ok",
      path,
      stream: false,
      seen,
      upstreamAttempts: rig.upstream.attempts,
    });
    expect(seen.text).toBe("The answer from attempt 2.");
    const [gap] = gapsBetween(rig.upstream.requests);
    expect(gap).toBeGreaterThanOrEqual(8_000 - 5);
    expect(gap).toBeLessThan(8_000 + SCHEDULING_SLACK_MS);
    expect(await rig.settle()).toEqual(HEALTHY);
  });
});

describe.concurrent.each([pathsOf("anthropic")[0]!, pathsOf("openai")[0]!])(
  "attempt budget, $name",
  (path) => {
    it("no retry starts once PARLEY_ATTEMPT_BUDGET has passed since the request arrived", async (t) => {
      const refusal = { type: "status" as const, status: 503, headers: { "retry-after": "1" } };
      const rig = await rigFor(t, {
        path,
        script: () => refusal,
        maxRetries: 10,
        env: { PARLEY_ATTEMPT_BUDGET: "2.5" },
      });
      const seen = await rig.call({ stream: true });
      recordRow({
        fault: "503 retry-after: 1 always, budget 2.5 s",
        path,
        stream: true,
        seen,
        upstreamAttempts: rig.upstream.attempts,
      });
      expectDialectError(seen, path.client, 503);
      // Attempts at about 0, 1 and 2 s; the next would start at 3 s, past the budget.
      expect(rig.upstream.attempts).toBe(3);
      expect(parleyHeaders(seen).attempts).toBe("3");
      const first = rig.upstream.requests[0]!.arrivedAt;
      for (const r of rig.upstream.requests) expect(r.arrivedAt - first).toBeLessThan(2_500);
      expect(seen.ms).toBeLessThan(2_000 + SCHEDULING_SLACK_MS);
      expect(await rig.settle()).toEqual(HEALTHY);
    });

    it("a hanging attempt that outlasts the budget is the last one, whatever PARLEY_MAX_RETRIES says", async (t) => {
      const rig = await rigFor(t, {
        path,
        script: () => "hang",
        maxRetries: 5,
        env: { PARLEY_ATTEMPT_BUDGET: "0.3" },
      });
      const seen = await rig.call({ stream: false });
      recordRow({
        fault: "hang, budget 0.3 s",
        path,
        stream: false,
        seen,
        upstreamAttempts: rig.upstream.attempts,
      });
      expectDialectError(seen, path.client, 504);
      expect(rig.upstream.attempts).toBe(1);
      expect(parleyHeaders(seen).attempts).toBe("1");
      expect(seen.ms).toBeLessThan(500 + UNDICI_TIMER_SLACK_MS + SCHEDULING_SLACK_MS);
      expect(await rig.settle()).toEqual(HEALTHY);
    });
  },
);

describe.concurrent("count_tokens", () => {
  it("is never retried, and its answer names the provider and the attempt", async (t) => {
    const path = PATHS[0]!;
    const rig = await rigFor(t, { path, script: () => ({ type: "status", status: 503 }), maxRetries: 2 });
    const client = new Anthropic({ baseURL: rig.parley.url, apiKey: "client-key", maxRetries: 0 });
    const error = await client.messages
      .countTokens({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(503);
    expect(rig.upstream.attempts).toBe(1);
    expect(apiError.headers?.get("x-parley-provider")).toBe("anthropic");
    expect(apiError.headers?.get("x-parley-attempts")).toBe("1");
    expect(await rig.settle()).toEqual(HEALTHY);
  });
});
