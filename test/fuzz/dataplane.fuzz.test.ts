// Property-based fuzzing of the data plane: thousands of generated bodies (truncated and
// invalid JSON, wrong types, nulls in arrays, huge numbers and strings, deep nesting,
// invalid UTF-8, duplicate keys, wrong content types, cut-off uploads) sent to the three
// model endpoints on both provider kinds, against the compiled server in its own process.
import { existsSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fuzzCase } from "./arbitraries.js";
import { classify, classKey, type FailureClass, renderReport } from "./findings.js";
import type { FuzzCase } from "./fuzz-case.js";
import { type MockProviders, startMockProviders } from "./mock-providers.js";
import { type Livez, type ParleyProcess, startParleyProcess } from "./parley-process.js";
import { checkCase, type SweepContext, type SweepResult, sweep } from "./sweep.js";
import { MODEL_MAP } from "./valid-requests.js";
import { HANG } from "./verdict.js";

/** Fixed, so every run sends the same requests; a failure names its replay path under this seed. */
const SEED = 1_914_406_621;
/** Requests per sweep. */
const NUM_RUNS = 5_000;
/** Requests in flight at once: enough to overlap, few enough for a 2-core machine. */
const CONCURRENCY = 12;
/** The mocks answer in microseconds; anything near this bound is a hang. */
const ANSWER_TIMEOUT_MS = 10_000;
/** After this many hangs the sweep stops, or it would run for minutes. */
const MAX_HANGS = 10;
/** /livez slower than this means a request is blocking the server for every other client. */
const STALL_MS = 3_000;
/** Failure classes shrunk by fast-check in a failing run, each for at most SHRINK_TIME_MS. */
const SHRINK_CLASSES = 3;
const SHRINK_TIME_MS = 5_000;
/**
 * RSS (after a forced full collection) may grow this much from the end of the first sweep to
 * the end of an identical second one. The first sweep already paid for JIT code, pools, the
 * tokenizer tables and the heap's high-water mark; identical sweeps measured here stay within
 * ±15 MiB of each other, while a leak of 6 KiB a request — one retained body or socket —
 * adds 30 MiB over 5,000 requests.
 */
const RSS_GROWTH_LIMIT_BYTES = 30 * 1024 * 1024;

const MIB = 1024 * 1024;

let mocks: MockProviders;
let server: ParleyProcess;
let cases: FuzzCase[];
/** in_flight of an idle server, before any traffic. */
let idleInFlight: number;
let idleRss: number;
let firstSweep: Promise<{ result: SweepResult; rss: number }> | undefined;

beforeAll(async () => {
  mocks = await startMockProviders();
  server = await startParleyProcess({
    PARLEY_OPENAI_BASE_URL: `${mocks.openai.url}/v1`,
    PARLEY_OPENAI_API_KEY: "sk-fuzz-openai",
    PARLEY_ANTHROPIC_BASE_URL: mocks.anthropic.url,
    PARLEY_ANTHROPIC_API_KEY: "sk-ant-fuzz",
    PARLEY_MODEL_MAP: MODEL_MAP,
  });
  idleInFlight = (await server.livez()).in_flight;
  idleRss = await server.rssBytes();
  cases = fc.sample(fuzzCase, { seed: SEED, numRuns: NUM_RUNS });
});

afterAll(async () => {
  await server?.stop();
  await mocks?.close();
});

function context(): SweepContext {
  return { server, mocks, timeoutMs: ANSWER_TIMEOUT_MS };
}

