// A client that hangs up, through the real server (DESIGN §4): the upstream request is aborted
// at once (seen from the mock's side), nothing is retried although retries are allowed, the
// request is logged as 499 at info level, and nothing stays in flight.
import { describe, expect, it } from "vitest";
import type { Fault } from "../../helpers/faulty-upstream.js";
import { PATHS } from "./dialect-paths.js";
import { HEALTHY } from "./outcome-checks.js";
import { type Rig, rigsClosedAfterEach } from "./rig.js";

const startRig = rigsClosedAfterEach();

/** How fast "at once" is: the abort crosses two local sockets and a turn or two of the event loop. */
const ABORT_PROPAGATION_MS = 150;

/** pino's info level. */
const INFO = 30;

/**
 * Calls, hangs up `afterMs` after the upstream began its fault, and reports how long the
 * upstream exchange outlived the hang-up.
 */
async function hangUp(rig: Rig, options: { stream: boolean; afterMs: number }): Promise<number> {
  const controller = new AbortController();
  const call = rig.call({ stream: options.stream, signal: controller.signal });
  await rig.upstream.waitFor(() => rig.upstream.requests[0]?.fault !== undefined);
  await new Promise((resolve) => setTimeout(resolve, options.afterMs));
  const abortedAt = performance.now();
  controller.abort();
  const seen = await call;
  // Before the response the SDK raises APIUserAbortError; mid-stream it just stops iterating.
  expect(seen.hung).toBe(false);
  if (seen.error) expect(seen.error.name).toBe("APIUserAbortError");
  await rig.upstream.whenIdle();
  return rig.upstream.requests[0]!.endedAt! - abortedAt;
}

const WAITING: Array<{ name: string; fault: Fault; stream: boolean; afterMs: number }> = [
  { name: "before the upstream answered", fault: "hang", stream: false, afterMs: 100 },
  { name: "before the upstream answered (stream)", fault: "hang", stream: true, afterMs: 100 },
  // The upstream writes its preamble and two content steps at once, then stalls.
  { name: "mid-stream, after content", fault: "stream-then-stall", stream: true, afterMs: 200 },
];

describe.each(PATHS)("$name", (path) => {
  it.each(WAITING)("hanging up $name aborts the upstream request at once and retries nothing", async (c) => {
    const rig = await startRig({
      path,
      script: () => c.fault,
      maxRetries: 2,
      // Long enough that no deadline of Parley's ends the exchange before the client does.
      env: { PARLEY_HEADERS_TIMEOUT: "10", PARLEY_STREAM_IDLE_TIMEOUT: "10" },
    });
    const lingeredMs = await hangUp(rig, c);
    expect(lingeredMs).toBeLessThan(ABORT_PROPAGATION_MS);
    expect(rig.upstream.requests.map((r) => r.outcome)).toEqual(["aborted"]);
    expect(await rig.settle()).toEqual(HEALTHY);
    // No retry started after the hang-up either.
    expect(rig.upstream.attempts).toBe(1);
    const line = rig.logs.find((l) => l.status === 499);
    expect(line, "a request log line with status 499").toMatchObject({
      level: INFO,
      provider: path.upstream,
    });
  });
});
