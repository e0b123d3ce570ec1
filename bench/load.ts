// The load generator, run as its own process: one request after another over one connection,
// N connections back to back, paced streams timed delta by delta, or many streams held open;
// all on undici Pools, timed with performance.now() and reported in microseconds.
import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import {
  type HoldResult,
  type JobMessage,
  LATE_MS,
  type LatencyResult,
  type LoadJob,
  type LoadResult,
  type ReplyMessage,
  type RequestSpec,
  type StreamsResult,
} from "./protocol.js";
import { mockMicrosIn } from "./requests.js";
import { summarize } from "./stats.js";
import { type StreamTiming, timeDeltas } from "./stream-timing.js";

/** Per-request bound: a wedged request fails instead of hanging the bench. */
const REQUEST_TIMEOUT_MS = 60_000;

/** Failures of one job: how many, and the first one's message. */
class Failures {
  count = 0;
  first: string | undefined;

  add(error: unknown): void {
    this.count++;
    this.first ??= error instanceof Error ? error.message : String(error);
  }

  fields(): { errors: number; firstError?: string } {
    return { errors: this.count, ...(this.first === undefined ? {} : { firstError: this.first }) };
  }
}

/** Sends one request; resolves with its body once the status says it succeeded. */
async function open(pool: Pool, spec: RequestSpec, signal?: AbortSignal) {
  const { statusCode, body } = await pool.request({
    path: spec.path,
    method: "POST",
    headers: spec.headers,
    body: spec.body,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
    signal,
  });
  if (statusCode !== 200) throw new Error(`HTTP ${statusCode}: ${(await body.text()).slice(0, 300)}`);
  return body;
}

/**
 * One non-streaming request read to its last byte; resolves with its latency in µs (without the
 * mock's own time, when the request asked for it).
 */
async function exchange(pool: Pool, spec: RequestSpec): Promise<number> {
  const startedAt = performance.now();
  const body = await open(pool, spec);
  if (!spec.mockTimed) {
    await body.arrayBuffer();
    return (performance.now() - startedAt) * 1000;
  }
  const text = await body.text();
  const latencyUs = (performance.now() - startedAt) * 1000;
  const mockUs = mockMicrosIn(text);
  if (mockUs === undefined) throw new Error(`the answer carries no mock-us: ${text.slice(0, 200)}`);
  return latencyUs - mockUs;
}

async function sequential(job: Extract<LoadJob, { kind: "sequential" }>): Promise<LatencyResult> {
  const pool = new Pool(job.request.origin, { connections: 1, pipelining: 1 });
  const failures = new Failures();
  const latencies: number[] = [];
  try {
    for (let i = 0; i < job.warmup; i++) await exchange(pool, job.request).catch(() => {});
    const start = performance.now();
    const enough = () => {
      const elapsed = performance.now() - start;
      return elapsed >= job.maxMs || (elapsed >= job.durationMs && latencies.length >= job.minRequests);
    };
    while (!enough()) {
      try {
        latencies.push(await exchange(pool, job.request));
      } catch (error) {
        failures.add(error);
        if (failures.count > 20) break; // a target that only fails is not worth the whole window
        await sleep(10);
      }
    }
    const elapsedMs = performance.now() - start;
    return {
      latencyUs: summarize(latencies),
      completed: latencies.length,
      completedTotal: latencies.length + job.warmup,
      ...failures.fields(),
      elapsedMs,
      throughput: (latencies.length / elapsedMs) * 1000,
    };
  } finally {
    await pool.close();
  }
}

/** Keeps `connections` requests in flight back to back until `durationMs` is up. */
async function saturate(options: {
  pool: Pool;
  job: Extract<LoadJob, { kind: "closed-loop" }>;
  durationMs: number;
}) {
  const { pool, job } = options;
  const latencies: number[] = [];
  const failures = new Failures();
  const end = performance.now() + options.durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      try {
        latencies.push(await exchange(pool, job.request));
      } catch (error) {
        failures.add(error);
        await sleep(10); // a dead target must not turn the loop into a busy spin
      }
    }
  };
  await Promise.all(Array.from({ length: job.connections }, worker));
  return { latencies, failures };
}

async function closedLoop(job: Extract<LoadJob, { kind: "closed-loop" }>): Promise<LatencyResult> {
  const pool = new Pool(job.request.origin, { connections: job.connections, pipelining: 1 });
  try {
    const warm = await saturate({ pool, job, durationMs: job.warmupMs });
    const start = performance.now();
    const { latencies, failures } = await saturate({ pool, job, durationMs: job.durationMs });
    const elapsedMs = performance.now() - start;
    return {
      latencyUs: summarize(latencies),
      completed: latencies.length,
      completedTotal: latencies.length + warm.latencies.length,
      ...failures.fields(),
      elapsedMs,
      throughput: (latencies.length / elapsedMs) * 1000,
    };
  } finally {
    await pool.close();
  }
}