/** Polls /livez until nothing but the probe itself is in flight, or 5 s have passed. */
async function settledLivez(): Promise<Livez> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const livez = await server.livez().catch((error: unknown) => {
      throw new Error(`the server did not answer /livez within 5 s (${error}): it is blocked`);
    });
    if (livez.in_flight <= idleInFlight || Date.now() > deadline) return livez;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runSweep(label: string): Promise<{ result: SweepResult; rss: number }> {
  const result = await sweep(cases, {
    ...context(),
    concurrency: CONCURRENCY,
    label,
    maxHangs: MAX_HANGS,
    stallMs: STALL_MS,
  });
  await settledLivez().catch(() => undefined);
  // Let sockets close and the server's log lines arrive before anything is read.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const rss = server.exit() ? 0 : await server.rssBytes();
  console.info(
    `fuzz sweep ${label}: ${result.sent} requests in ${(result.ms / 1000).toFixed(1)} s, ` +
      `${result.findings.length} findings, ${result.stalls.length} stalls, server RSS ${(rss / MIB).toFixed(1)} MiB (idle ${(idleRss / MIB).toFixed(1)} MiB)`,
  );
  return { result, rss };
}

/** The first sweep, shared by every test (whichever runs first starts it). */
function first(): Promise<{ result: SweepResult; rss: number }> {
  firstSweep ??= runSweep("p1");
  return firstSweep;
}

/** Replays a class's first case under fast-check and shrinks it while it stays in the class. */
async function shrink(failure: FailureClass): Promise<string> {
  let attempt = 0;
  const property = fc.asyncProperty(fuzzCase, async (fuzz) => {
    const requestId = `fuzz-shrink-${failure.first.index}-${attempt++}`;
    const violation = await checkCase(fuzz, requestId, context());
    if (!violation) return;
    // The exception behind a 500 is named by a log line that arrives just after the answer.
    for (let i = 0; i < 10 && !server.loggedError(requestId) && violation.what.startsWith("5"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const finding = { index: failure.first.index, fuzz, requestId, violation };
    if (classKey(finding, server) === failure.key) throw new Error(`${violation.what}\n${violation.detail}`);
  });
  try {
    await fc.assert(property, {
      seed: SEED,
      // With a path, numRuns counts from that case: run it alone, then shrink it.
      path: String(failure.first.index),
      numRuns: 1,
      plugins: [fc.interruptAfterTimeLimit(SHRINK_TIME_MS)],
    });
    return `- ${failure.key}: did not fail again when replayed alone`;
  } catch (error) {
    return `- ${failure.key}\n${(error as Error).message}`;
  }
}

describe("the data plane under fuzzed requests", () => {
  it("answers in time, below 500 unless the upstream failed, in the caller's dialect, mapped model upstream", async () => {
    const { result } = await first();
    const overrides = [...mocks.modelOverrides()];
    const clean = result.findings.length === 0 && result.stalls.length === 0 && overrides.length === 0;
    if (clean && result.sent === NUM_RUNS) return;
    const classes = classify(result.findings, server);
    const shrunk: string[] = [];
    // Shrinking needs a server that answers; a hang cannot be replayed against a blocked one.
    if (!server.exit() && result.stalls.length === 0) {
      for (const failure of classes.filter((c) => c.key !== HANG).slice(0, SHRINK_CLASSES)) {
        shrunk.push(await shrink(failure));
      }
    }
    expect.fail(renderReport({ result, cases, classes, overrides, shrunk }));
  }, 180_000);

  it("is healthy afterwards: alive, /livez ok, nothing left in flight", async () => {
    await first();
    expect(server.exit(), server.stderrTail()).toBeUndefined();
    const livez = await settledLivez();
    expect(livez.status).toBe("ok");
    expect(livez.in_flight, "requests still counted in flight after every answer").toBe(idleInFlight);
  }, 120_000);

  it.skipIf(!existsSync("/proc/self/status"))(
    "keeps its RSS flat across a second identical sweep",
    async () => {
      const { rss: afterFirst } = await first();
      expect(server.exit(), server.stderrTail()).toBeUndefined();
      await settledLivez();
      const { rss: afterSecond } = await runSweep("p2");
      const growth = afterSecond - afterFirst;
      expect(
        growth,
        `RSS grew ${(growth / MIB).toFixed(1)} MiB from ${(afterFirst / MIB).toFixed(1)} MiB to ${(afterSecond / MIB).toFixed(1)} MiB`,
      ).toBeLessThan(RSS_GROWTH_LIMIT_BYTES);
    },
    120_000,
  );
});
