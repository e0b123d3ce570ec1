// Circuit breakers of providers created through the admin API (DESIGN §4): five counted failures
// open one, then it is skipped, an all-open route gets a 503 naming who is tried again when,
// /health shows it, and after open_duration one probe closes or reopens it; 4xx and hang-ups don't count.
import { describe, expect, it } from "vitest";
import type { Dialect } from "../../../src/core/dialect-errors.js";
import type { Fault } from "../../helpers/faulty-upstream.js";
import { type AdminRig, adminRigsClosedAfterEach, answerText } from "./admin-rig.js";
import { errorMessage, expectDialectError, HEALTHY } from "./outcome-checks.js";
import { parleyHeaders } from "./sdk-call.js";

const startAdminRig = adminRigsClosedAfterEach();

/** DESIGN §4's threshold, the default every provider here keeps. */
const THRESHOLD = 5;
/** Each provider's circuit_breaker.open_duration: short, so the half-open probe comes soon. */
const OPEN_MS = 1_000;

const DIALECTS: Dialect[] = ["anthropic", "openai"];

/** Two Anthropic providers whose faults a test switches, routed alone and as a chain. */
async function breakerRig(faults: { flaky: Fault; other?: Fault }): Promise<AdminRig> {
  return startAdminRig({
    providers: [
      { id: "flaky", kind: "anthropic", script: () => faults.flaky, maxRetries: 0, breakerOpenMs: OPEN_MS },
      {
        id: "other",
        kind: "anthropic",
        script: () => faults.other ?? "ok",
        maxRetries: 0,
        breakerOpenMs: OPEN_MS,
      },
    ],
    routes: [
      { alias: "flaky-only", targets: [{ provider: "flaky" }] },
      { alias: "other-only", targets: [{ provider: "other" }] },
      { alias: "chained", targets: [{ provider: "flaky" }, { provider: "other" }] },
    ],
  });
}

/** Sends `n` requests one after another. */
async function send(rig: AdminRig, n: number, model: string, dialect: Dialect = "anthropic") {
  const outcomes = [];
  for (let i = 0; i < n; i++) outcomes.push(await rig.call({ dialect, model }));
  return outcomes;
}

