import { countTokens } from "gpt-tokenizer";
import { describe, expect, it } from "vitest";
import { estimateInputTokens } from "../../../src/dataplane/token-count.js";

const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
// Far above the few milliseconds a slice takes (a garbage collection may add to one), far
// below the seconds an unbounded count holds the loop.
const MAX_STRETCH_MS = 50;

function userMessage(text: string): Record<string, unknown> {
  return { model: "m", messages: [{ role: "user", content: text }] };
}

/** Random lower-case letters: no word boundaries and no repetition, the tokenizer's slowest text. */
function randomLetters(length: number): string {
  const bytes = Buffer.alloc(length);
  let state = 11;
  for (let i = 0; i < length; i++) {
    // xorshift32: the same letters on every run.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = 97 + ((state >>> 0) % 26);
  }
  // Decoded from bytes, as a request body is: one flat string, not a rope of appends.
  return bytes.toString("latin1");
}

/**
 * The most CPU time the process spent between two ticks of a 1 ms timer while `work` ran:
 * the longest stretch of work that held the event loop, whether or not a busy machine also
 * took the CPU away now and then (which wall-clock gaps would count too).
 */
async function longestStretchMs(work: () => Promise<unknown>): Promise<number> {
  let last = process.cpuUsage();
  let worst = 0;
  const sample = () => {
    const spent = process.cpuUsage(last);
    worst = Math.max(worst, (spent.user + spent.system) / 1000);
    last = process.cpuUsage();
  };
  const timer = setInterval(sample, 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  sample();
  return worst;
}

describe("estimateInputTokens", () => {
  it("counts system, messages and tools as the tokenizer does, plus framing", async () => {
    const body = {
      model: "m",
      system: [{ type: "text", text: "You are terse." }],
      messages: [
        { role: "user", content: "What's in this file? It's long.\n".repeat(50) },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "read", input: { path: "/a" } }] },
      ],
      tools: [{ name: "read", input_schema: { type: "object" } }],
    };
    const text = [
      "You are terse.",
      "What's in this file? It's long.\n".repeat(50),
      'read {"path":"/a"}',
      JSON.stringify(body.tools),
    ].join("\n");
    expect(await estimateInputTokens(body)).toBe(countTokens(text) + 2 * 3);
  });

  it("counts strings that look like special tokens as text", async () => {
    const tokens = await estimateInputTokens(userMessage("quoting <|endoftext|> and <|im_start|> verbatim"));
    expect(tokens).toBe(countTokens("quoting <|endoftext|> and <|im_start|> verbatim", PLAIN_TEXT) + 3);
  });

  it("lets timers run while it counts 9 MB of one character", async () => {
    await estimateInputTokens(userMessage("warm up the tokenizer"));
    const body = userMessage("a".repeat(9 * 1024 * 1024));
    let tokens = 0;
    const stretch = await longestStretchMs(async () => {
      tokens = await estimateInputTokens(body);
    });
    // Runs of `a` merge into tokens of eight; cuts mid-run may cost a token here and there.
    expect(Math.abs(tokens - ((9 * 1024 * 1024) / 8 + 3))).toBeLessThan(100);
    expect(stretch).toBeLessThan(MAX_STRETCH_MS);
  });

  it("stops at its deadline and extrapolates honestly", async () => {
    const text = randomLetters(300_000);
    const exact = await estimateInputTokens(userMessage(text));
    const started = performance.now();
    const estimate = await estimateInputTokens(userMessage(text), { deadlineMs: 20 });
    expect(performance.now() - started).toBeLessThan(200);
    expect(Math.abs(estimate - exact)).toBeLessThan(exact * 0.05);
  });

  it("stops when the client has gone", async () => {
    const text = randomLetters(300_000);
    const started = performance.now();
    const estimate = await estimateInputTokens(userMessage(text), { signal: AbortSignal.abort() });
    expect(performance.now() - started).toBeLessThan(200);
    expect(estimate).toBeGreaterThan(0);
  });
});
