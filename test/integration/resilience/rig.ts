// A resilience test's rig: a faulty upstream, the real Parley before it (quick-start env, small timeouts),
// calls along the path under test, and the health check afterwards: nothing in flight, no upstream
// exchange open, no timer of Parley's armed, and no upstream socket left once Parley closed.
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach } from "vitest";
import {
  type FaultScript,
  type FaultyUpstream,
  startFaultyUpstream,
  type UpstreamKind,
} from "../../helpers/faulty-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";
import { startBlackhole } from "./blackhole.js";
import type { DialectPath } from "./dialect-paths.js";
import { type SdkOutcome, sdkCall } from "./sdk-call.js";
import { type TimerWatch, watchParleyTimers } from "./timer-watch.js";
import { type WireOutcome, wireCall } from "./wire-call.js";

/** The small deadlines of the suite, in seconds as the env takes them; retries are set per test. */
export const SMALL_TIMEOUTS = {
  PARLEY_CONNECT_TIMEOUT: "0.5",
  PARLEY_HEADERS_TIMEOUT: "0.5",
  PARLEY_STREAM_IDLE_TIMEOUT: "0.5",
  PARLEY_REQUEST_TIMEOUT: "1",
  PARLEY_COMMIT_DEADLINE: "1",
} as const;

/** How long after a request ended its timers may still be released; shorter than any deadline in the suite. */
const TIMER_RELEASE_MS = 250;

/** One of Parley's JSON log lines. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A logger whose every line (debug and up) lands in `lines`. */
export function capturingLogger(): { logger: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: "debug" }, sink), lines };
}

/** The quick-start env that makes `upstream` Parley's only provider, id = its kind, for every model. */
export function quickStartEnv(kind: UpstreamKind, url: string): Record<string, string> {
  return kind === "anthropic"
    ? { PARLEY_ANTHROPIC_BASE_URL: url, PARLEY_ANTHROPIC_API_KEY: "sk-ant-provider" }
    : { PARLEY_OPENAI_BASE_URL: `${url}/v1`, PARLEY_OPENAI_API_KEY: "sk-provider" };
}

/** How the proxy looks once a test's requests are over. */
export interface Health {
  inFlight: number;
  /** Upstream exchanges still open (a request Parley never finished or aborted). */
  upstreamInProgress: number;
  /** Parley's timers still armed. */
  armedTimers: string[];
}

/** What /livez answers. */
export interface Livez {
  status: string;
  in_flight: number;
  draining: boolean;
}

/** How to set a rig up. */
export interface RigOptions {
  path: DialectPath;
  script: FaultScript;
  /** PARLEY_MAX_RETRIES: every test says how many retries it expects. */
  maxRetries: number;
  /** More env on top of SMALL_TIMEOUTS. */
  env?: Record<string, string>;
  /** The upstream refuses connections (it stops listening before the first request). */
  refuse?: boolean;
  /** The provider points at a blackhole instead, where connecting times out. */
  blackhole?: boolean;
}

/** A running rig. */
export interface Rig {
  path: DialectPath;
  parley: TestParley;
  upstream: FaultyUpstream;
  logs: LogLine[];
  /** A call through the official SDK of the path's client dialect. */
  call(options: { stream: boolean; signal?: AbortSignal }): Promise<SdkOutcome>;
  /** The same call with plain fetch, bytes and times kept. */
  wire(options: { stream: boolean; timeoutMs?: number }): Promise<WireOutcome>;
  livez(): Promise<Livez>;
  /** Waits (bounded) for the requests to be over, then reports how the proxy looks. */
  settle(): Promise<Health>;
  /** Closes Parley (its pools must let go of every upstream socket), then the upstream. */
  close(): Promise<void>;
}

/** Resolves once `condition` holds, polling; gives up quietly after `timeoutMs`. */
export async function eventually(condition: () => Promise<boolean> | boolean, timeoutMs = 3_000) {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition()) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/** What /livez of a data plane answers. */
export async function livezOf(url: string): Promise<Livez> {
  const res = await fetch(`${url}/livez`, { signal: AbortSignal.timeout(3_000) });
  return (await res.json()) as Livez;
}

/** Starts the upstream and Parley of one test. */
export async function startRig(options: RigOptions): Promise<Rig> {
  const { path } = options;
  const upstream = await startFaultyUpstream({ kind: path.upstream, script: options.script });
  if (options.refuse) await upstream.stopListening();
  const hole = options.blackhole ? await startBlackhole() : undefined;
  const { logger, lines } = capturingLogger();
  const timers: TimerWatch = watchParleyTimers();
  // Started under the watch, the server's requests (and the timers they arm) are this rig's.
  const parley = await timers.run(() =>
    startTestParley(
      {
        ...SMALL_TIMEOUTS,
        ...quickStartEnv(path.upstream, hole?.url ?? upstream.url),
        PARLEY_MAX_RETRIES: String(options.maxRetries),
        ...options.env,
      },
      { logger },
    ),
  );
  timers.reset();
  const livez = () => livezOf(parley.url);
  let closed = false;
  return {
    path,
    parley,
    upstream,
    logs: lines,
    call: (o) => sdkCall({ baseUrl: parley.url, dialect: path.client, ...o }),
    wire: (o) => wireCall({ baseUrl: parley.url, dialect: path.client, ...o }),
    livez,
    async settle() {
      let inFlight = -1;
      await eventually(async () => {
        inFlight = (await livez()).in_flight;
        return inFlight === 0 && upstream.inProgress === 0;
      });
      // A timer released by an event a tick after the response ended (a body's close) is no leak.
      await eventually(() => timers.armed().length === 0, TIMER_RELEASE_MS);
      return { inFlight, upstreamInProgress: upstream.inProgress, armedTimers: timers.armed() };
    },
    async close() {
      if (closed) return;
      closed = true;
      timers.stop();
      await parley.close();
      // Idle keep-alive sockets are fine while Parley runs; once it closed, none may stay open.
      await upstream.waitFor(() => upstream.openSockets === 0, 2_000);
      await upstream.close();
      hole?.close();
    },
  };
}

/** Starts a rig that is closed when `test` finishes; safe in `it.concurrent` (pass the test's context). */
export async function rigFor(
  test: { onTestFinished(fn: () => Promise<void>): void },
  options: RigOptions,
): Promise<Rig> {
  const rig = await startRig(options);
  test.onTestFinished(() => rig.close());
  return rig;
}

/** A `startRig` for a test file: every rig it starts is closed after its test. */
export function rigsClosedAfterEach(): (options: RigOptions) => Promise<Rig> {
  const open: Rig[] = [];
  afterEach(async () => {
    for (const rig of open.splice(0).reverse()) await rig.close();
  });
  return async (options) => {
    const rig = await startRig(options);
    open.push(rig);
    return rig;
  };
}
