// Counting tokens locally for an OpenAI provider answers in bounded time for any body up to
// the size limit, and the process keeps serving while it counts: a long run without
// spaces is the tokenizer's worst case.
import { afterEach, describe, expect, it } from "vitest";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";
import { openaiCompletion } from "../../helpers/wire.js";

let upstream: MockUpstream | undefined;
let parley: TestParley | undefined;
afterEach(async () => {
  await parley?.close();
  await upstream?.close();
  parley = upstream = undefined;
});

const MIB = 1024 * 1024;
const POLL_MS = 20;
// Before counting starts the server reads and parses the 9 MB body in one go, about 100 ms
// of CPU; counting itself yields every few milliseconds (test/unit/dataplane/token-count.test.ts
// holds it to that). Unbounded, the count held the loop for 25 s at 256 KB and never
// finished at 9 MB.
const MAX_LIVEZ_CPU_MS = 300;
// Wall-clock waits also take in a busy machine running other processes instead.
const MAX_LIVEZ_MS = 2_000;
// The count's own 1 s deadline, plus reading the body, on a busy machine.
const MAX_ANSWER_MS = 3_000;

async function setup(): Promise<TestParley> {
  upstream = await startMockUpstream((_req, res) => json(res, 200, openaiCompletion()));
  parley = await startTestParley({
    PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
    PARLEY_OPENAI_API_KEY: "sk-provider",
    PARLEY_MODEL_MAP: "claude-*=openai/gpt-4.1",
    PARLEY_MAX_BODY_BYTES: String(32 * MIB),
  });
  return parley;
}

/** A count_tokens body with `text` as its one user message, encoded before any measuring starts. */
function countBody(text: string): Buffer {
  return Buffer.from(JSON.stringify({ model: "claude-x", messages: [{ role: "user", content: text }] }));
}

async function countTokens(body: Buffer): Promise<{ status: number; body: any; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${parley!.url}/v1/messages/count_tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return { status: res.status, body: await res.json(), ms: performance.now() - started };
}

/** How long /livez made a poller wait, at worst, while `work` ran. */
interface LivezWaits {
  polls: number;
  /** From a poll's due time to its answer. */
  worstMs: number;
  /**
   * The most CPU time the process spent during one such wait: work that held the event
   * loop, without the time a busy machine gave the CPU to other processes.
   */
  worstCpuMs: number;
}

/** Polls /livez every POLL_MS until `work` settles. */
async function livezWaitsDuring(work: Promise<unknown>): Promise<LivezWaits> {
  let done = false;
  void work.finally(() => {
    done = true;
  });
  const waits: LivezWaits = { polls: 0, worstMs: 0, worstCpuMs: 0 };
  let due = performance.now();
  let cpuAtDue = process.cpuUsage();
  while (!done) {
    const res = await fetch(`${parley!.url}/livez`);
    await res.arrayBuffer();
    const cpu = process.cpuUsage(cpuAtDue);
    const answered = performance.now();
    waits.polls++;
    waits.worstMs = Math.max(waits.worstMs, answered - due);
    waits.worstCpuMs = Math.max(waits.worstCpuMs, (cpu.user + cpu.system) / 1000);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    due = performance.now();
    cpuAtDue = process.cpuUsage();
  }
  return waits;
}

describe("local count_tokens on pathological text", () => {
  it("answers 256 KB of one repeated character at once", async () => {
    await setup();
    const result = await countTokens(countBody("a".repeat(256 * 1024)));
    expect(result.status).toBe(200);
    expect(result.body.estimate).toBe(true);
    // o200k merges a run of `a` into tokens of 8: the count stays honest, not a guess.
    expect(result.body.input_tokens).toBeGreaterThan(256 * 128 * 0.9);
    expect(result.body.input_tokens).toBeLessThan(256 * 128 * 1.1);
    expect(result.ms).toBeLessThan(MAX_ANSWER_MS);
  });

  it("answers 9 MB of one repeated character while /livez keeps answering", async () => {
    await setup();
    // The tokenizer's tables load on first use (a one-off pause); keep it out of the measure.
    await countTokens(countBody("warm up"));
    const body = countBody("a".repeat(9 * MIB));
    const counting = countTokens(body);
    const livez = await livezWaitsDuring(counting);
    const result = await counting;
    expect(result.status).toBe(200);
    expect(result.body.input_tokens).toBeGreaterThan((9 * MIB * 0.9) / 8);
    expect(result.body.input_tokens).toBeLessThan((9 * MIB * 1.1) / 8);
    expect(result.ms).toBeLessThan(MAX_ANSWER_MS);
    expect(livez.polls).toBeGreaterThan(1);
    expect(livez.worstCpuMs).toBeLessThan(MAX_LIVEZ_CPU_MS);
    expect(livez.worstMs).toBeLessThan(MAX_LIVEZ_MS);
  });

  it("counts special-token strings as the text they are", async () => {
    await setup();
    const result = await countTokens(countBody("a prompt that quotes <|endoftext|> and <|im_start|>"));
    expect(result.status).toBe(200);
    expect(result.body.input_tokens).toBeGreaterThan(10);
  });
});