/** Starts `count` calls of `start`, `rate` per second, or all at once without a rate. */
async function launch(options: { count: number; rate?: number; start: () => Promise<void> }): Promise<void> {
  const { count, rate, start } = options;
  const running: Promise<void>[] = [];
  if (rate === undefined) {
    for (let i = 0; i < count; i++) running.push(start());
  } else {
    const begin = performance.now();
    for (let i = 0; i < count; i++) {
      const due = begin + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      running.push(start());
    }
  }
  await Promise.all(running);
}

async function streams(job: Extract<LoadJob, { kind: "streams" }>): Promise<StreamsResult> {
  const pool = new Pool(job.request.origin, { connections: job.count, pipelining: 1 });
  const failures = new Failures();
  const timings: StreamTiming[] = [];
  const gaps: number[] = [];
  const one = async () => {
    try {
      const startedAt = performance.now();
      const body = await open(pool, job.request);
      const timing = await timeDeltas({
        body,
        startedAt,
        gapMs: job.gapMs,
        ...(job.collectGaps ? { gaps } : {}),
        ...(job.request.deltaPrefix === undefined ? {} : { prefix: job.request.deltaPrefix }),
      });
      if (timing.deltas !== job.deltas)
        throw new Error(`stream ended after ${timing.deltas} of ${job.deltas} deltas`);
      timings.push(timing);
    } catch (error) {
      failures.add(error);
    }
  };
  try {
    if (job.warm) {
      const warm = job.warm;
      await launch({
        count: warm.streams,
        start: () =>
          exchange(pool, warm.request).then(
            () => {},
            () => {},
          ),
      });
    }
    await launch({ count: job.count, ...(job.rate === undefined ? {} : { rate: job.rate }), start: one });
    const late = timings.filter((t) => t.lateMs > LATE_MS).length;
    return {
      ttftUs: summarize(timings.map((t) => t.ttftUs)),
      gapUs: summarize(gaps),
      requested: job.count,
      completed: timings.length,
      lateStreams: late,
      maxLateMs: timings.reduce((worst, t) => Math.max(worst, t.lateMs), 0),
      ...failures.fields(),
    };
  } finally {
    await pool.close();
  }
}

let held: { pool: Pool; controller: AbortController } | undefined;

/** Opens the streams and answers once all carry content or `settleMs` has passed; keeps them open. */
async function hold(job: Extract<LoadJob, { kind: "hold" }>): Promise<HoldResult> {
  const pool = new Pool(job.request.origin, { connections: job.streams, pipelining: 1 });
  const controller = new AbortController();
  setMaxListeners(job.streams + 10, controller.signal); // one listener per held stream, by design
  held = { pool, controller };
  const failures = new Failures();
  let flowing = 0;
  let allFlowing = () => {};
  const settled = new Promise<void>((resolve) => {
    allFlowing = resolve;
  });
  const prefix = job.request.deltaPrefix === undefined ? {} : { prefix: job.request.deltaPrefix };
  const onFirstDelta = () => {
    if (++flowing === job.streams) allFlowing();
  };
  for (let i = 0; i < job.streams; i++) {
    const startedAt = performance.now();
    open(pool, job.request, controller.signal)
      .then((body) => timeDeltas({ body, startedAt, gapMs: 0, onFirstDelta, ...prefix }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) failures.add(error);
      });
  }
  await Promise.race([settled, sleep(job.settleMs)]);
  return { requested: job.streams, flowing, ...failures.fields() };
}

/** Hangs up every held stream. */
async function release(): Promise<null> {
  if (held) {
    held.controller.abort();
    await held.pool.destroy();
    held = undefined;
  }
  return null;
}

function run(job: LoadJob): Promise<LoadResult> {
  switch (job.kind) {
    case "sequential":
      return sequential(job);
    case "closed-loop":
      return closedLoop(job);
    case "streams":
      return streams(job);
    case "hold":
      return hold(job);
    case "release":
      return release();
  }
}

process.on("message", (message: JobMessage) => {
  const reply = (r: ReplyMessage) => process.send?.(r);
  run(message.job).then(
    (result) => reply({ id: message.id, ok: true, result }),
    (error: unknown) =>
      reply({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
// The runner owns this process: when its IPC channel goes away, so do we.
process.on("disconnect", () => process.exit(0));