describe("a provider's circuit breaker", () => {
  it(`opens after ${THRESHOLD} consecutive 5xx, and /health says so`, async () => {
    const rig = await breakerRig({ flaky: { type: "status", status: 503 } });
    const before = await send(rig, THRESHOLD - 1, "flaky-only");
    expect(before.map((o) => o.error?.status)).toEqual(Array(THRESHOLD - 1).fill(503));
    expect(await rig.breaker("flaky")).toMatchObject({
      state: "closed",
      consecutive_failures: THRESHOLD - 1,
    });
    const openedAfter = Date.now();
    await send(rig, 1, "flaky-only");
    const breaker = await rig.breaker("flaky");
    expect(breaker).toMatchObject({ state: "open", consecutive_failures: THRESHOLD });
    const openedAt = Date.parse(breaker.opened_at ?? "");
    expect(openedAt).toBeGreaterThanOrEqual(openedAfter - 5);
    expect(Date.parse(breaker.retry_at ?? "") - openedAt).toBe(OPEN_MS);
    expect(await rig.breaker("other")).toMatchObject({ state: "closed", consecutive_failures: 0 });
    expect(rig.upstreams.flaky!.attempts).toBe(THRESHOLD);
  });

  it("once open, the provider is skipped in a chain: its upstream gets nothing, the next target answers", async () => {
    const rig = await breakerRig({ flaky: { type: "status", status: 500 } });
    await send(rig, THRESHOLD, "flaky-only");
    const seen = await rig.call({ dialect: "anthropic", model: "chained", stream: true });
    expect(seen.error).toBeUndefined();
    expect(seen.text).toBe(answerText("other", 1));
    expect(parleyHeaders(seen).provider).toBe("other");
    expect(rig.upstreams.flaky!.attempts).toBe(THRESHOLD);
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it.each(DIALECTS)(
    "a route whose every provider is open gets a 503 in the %s dialect naming them and when they are tried again",
    async (dialect) => {
      const rig = await breakerRig({ flaky: { type: "status", status: 503 }, other: "reset" });
      await send(rig, THRESHOLD, "flaky-only");
      await send(rig, THRESHOLD, "other-only");
      expect((await rig.breaker("other")).state).toBe("open");
      const [flakyRetry, otherRetry] = [
        (await rig.breaker("flaky")).retry_at,
        (await rig.breaker("other")).retry_at,
      ];
      const seen = await rig.call({ dialect, model: "chained" });
      expectDialectError(seen, dialect, 503);
      expect(errorMessage(seen)).toContain(`"flaky" (tried again at ${flakyRetry})`);
      expect(errorMessage(seen)).toContain(`"other" (tried again at ${otherRetry})`);
      expect([rig.upstreams.flaky!.attempts, rig.upstreams.other!.attempts]).toEqual([THRESHOLD, THRESHOLD]);
      expect(await rig.settle()).toEqual(HEALTHY);
    },
  );

  it("after the open time one probe goes through, and its success closes the breaker", async () => {
    const faults: { flaky: Fault } = { flaky: { type: "status", status: 529 } };
    const rig = await breakerRig(faults);
    await send(rig, THRESHOLD, "flaky-only");
    const { retry_at } = await rig.breaker("flaky");
    await new Promise((resolve) => setTimeout(resolve, Date.parse(retry_at!) - Date.now() + 20));
    expect((await rig.breaker("flaky")).state).toBe("half_open");
    faults.flaky = "ok";
    const probe = await rig.call({ dialect: "openai", model: "flaky-only" });
    expect(probe.error).toBeUndefined();
    expect(probe.text).toBe(answerText("flaky", THRESHOLD + 1));
    expect(await rig.breaker("flaky")).toMatchObject({ state: "closed", consecutive_failures: 0 });
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it("a failed probe opens it again for another open time", async () => {
    const rig = await breakerRig({ flaky: { type: "status", status: 502 } });
    await send(rig, THRESHOLD, "flaky-only");
    const first = await rig.breaker("flaky");
    await new Promise((resolve) => setTimeout(resolve, Date.parse(first.retry_at!) - Date.now() + 20));
    const probe = await rig.call({ dialect: "anthropic", model: "flaky-only" });
    expect(probe.error?.status).toBe(502);
    const again = await rig.breaker("flaky");
    expect(again.state).toBe("open");
    expect(Date.parse(again.retry_at!)).toBeGreaterThan(Date.parse(first.retry_at!));
    expect(rig.upstreams.flaky!.attempts).toBe(THRESHOLD + 1);
  });

  it("connection failures count like 5xx", async () => {
    const rig = await breakerRig({ flaky: "ok" });
    await rig.upstreams.flaky!.stopListening();
    const seen = await send(rig, THRESHOLD, "flaky-only");
    expect(seen.map((o) => o.error?.status)).toEqual(Array(THRESHOLD).fill(502));
    expect(await rig.breaker("flaky")).toMatchObject({ state: "open", consecutive_failures: THRESHOLD });
  });

  it.each([400, 401, 404, 429])("%i answers do not count against the provider", async (status) => {
    const rig = await breakerRig({ flaky: { type: "status", status } });
    const seen = await send(rig, THRESHOLD + 2, "flaky-only");
    expect(seen.map((o) => o.error?.status)).toEqual(Array(THRESHOLD + 2).fill(status));
    expect(await rig.breaker("flaky")).toMatchObject({ state: "closed", consecutive_failures: 0 });
    expect(rig.upstreams.flaky!.attempts).toBe(THRESHOLD + 2);
  });

  it("clients that hang up do not count against the provider", async () => {
    const rig = await breakerRig({ flaky: "hang" });
    for (let i = 0; i < THRESHOLD + 2; i++) {
      const controller = new AbortController();
      const call = rig.call({ dialect: "anthropic", model: "flaky-only", signal: controller.signal });
      await rig.upstreams.flaky!.waitFor(() => rig.upstreams.flaky!.requests[i]?.fault === "hang");
      controller.abort();
      expect((await call).error?.name).toBe("APIUserAbortError");
    }
    expect(await rig.settle()).toEqual(HEALTHY);
    expect(await rig.breaker("flaky")).toMatchObject({ state: "closed", consecutive_failures: 0 });
  });
});
