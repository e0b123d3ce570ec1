// Upstreams that break mid-answer (DESIGN §4): before content the break is retried unseen and the client
// gets one well-formed stream or body from the next attempt; after content the stream ends with one error
// event in the client's dialect and a clean close, which both SDKs raise instead of a truncated answer.
import { describe, expect, it } from "vitest";
import type { Fault } from "../../helpers/faulty-upstream.js";
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
import { wireEvents } from "./wire-call.js";

/** Asserts the SDK saw one whole stream: one start, content, one end, nothing after it. */
function expectOneStream(events: string[], dialect: "anthropic" | "openai"): void {
  const [start, content, end] =
    dialect === "anthropic"
      ? ["message_start", "content_block_delta", "message_stop"]
      : ["role", "content", "finish:stop"];
  expect(events[0]).toBe(start);
  expect(events.filter((e) => e === start)).toHaveLength(1);
  expect(events).toContain(content);
  expect(events.at(-1)).toBe(end);
  expect(events.filter((e) => e === end)).toHaveLength(1);
}

/** How each fault after content shows in the error the client gets, and how long it may take. */
const LATE_FAULTS: Array<{
  fault: Fault;
  name: string;
  cause: RegExp;
  /** The error type each dialect gives the failure's status (a timeout is a 504, a reset a 502). */
  type: Record<"anthropic" | "openai", string>;
  boundMs: number;
}> = [
  {
    fault: "stream-then-stall",
    name: "stream, then stall",
    cause: /stream idle timeout after 0\.5 s/,
    type: { anthropic: "timeout_error", openai: "timeout" },
    boundMs: 500 + UNDICI_TIMER_SLACK_MS + SCHEDULING_SLACK_MS,
  },
  {
    fault: "stream-then-reset",
    name: "stream, then reset",
    cause: /ECONNRESET/,
    type: { anthropic: "api_error", openai: "server_error" },
    boundMs: SCHEDULING_SLACK_MS,
  },
];

describe.concurrent.each(PATHS)("$name", (path) => {
  it("a stream dropped after its preamble is retried unseen: the client gets one stream, from attempt 2", async (t) => {
    const rig = await rigFor(t, { path, script: ["preamble-then-drop"], maxRetries: 1 });
    const seen = await rig.call({ stream: true });
    recordRow({
      fault: "preamble, then drop; then ok",
      path,
      stream: true,
      seen,
      upstreamAttempts: rig.upstream.attempts,
    });
    expect(seen.error).toBeUndefined();
    expect(seen.text).toBe("The answer from attempt 2.");
    expectOneStream(seen.events, path.client);
    expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "2", exhausted: null });
    expect(rig.upstream.attempts).toBe(2);
    expect(seen.ms).toBeLessThan(250 + SCHEDULING_SLACK_MS);
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it("on the wire, the retried stream has exactly one start and one end", async (t) => {
    const rig = await rigFor(t, { path, script: ["preamble-then-drop"], maxRetries: 1 });
    const wire = await rig.wire({ stream: true });
    expect(wire.error).toBeUndefined();
    const events = wireEvents(path.client, wire.text);
    if (path.client === "anthropic") {
      expect(events.filter((e) => e === "message_start")).toHaveLength(1);
      expect(events.at(-1)).toBe("message_stop");
    } else {
      expect(events.filter((e) => e === "role")).toHaveLength(1);
      expect(events.filter((e) => e === "[DONE]")).toHaveLength(1);
      expect(events.at(-1)).toBe("[DONE]");
    }
    expect(events).not.toContain("error");
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it.for<Fault>(["preamble-then-drop", "stream-then-stall", "stream-then-reset"])(
    "a non-streaming body cut by %s is retried, never returned truncated",
    async (fault, t) => {
      const rig = await rigFor(t, { path, script: [fault], maxRetries: 1 });
      const seen = await rig.call({ stream: false });
      recordRow({
        fault: `${fault}; then ok`,
        path,
        stream: false,
        seen,
        upstreamAttempts: rig.upstream.attempts,
      });
      expect(seen.error).toBeUndefined();
      expect(seen.text).toBe("The answer from attempt 2.");
      expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "2", exhausted: null });
      expect(rig.upstream.attempts).toBe(2);
      expect(await rig.settle()).toEqual(HEALTHY);
    },
  );

  describe.each(LATE_FAULTS)("$name after content", ({ fault, name, cause, type, boundMs }) => {
    it("the SDK raises an error after the content it got, and nothing is retried", async (t) => {
      const rig = await rigFor(t, { path, script: () => fault, maxRetries: 2 });
      const seen = await rig.call({ stream: true });
      recordRow({ fault: name, path, stream: true, seen, upstreamAttempts: rig.upstream.attempts });
      expectLateStreamError(seen);
      expect(errorMessage(seen)).toMatch(cause);
      expect(seen.error?.type).toBe(type[path.client]);
      const content = path.client === "anthropic" ? "content_block_delta" : "content";
      expect(seen.events.filter((e) => e === content)).toHaveLength(2);
      expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "1", exhausted: null });
      expect(rig.upstream.attempts).toBe(1);
      expect(seen.ms).toBeLessThan(boundMs);
      expect(await rig.settle()).toEqual(HEALTHY);
    });

    it("on the wire: one error event in the client's dialect, then a clean close", async (t) => {
      const rig = await rigFor(t, { path, script: () => fault, maxRetries: 2 });
      const wire = await rig.wire({ stream: true });
      expect(wire.status).toBe(200);
      expect(wire.error).toBeUndefined();
      const events = wireEvents(path.client, wire.text);
      expect(events.filter((e) => e === "error")).toHaveLength(1);
      if (path.client === "anthropic") {
        expect(events.at(-1)).toBe("error");
        expect(wire.text).toMatch(
          /event: error\ndata: \{"type":"error","error":\{"type":"\w+","message":"[^\n]+"\}\}\n\n$/,
        );
      } else {
        expect(events.slice(-2)).toEqual(["error", "[DONE]"]);
        expect(wire.text).toMatch(/data: \{"error":\{"message":"[^\n]+\}\}\n\ndata: \[DONE\]\n\n$/);
      }
      expect(await rig.settle()).toEqual(HEALTHY);
    });
  });
});
