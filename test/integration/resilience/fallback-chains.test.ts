// Fallback chains created through the admin API, driven with the SDKs (DESIGN §4): retryable failures
// hand over to the next target, translated afresh for its kind; a non-retryable one stops the chain;
// when all fail the client gets the last error and x-parley-fallback-exhausted: true.
import { describe, expect, it } from "vitest";
import type { Dialect } from "../../../src/core/dialect-errors.js";
import { adminRigsClosedAfterEach, answerText } from "./admin-rig.js";
import { errorMessage, expectDialectError, HEALTHY } from "./outcome-checks.js";
import { parleyHeaders } from "./sdk-call.js";

const startAdminRig = adminRigsClosedAfterEach();

const DIALECTS: Dialect[] = ["anthropic", "openai"];
const failing = (status: number) => () => ({ type: "status" as const, status });

describe.each(DIALECTS)("a %s client", (dialect) => {
  describe.each([false, true])("stream: %s", (stream) => {
    it("gets the next target's answer once the first target's retries are spent", async () => {
      const rig = await startAdminRig({
        providers: [
          { id: "primary", kind: dialect, script: failing(503), maxRetries: 1 },
          { id: "backup", kind: dialect, script: [], maxRetries: 1 },
        ],
        routes: [{ alias: "*", targets: [{ provider: "primary" }, { provider: "backup" }] }],
      });
      const seen = await rig.call({ dialect, model: "any-model", stream });
      expect(seen.error).toBeUndefined();
      expect(seen.text).toBe(answerText("backup", 1));
      expect(parleyHeaders(seen)).toEqual({ provider: "backup", attempts: "3", exhausted: null });
      expect([rig.upstreams.primary!.attempts, rig.upstreams.backup!.attempts]).toEqual([2, 1]);
      expect(await rig.settle()).toEqual(HEALTHY);
    });

    it("across provider kinds, each target gets the request translated for its own kind", async () => {
      const rig = await startAdminRig({
        providers: [
          { id: "primary", kind: "anthropic", script: failing(529), maxRetries: 0 },
          { id: "fallback", kind: "openai", script: [], maxRetries: 0 },
        ],
        routes: [
          {
            alias: "*",
            targets: [
              { provider: "primary", upstreamModel: "claude-primary" },
              { provider: "fallback", upstreamModel: "gpt-fallback" },
            ],
          },
        ],
      });
      const seen = await rig.call({ dialect, model: "client-model", stream });
      expect(seen.error).toBeUndefined();
      expect(seen.text).toBe(answerText("fallback", 1));
      expect(parleyHeaders(seen)).toEqual({ provider: "fallback", attempts: "2", exhausted: null });
      const anthropicBody = rig.upstreams.primary!.requests[0]!;
      const openaiBody = rig.upstreams.fallback!.requests[0]!;
      expect(anthropicBody.url).toBe("/v1/messages");
      // Anthropic's shape (max_tokens required; content as a string or text blocks).
      expect(anthropicBody.json).toMatchObject({
        model: "claude-primary",
        max_tokens: expect.any(Number),
        messages: [{ role: "user" }],
      });
      expect(JSON.stringify(anthropicBody.json?.messages)).toContain('"hi"');
      expect(openaiBody.url).toBe("/v1/chat/completions");
      expect(openaiBody.json).toMatchObject({
        model: "gpt-fallback",
        messages: [{ role: "user", content: "hi" }],
      });
      expect(openaiBody.json).not.toHaveProperty("anthropic_version");
      expect(openaiBody.headers.authorization).toBe("Bearer sk-fallback-provider-key");
      expect(anthropicBody.headers["x-api-key"]).toBe("sk-primary-provider-key");
      expect(await rig.settle()).toEqual(HEALTHY);
    });
  });

  it("a stream that breaks before content falls over to the next kind unseen: one stream", async () => {
    const rig = await startAdminRig({
      providers: [
        { id: "primary", kind: "anthropic", script: () => "preamble-then-drop", maxRetries: 0 },
        { id: "fallback", kind: "openai", script: [], maxRetries: 0 },
      ],
      routes: [{ alias: "*", targets: [{ provider: "primary" }, { provider: "fallback" }] }],
    });
    const seen = await rig.call({ dialect, model: "client-model", stream: true });
    expect(seen.error).toBeUndefined();
    expect(seen.text).toBe(answerText("fallback", 1));
    const start = dialect === "anthropic" ? "message_start" : "role";
    expect(seen.events.filter((e) => e === start)).toHaveLength(1);
    expect(parleyHeaders(seen)).toEqual({ provider: "fallback", attempts: "2", exhausted: null });
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it.each([401, 400])("a non-retryable %i stops the chain: the next target gets nothing", async (status) => {
    const rig = await startAdminRig({
      providers: [
        { id: "primary", kind: dialect, script: failing(status), maxRetries: 2 },
        { id: "backup", kind: dialect, script: [], maxRetries: 0 },
      ],
      routes: [{ alias: "*", targets: [{ provider: "primary" }, { provider: "backup" }] }],
    });
    const seen = await rig.call({ dialect, model: "any-model" });
    expectDialectError(seen, dialect, status);
    expect(parleyHeaders(seen)).toEqual({ provider: "primary", attempts: "1", exhausted: null });
    expect([rig.upstreams.primary!.attempts, rig.upstreams.backup!.attempts]).toEqual([1, 0]);
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it("when every target fails, gets the last target's error in its dialect and fallback-exhausted", async () => {
    const rig = await startAdminRig({
      providers: [
        { id: "primary", kind: "anthropic", script: failing(503), maxRetries: 1 },
        {
          id: "backup",
          kind: "openai",
          script: () => ({
            type: "status",
            status: 429,
            headers: { "retry-after": "1", "retry-after-ms": "10" },
          }),
          maxRetries: 0,
        },
      ],
      routes: [{ alias: "*", targets: [{ provider: "primary" }, { provider: "backup" }] }],
    });
    const seen = await rig.call({ dialect, model: "any-model", stream: true });
    expectDialectError(seen, dialect, 429);
    expect(seen.error?.name).toBe("RateLimitError");
    expect(parleyHeaders(seen)).toEqual({ provider: "backup", attempts: "3", exhausted: "true" });
    expect([rig.upstreams.primary!.attempts, rig.upstreams.backup!.attempts]).toEqual([2, 1]);
    // The last upstream error is the backup's, in the client's words.
    if (dialect === "anthropic") {
      expect(seen.error?.type).toBe("rate_limit_error");
      expect(errorMessage(seen)).toMatch(/^provider backup refused .*retry after 1 second/);
    } else {
      expect(seen.error?.code).toBe("rate_limit_exceeded");
    }
    expect(await rig.settle()).toEqual(HEALTHY);
  });

  it("when no target can be reached, gets a 502 and fallback-exhausted", async () => {
    const rig = await startAdminRig({
      providers: [
        { id: "primary", kind: "anthropic", script: [], maxRetries: 0 },
        { id: "backup", kind: "openai", script: [], maxRetries: 0 },
      ],
      routes: [{ alias: "*", targets: [{ provider: "primary" }, { provider: "backup" }] }],
    });
    await rig.upstreams.primary!.stopListening();
    await rig.upstreams.backup!.stopListening();
    const seen = await rig.call({ dialect, model: "any-model" });
    expectDialectError(seen, dialect, 502);
    expect(errorMessage(seen)).toBe('could not reach provider "backup": ECONNREFUSED');
    expect(parleyHeaders(seen)).toEqual({ provider: "backup", attempts: "2", exhausted: "true" });
    expect(await rig.settle()).toEqual(HEALTHY);
  });
});
