// The load generator, run as its own process: paces requests open-loop at a fixed rate,
// drives them closed-loop over N connections, or holds many streams open, on undici Pools.
import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import type {
  HoldResult,
  JobMessage,
  LoadJob,
  LoadResult,
  PhaseResult,
  ReplyMessage,
  RequestSpec,
} from "./protocol.js";
import { summarize } from "./stats.js";

/** Per-request bound: a wedged request fails instead of hanging the bench. */
const REQUEST_TIMEOUT_MS = 30_000;

interface Sample {
  latencyMs: number;
  ttfbMs?: number;
}

/** Sends one request and reads the whole body, timing from `startedAt` (performance.now()). */
async function send(options: {
  pool: Pool;
  spec: RequestSpec;
  startedAt: number;
  signal?: AbortSignal;
  onFirstToken?: () => void;
}): Promise<Sample> {
  const { pool, spec, startedAt } = options;
  const { statusCode, body } = await pool.request({
    path: spec.path,
    method: "POST",
    headers: spec.headers,
    body: spec.body,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
    signal: options.signal,
  });
  if (statusCode !== 200) throw new Error(`HTTP ${statusCode}: ${(await body.text()).slice(0, 200)}`);
  if (!spec.stream) {
    await body.arrayBuffer();
    return { latencyMs: performance.now() - startedAt };
  }
  let ttfbMs: number | undefined;
  let seen = "";
  for await (const chunk of body) {
    if (ttfbMs !== undefined || spec.marker === undefined) continue;
    seen += String(chunk);
    if (seen.includes(spec.marker)) {
      ttfbMs = performance.now() - startedAt;
      seen = "";
      options.onFirstToken?.();
    }
  }
  if (ttfbMs === undefined) throw new Error("stream ended without its first content token");
  return { latencyMs: performance.now() - startedAt, ttfbMs };
}

/** Collects the samples and failures of one phase. */
class Recorder {
  private readonly latencies: number[] = [];
  private readonly ttfbs: number[] = [];
  private errors = 0;
  private firstError: string | undefined;

  record(sample: Sample): void {
    this.latencies.push(sample.latencyMs);
    if (sample.ttfbMs !== undefined) this.ttfbs.push(sample.ttfbMs);
  }

  fail(error: unknown): void {
    this.errors++;
    this.firstError ??= error instanceof Error ? error.message : String(error);
  }

  result(elapsedMs: number, stream: boolean): PhaseResult {
    return {
      latencyMs: summarize(this.latencies),
      ...(stream ? { ttfbMs: summarize(this.ttfbs) } : {}),
      completed: this.latencies.length,
      errors: this.errors,
      ...(this.firstError === undefined ? {} : { firstError: this.firstError }),
      elapsedMs,
      throughput: (this.latencies.length / elapsedMs) * 1000,
    };
  }
}

/**
 * Starts requests on a fixed schedule whatever the responses do (open loop), timing each
 * from its scheduled start so a stalled server cannot hide its queueing delay.
 */
async function pace(options: {
  pool: Pool;
  spec: RequestSpec;
  rate: number;
  durationMs: number;
  recorder: Recorder;
}) {
  const { pool, spec, recorder } = options;
  const interval = 1000 / options.rate;
  const total = Math.max(1, Math.round((options.rate * options.durationMs) / 1000));
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      while (sent < total && start + sent * interval <= performance.now()) {
        const startedAt = start + sent * interval;
        inflight.push(
          send({ pool, spec, startedAt }).then(
            (s) => recorder.record(s),
            (e) => recorder.fail(e),
          ),
        );
        sent++;
      }
      if (sent >= total) return resolve();
      setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(inflight);
  return performance.now() - start;
}

/** Keeps `connections` requests in flight back to back until the time is up (closed loop). */
async function saturate(options: {
  pool: Pool;
  spec: RequestSpec;
  connections: number;
  durationMs: number;
  recorder: Recorder;
}) {
  const { pool, spec, recorder } = options;
  const start = performance.now();
  const end = start + options.durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      try {
        recorder.record(await send({ pool, spec, startedAt: performance.now() }));
      } catch (error) {
        recorder.fail(error);
        await sleep(10); // a dead target must not turn the loop into a busy spin
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  return performance.now() - start;
}

async function openLoop(job: Extract<LoadJob, { kind: "open-loop" }>): Promise<PhaseResult> {
  const pool = new Pool(job.request.origin, { connections: 512, pipelining: 1 });
  try {
    const base = { pool, spec: job.request, rate: job.rate };
    await pace({ ...base, durationMs: job.warmupMs, recorder: new Recorder() });
    const recorder = new Recorder();
    const elapsed = await pace({ ...base, durationMs: job.durationMs, recorder });
    return recorder.result(elapsed, job.request.stream);
  } finally {
    await pool.close();
  }
}

async function closedLoop(job: Extract<LoadJob, { kind: "closed-loop" }>): Promise<PhaseResult> {
  const pool = new Pool(job.request.origin, { connections: job.connections, pipelining: 1 });
  try {
    const base = { pool, spec: job.request, connections: job.connections };
    await saturate({ ...base, durationMs: job.warmupMs, recorder: new Recorder() });
    const recorder = new Recorder();
    const elapsed = await saturate({ ...base, durationMs: job.durationMs, recorder });
    return recorder.result(elapsed, job.request.stream);
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
  const recorder = new Recorder();
  let flowing = 0;
  let allFlowing = () => {};
  const settled = new Promise<void>((resolve) => {
    allFlowing = resolve;
  });
  const onFirstToken = () => {
    if (++flowing === job.streams) allFlowing();
  };
  for (let i = 0; i < job.streams; i++) {
    send({
      pool,
      spec: job.request,
      startedAt: performance.now(),
      signal: controller.signal,
      onFirstToken,
    }).catch((error) => {
      if (!controller.signal.aborted) recorder.fail(error);
    });
  }
  await Promise.race([settled, sleep(job.settleMs)]);
  const { errors, firstError } = recorder.result(1, false);
  return { requested: job.streams, flowing, errors, ...(firstError === undefined ? {} : { firstError }) };
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
    case "open-loop":
      return openLoop(job);
    case "closed-loop":
      return closedLoop(job);
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
