// The target loop with targets that refuse a request (over a limit of their provider's):
// the loop moves on to the next target without counting an attempt, retrying, or touching
// the breaker, and the client gets a refusal only when no target did better. A plain
// non-retryable error still stops the chain.
import { describe, expect, it } from "vitest";
import { InvalidRequestError, type ParleyError, UpstreamHttpError } from "../../../src/core/errors.js";
import { BreakerRegistry } from "../../../src/resilience/circuit-breaker.js";
import {
  type AttemptFailure,
  runTargets,
  type TargetLoopOptions,
  TargetRefusal,
} from "../../../src/resilience/target-loop.js";
import type { ProviderConfig, Target } from "../../../src/routing/types.js";

function target(id: string): Target {
  const provider: ProviderConfig = {
    id,
    kind: "openai",
    baseUrl: `http://${id}.test/v1`,
    apiKey: null,
    headers: {},
    timeouts: { connectMs: 1, headersMs: 1, idleMs: 1, requestMs: 1 },
    maxRetries: null,
    breaker: { failureThreshold: null, openMs: null },
    enabled: true,
    demoteNonStreaming: null,
    responsesApi: false,
    limits: { maxBodyBytes: null, maxMessages: null },
  };
  return { provider, upstreamModel: null, maxOutputTokens: null };
}

const refusal = (id: string): ParleyError =>
  new InvalidRequestError({ message: `provider "${id}" takes at most 10 messages`, param: "messages" });
const unavailable = () => new UpstreamHttpError({ message: "overloaded", status: 503 });

/** What each provider does when it is asked: answer, refuse, or fail with an error. */
type Behaviour = "answer" | "refuse" | (() => Error);

interface Run {
  calls: Array<{ provider: string; attempt: number }>;
  failures: AttemptFailure[];
  options: TargetLoopOptions<string>;
}

function run(
  behaviours: Record<string, Behaviour>,
  overrides: { maxRetries?: number; breakers?: BreakerRegistry; failureThreshold?: number } = {},
): Run {
  const calls: Run["calls"] = [];
  const failures: AttemptFailure[] = [];
  const options: TargetLoopOptions<string> = {
    targets: Object.keys(behaviours).map(target),
    policyFor: () => ({
      retry: { maxRetries: overrides.maxRetries ?? 2, baseMs: 0, capMs: 0 },
      breaker: { failureThreshold: overrides.failureThreshold ?? 5, openMs: 0 },
    }),
    breakers: overrides.breakers ?? new BreakerRegistry(),
    budgetMs: 60_000,
    startedAt: Date.now(),
    signal: new AbortController().signal,
    sleep: async () => {},
    onFailure: (failure) => failures.push(failure),
    attempt: async (t, attempt) => {
      calls.push({ provider: t.provider.id, attempt });
      const behaviour = behaviours[t.provider.id];
      if (behaviour === "refuse") throw new TargetRefusal(refusal(t.provider.id));
      if (behaviour === "answer" || behaviour === undefined) return `answer from ${t.provider.id}`;
      throw behaviour();
    },
  };
  return { calls, failures, options };
}

describe("a target that refuses the request", () => {
  it("is skipped for the next target, which counts as the first attempt", async () => {
    const r = run({ small: "refuse", big: "answer" });
    const outcome = await runTargets(r.options);
    expect(outcome).toMatchObject({ ok: true, value: "answer from big", attempts: 1 });
    expect(outcome.ok && outcome.target.provider.id).toBe("big");
    expect(r.calls).toEqual([
      { provider: "small", attempt: 1 },
      { provider: "big", attempt: 1 },
    ]);
  });

  it("is not retried, however many retries its policy allows", async () => {
    const r = run({ small: "refuse", big: "answer" }, { maxRetries: 5 });
    await runTargets(r.options);
    expect(r.calls.filter((c) => c.provider === "small")).toHaveLength(1);
  });

  it("is reported to onFailure with its reason and no retry", async () => {
    const r = run({ small: "refuse", big: "answer" });
    await runTargets(r.options);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({ attempt: 1, retryInMs: undefined });
    expect(r.failures[0]?.target.provider.id).toBe("small");
    expect(r.failures[0]?.error).toBeInstanceOf(InvalidRequestError);
  });

  it("when every target refuses, ends with the last refusal and no attempt", async () => {
    const outcome = await runTargets(run({ small: "refuse", smaller: "refuse" }).options);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBeInstanceOf(InvalidRequestError);
    expect((outcome.error as Error).message).toContain('provider "smaller"');
    expect(outcome.target?.provider.id).toBe("smaller");
    expect(outcome).toMatchObject({ attempts: 0, exhausted: true, skipped: [] });
  });

  it("never hides a real failure: an upstream's 503 wins over a later refusal", async () => {
    const outcome = await runTargets(run({ big: unavailable, small: "refuse" }, { maxRetries: 0 }).options);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBeInstanceOf(UpstreamHttpError);
    expect(outcome.target?.provider.id).toBe("big");
    expect(outcome).toMatchObject({ attempts: 1, exhausted: true });
  });

  it("leaves its breaker alone: no failure is counted", async () => {
    const breakers = new BreakerRegistry();
    for (let i = 0; i < 3; i++) {
      await runTargets(run({ small: "refuse", big: "answer" }, { breakers, failureThreshold: 1 }).options);
    }
    expect(breakers.for("small").status({ failureThreshold: 1, openMs: 60_000 })).toMatchObject({
      state: "closed",
      consecutiveFailures: 0,
    });
  });

  it("hands a half-open probe back, so the next request may still probe the provider", async () => {
    const breakers = new BreakerRegistry();
    // One 503 opens the breaker (threshold 1); with openMs 0 the next request is a probe.
    await runTargets(run({ small: unavailable }, { breakers, failureThreshold: 1, maxRetries: 0 }).options);
    await runTargets(run({ small: "refuse", big: "answer" }, { breakers, failureThreshold: 1 }).options);
    const probe = run({ small: "answer" }, { breakers, failureThreshold: 1 });
    const outcome = await runTargets(probe.options);
    expect(outcome.ok && outcome.value).toBe("answer from small");
  });
});

describe("a plain non-retryable error", () => {
  it("still stops the chain: only a TargetRefusal moves on", async () => {
    const r = run({ small: () => refusal("small"), big: "answer" });
    const outcome = await runTargets(r.options);
    expect(outcome).toMatchObject({ ok: false, attempts: 1, exhausted: false });
    expect(r.calls.map((c) => c.provider)).toEqual(["small"]);
  });
});
