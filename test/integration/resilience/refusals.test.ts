// Failures another attempt cannot cure (DESIGN §4): a 401 or a context-length 400 is answered after one
// attempt, in the client's dialect and in the words its tools act on (`prompt is too long: N tokens >
// M maximum`, `context_length_exceeded`); 409 is retryable for Anthropic only.
import { describe, expect, it } from "vitest";
import { CONTEXT_LENGTH_MESSAGES, type ContextLengthWording } from "../../helpers/faulty-upstream.js";
import { PATHS } from "./dialect-paths.js";
import { recordRow } from "./fault-table.js";
import { errorMessage, expectDialectError, HEALTHY, SCHEDULING_SLACK_MS } from "./outcome-checks.js";
import { rigsClosedAfterEach } from "./rig.js";
import { parleyHeaders } from "./sdk-call.js";

const startRig = rigsClosedAfterEach();

/** The token counts each wording carries: [prompt, window]. */
const COUNTS: Record<ContextLengthWording, [number, number]> = {
  openai: [130532, 128000],
  vllm: [40123, 32768],
  anthropic: [208423, 200000],
};

/** Which provider kind words its context-length errors each way. */
const WORDINGS: Array<{ wording: ContextLengthWording; upstream: "openai" | "anthropic" }> = [
  { wording: "anthropic", upstream: "anthropic" },
  { wording: "openai", upstream: "openai" },
  { wording: "vllm", upstream: "openai" },
];

describe.each(PATHS)("$name", (path) => {
  describe.each([false, true])("stream: %s", (stream) => {
    it("a 401 is answered after one attempt, as an authentication error", async () => {
      const rig = await startRig({ path, script: () => ({ type: "status", status: 401 }), maxRetries: 2 });
      const seen = await rig.call({ stream });
      recordRow({ fault: "401", path, stream, seen, upstreamAttempts: rig.upstream.attempts });
      expectDialectError(seen, path.client, 401);
      expect(seen.error?.name).toBe("AuthenticationError");
      // No backoff was waited either.
      expect(seen.ms).toBeLessThan(SCHEDULING_SLACK_MS);
      expect(parleyHeaders(seen)).toEqual({ provider: path.upstream, attempts: "1", exhausted: null });
      expect(rig.upstream.attempts).toBe(1);
      expect(await rig.settle()).toEqual(HEALTHY);
    });
  });

  it(`a 409 is ${path.upstream === "anthropic" ? "retried (Anthropic's transient conflict)" : "answered after one attempt"}`, async () => {
    const rig = await startRig({ path, script: [{ type: "status", status: 409 }], maxRetries: 1 });
    const seen = await rig.call({ stream: false });
    if (path.upstream === "anthropic") {
      expect(seen.text).toBe("The answer from attempt 2.");
      expect(rig.upstream.attempts).toBe(2);
    } else {
      expectDialectError(seen, path.client, 409);
      expect(rig.upstream.attempts).toBe(1);
    }
    expect(await rig.settle()).toEqual(HEALTHY);
  });
});

describe.each(WORDINGS)("a context-length 400 in $wording's wording", ({ wording, upstream }) => {
  const [prompt, window] = COUNTS[wording];
  describe.each(PATHS.filter((p) => p.upstream === upstream))("$name", (path) => {
    it.each([false, true])(
      "is answered after one attempt in words the client acts on (stream: %s)",
      async (stream) => {
        const rig = await startRig({
          path,
          script: () => ({ type: "context-length", wording }),
          maxRetries: 2,
        });
        const seen = await rig.call({ stream });
        recordRow({
          fault: `context-length 400 (${wording})`,
          path,
          stream,
          seen,
          upstreamAttempts: rig.upstream.attempts,
        });
        expectDialectError(seen, path.client, 400);
        expect(seen.error?.name).toBe("BadRequestError");
        expect(rig.upstream.attempts).toBe(1);
        expect(parleyHeaders(seen).attempts).toBe("1");
        if (path.client === "anthropic") {
          // What Claude Code parses to compact the conversation and retry.
          expect(errorMessage(seen)).toMatch(
            new RegExp(`^prompt is too long: ${prompt} tokens > ${window} maximum`),
          );
          expect(seen.error?.type).toBe("invalid_request_error");
        } else {
          expect(errorMessage(seen)).toContain(CONTEXT_LENGTH_MESSAGES[wording].replace(/\.$/, ""));
          // vLLM's own body passes through unchanged (its code is the number 400).
          if (wording !== "vllm" || path.client !== path.upstream)
            expect(seen.error?.code).toBe("context_length_exceeded");
        }
        expect(await rig.settle()).toEqual(HEALTHY);
      },
    );
  });
});
