// The drain state and the drain itself: counting, the draining flag and its listeners, the
// progress lines, and which requests a timeout names as cut.
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { DrainState, drainInFlight, type InFlightRequest } from "../../../src/dataplane/drain.js";

function request(n: number): InFlightRequest {
  return { requestId: `req-${n}`, method: "POST", path: "/v1/chat/completions", startedAt: Date.now() };
}

/** A logger whose lines the test reads back as objects. */
function capturingLogger() {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: "info" }, sink), lines };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("DrainState", () => {
  it("counts requests until each ends, and an end called twice counts once", () => {
    const state = new DrainState();
    const endA = state.begin(request(1));
    const endB = state.begin(request(2));
    expect(state.inFlight).toBe(2);
    endA();
    endA();
    expect(state.inFlight).toBe(1);
    expect(state.inFlightRequests().map((r) => r.requestId)).toEqual(["req-2"]);
    endB();
    expect(state.inFlight).toBe(0);
  });

  it("counts the same description begun twice as two requests", () => {
    const state = new DrainState();
    const same = request(1);
    const end = state.begin(same);
    state.begin(same);
    end();
    expect(state.inFlight).toBe(1);
  });

  it("resolves a drain at once when idle, and otherwise when the last request ends", async () => {
    const idle = new DrainState();
    await idle.drain();
    expect(idle.draining).toBe(true);

    const busy = new DrainState();
    const ends = [busy.begin(request(1)), busy.begin(request(2))];
    let resolved = false;
    const drained = busy.drain().then(() => {
      resolved = true;
    });
    ends[0]!();
    await sleep(5);
    expect(resolved).toBe(false);
    ends[1]!();
    await drained;
    expect(resolved).toBe(true);
  });

  it("tells each listener once when draining begins, except those that unsubscribed", () => {
    const state = new DrainState();
    const calls: string[] = [];
    state.onDraining(() => calls.push("a"));
    const unsubscribe = state.onDraining(() => calls.push("b"));
    unsubscribe();
    void state.drain();
    void state.drain();
    state.onDraining(() => calls.push("late"));
    expect(calls).toEqual(["a"]);
  });
});

describe("drainInFlight", () => {
  it("sets draining before it first waits and logs the count at once", () => {
    const state = new DrainState();
    state.begin(request(1));
    const { logger, lines } = capturingLogger();
    void drainInFlight({ state, logger, timeoutMs: 20 });
    expect(state.draining).toBe(true);
    expect(lines[0]).toMatchObject({ msg: "draining", in_flight: 1, timeout_ms: 20 });
  });

  it("logs progress every interval and how long it took once drained", async () => {
    const state = new DrainState();
    const end = state.begin(request(1));
    state.begin(request(2))();
    const { logger, lines } = capturingLogger();
    setTimeout(end, 260);
    const outcome = await drainInFlight({ state, logger, timeoutMs: 5_000, progressIntervalMs: 50 });
    expect(outcome.drained).toBe(true);
    expect(outcome.cut).toEqual([]);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(250);
    const progress = lines.filter((line) => line.msg === "draining").slice(1);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.every((line) => line.in_flight === 1 && typeof line.elapsed_ms === "number")).toBe(true);
    const last = lines.at(-1)!;
    expect(last).toMatchObject({ msg: "drained", level: 30 });
    expect(last.duration_ms).toBe(outcome.durationMs);
  });

  it("names the requests still running when the timeout comes first", async () => {
    const state = new DrainState();
    state.begin(request(1));
    const endSecond = state.begin(request(2));
    state.begin(request(3));
    endSecond();
    const { logger, lines } = capturingLogger();
    const started = Date.now();
    const outcome = await drainInFlight({ state, logger, timeoutMs: 100 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(outcome.drained).toBe(false);
    expect(outcome.cut.map((r) => r.requestId)).toEqual(["req-1", "req-3"]);
    const warning = lines.at(-1)!;
    expect(warning.level).toBe(40);
    expect(warning.msg).toMatch(/timed out/);
    expect(warning.in_flight).toBe(2);
    expect(warning.cut).toEqual([
      { request_id: "req-1", method: "POST", path: "/v1/chat/completions", age_ms: expect.any(Number) },
      { request_id: "req-3", method: "POST", path: "/v1/chat/completions", age_ms: expect.any(Number) },
    ]);
    expect(lines.some((line) => line.msg === "drained")).toBe(false);
  });

  it("names at most 100 cut requests in its line but counts them all", async () => {
    const state = new DrainState();
    for (let n = 0; n < 150; n++) state.begin(request(n));
    const { logger, lines } = capturingLogger();
    const outcome = await drainInFlight({ state, logger, timeoutMs: 0 });
    expect(outcome.cut).toHaveLength(150);
    expect(lines.at(-1)!.in_flight).toBe(150);
    expect(lines.at(-1)!.cut).toHaveLength(100);
  });
});
