// The commit point (DESIGN §4): nothing, status line included, reaches the client before the first
// content event or PARLEY_COMMIT_DEADLINE; at the deadline the status line and a ping go out, pings
// repeat until content, and a later failure is an error event, never a retry. 0 commits at once.
import { describe, expect, it } from "vitest";
import type { Dialect } from "../../../src/core/dialect-errors.js";
import { PATHS } from "./dialect-paths.js";
import { recordRow } from "./fault-table.js";
import {
  errorMessage,
  expectLateStreamError,
  HEALTHY,
  SCHEDULING_SLACK_MS,
  UNDICI_TIMER_SLACK_MS,
} from "./outcome-checks.js";
import { rigFor } from "./rig.js";
import { parleyHeaders } from "./sdk-call.js";
import { type WireOutcome, wireEvents } from "./wire-call.js";

/** When the first chunk carrying content arrived, in ms since the request was sent. */
function firstContentAt(dialect: Dialect, wire: WireOutcome): number | undefined {
  const marker = dialect === "anthropic" ? '"type":"text_delta"' : '"delta":{"content":"';
  let text = "";
  for (const chunk of wire.chunks) {
    text += chunk.text;
    if (text.includes(marker)) return chunk.at;
  }
  return undefined;
}

/** The keep-alives a stream carried before its first content. */
function pingsBeforeContent(dialect: Dialect, wire: WireOutcome): number {
  const events = wireEvents(dialect, wire.text);
  const [ping, content] = dialect === "anthropic" ? ["ping", "content_block_start"] : ["comment", "content"];
  const end = events.indexOf(content);
  return events.slice(0, end === -1 ? undefined : end).filter((e) => e === ping).length;
}

describe.concurrent.each(PATHS)("$name", (path) => {
  it("the status line is held with the preamble until the first content arrives", async (t) => {
    const rig = await rigFor(t, {
      path,
      script: [{ type: "slow-first-token", delayMs: 600 }],
      maxRetries: 0,
      env: { PARLEY_STREAM_IDLE_TIMEOUT: "5" },
    });
    const wire = await rig.wire({ stream: true });
    expect(wire.status).toBe(200);
    expect(wire.headersAt).toBeGreaterThanOrEqual(600 - 5);
    // The held preamble and the first content leave together.
    expect(firstContentAt(path.client, wire)! - wire.headersAt!).toBeLessThan(100);
    expect(pingsBeforeContent(path.client, wire)).toBe(0);
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it("a first token slower than the deadline gets the status line and a ping at it, pings until content, and completes", async (t) => {
    const rig = await rigFor(t, {
      path,
      script: () => ({ type: "slow-first-token", delayMs: 1_800 }),
      maxRetries: 0,
      env: { PARLEY_STREAM_IDLE_TIMEOUT: "5", PARLEY_PING_INTERVAL: "0.2" },
    });
    const wire = await rig.wire({ stream: true });
    expect(wire.status).toBe(200);
    expect(wire.headersAt).toBeGreaterThanOrEqual(1_000 - 5);
    expect(wire.headersAt).toBeLessThan(1_000 + SCHEDULING_SLACK_MS);
    expect(wire.chunks[0]!.at - wire.headersAt!).toBeLessThan(100);
    // One ping at the deadline, then one per 0.2 s of silence until content at 1.8 s.
    expect(pingsBeforeContent(path.client, wire)).toBeGreaterThanOrEqual(3);
    expect(firstContentAt(path.client, wire)).toBeGreaterThanOrEqual(1_800 - 5);
    expect(wire.error).toBeUndefined();

    const seen = await rig.call({ stream: true });
    recordRow({
      fault: "slow first token (1.8 s > 1 s deadline)",
      path,
      stream: true,
      seen,
      upstreamAttempts: rig.upstream.attempts,
    });
    expect(seen.error).toBeUndefined();
    expect(seen.text).toBe("The answer from attempt 2.");
    expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "1", exhausted: null });
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it("PARLEY_COMMIT_DEADLINE=0 sends the status line before any content", async (t) => {
    const rig = await rigFor(t, {
      path,
      script: [{ type: "slow-first-token", delayMs: 800 }],
      maxRetries: 0,
      env: { PARLEY_STREAM_IDLE_TIMEOUT: "5", PARLEY_COMMIT_DEADLINE: "0" },
    });
    const wire = await rig.wire({ stream: true });
    expect(wire.status).toBe(200);
    expect(wire.headersAt).toBeLessThan(400);
    expect(firstContentAt(path.client, wire)).toBeGreaterThanOrEqual(800 - 5);
    expect(wire.error).toBeUndefined();
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it("after the deadline a failure is an error event in the stream, not a retry", async (t) => {
    const rig = await rigFor(t, {
      path,
      script: () => "headers-then-stall",
      maxRetries: 2,
      env: { PARLEY_COMMIT_DEADLINE: "0.3" },
    });
    const seen = await rig.call({ stream: true });
    recordRow({
      fault: "headers, then stall, past a 0.3 s deadline",
      path,
      stream: true,
      seen,
      upstreamAttempts: rig.upstream.attempts,
    });
    expectLateStreamError(seen);
    expect(errorMessage(seen)).toMatch(/stream idle timeout after 0\.5 s/);
    expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "1", exhausted: null });
    expect(rig.upstream.attempts).toBe(1);
    expect(seen.ms).toBeLessThan(500 + UNDICI_TIMER_SLACK_MS + SCHEDULING_SLACK_MS);

    const wire = await rig.wire({ stream: true });
    expect(wire.status).toBe(200);
    expect(wire.headersAt).toBeGreaterThanOrEqual(300 - 5);
    expect(wire.headersAt).toBeLessThan(300 + SCHEDULING_SLACK_MS);
    const events = wireEvents(path.client, wire.text);
    expect(events.filter((e) => e === "error")).toHaveLength(1);
    expect(events.at(-1)).toBe(path.client === "anthropic" ? "error" : "[DONE]");
    expect(wire.error).toBeUndefined();
    expect(await rig.settle()).toEqual(HEALTHY);
  });
});
