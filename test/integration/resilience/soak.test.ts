// A soak of the real server in its own process: 200 clients keep requests in flight for about 20 s over
// all four paths, streaming and not, against upstreams mixing healthy answers with every fault. Each
// request must get a complete answer or a well-formed error, memory must stay flat, nothing may linger.
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Dialect } from "../../../src/core/dialect-errors.js";
import { type Fault, type FaultyUpstream, startFaultyUpstream } from "../../helpers/faulty-upstream.js";
import { clientsFor } from "../control/admin-harness.js";
import { PATHS } from "./dialect-paths.js";
import { type ParleyChild, startParleyChild } from "./parley-child.js";
import { eventually, livezOf, SMALL_TIMEOUTS } from "./rig.js";
import { type SdkOutcome, sdkCall } from "./sdk-call.js";

/** Clients, each with one request in flight at a time. */
const CLIENTS = 200;
/** How long new requests keep starting; PARLEY_SOAK_SECONDS runs a longer soak by hand. */
const LOAD_MS = Number(process.env.PARLEY_SOAK_SECONDS ?? 30) * 1_000;
/** Readings before this are warm-up: JIT, pools, first allocations of every code path. */
const WARM_UP_MS = 6_000;
/** How often RSS (after a full GC) and /livez are read while the load runs. */
const SAMPLE_EVERY_MS = 2_000;
/**
 * How much the server's RSS may grow from the end of warm-up to the end of the load. Readings
 * follow a full GC, so what remains is live memory plus allocator slack: V8 grows and keeps heap
 * pages in chunks of a few MiB, and 200 concurrent exchanges hold a varying few MiB of buffers.
 * 32 MiB is several times that noise, and the soak runs thousands of requests, so a leak of a
 * few KiB per request (one retained body, socket or closure) crosses it.
 */
const RSS_GROWTH_BOUND = 32 * 1024 * 1024;

/**
 * The quick-start providers' breaker policy, set through the admin API. The mix fails about half
 * the attempts, so with 200 clients five failures in a row come within milliseconds and breakers
 * would stay open, turning the soak into instant 503s instead of the faults it is about (the
 * breaker has its own tests). A short open time still lets a breaker that a starved CI machine
 * tripped recover within the soak.
 */
const SOAK_BREAKER = { failureThreshold: 1_000, openDuration: durationFromMs(1_000) };

/** The mix each upstream plays, by attempt number: healthy answers between every kind of fault. */
const MIX: Fault[] = [
  "ok",
  "ok",
  { type: "slow-first-token", delayMs: 300 },
  { type: "status", status: 503 },
  "ok",
  "stream-then-reset",
  "preamble-then-drop",
  "ok",
  "hang",
  "stream-then-stall",
  "ok",
  "html-502",
  { type: "status", status: 429, headers: { "retry-after": "1" } },
  "ok",
  "headers-then-stall",
  { type: "status", status: 401 },
  "reset",
  "context-length",
  { type: "status", status: 529 },
];

/** Client model names routed to each path by PARLEY_MODEL_MAP. */
const MODELS = {
  "anthropic → anthropic (passthrough)": "claude-pass",
  "openai → openai (passthrough)": "gpt-pass",
  "anthropic → openai (translated)": "claude-cross",
  "openai → anthropic (translated)": "gpt-cross",
} as const;

let anthropic: FaultyUpstream;
let openai: FaultyUpstream;
let parley: ParleyChild;

beforeAll(async () => {
  anthropic = await startFaultyUpstream({ kind: "anthropic", script: (n) => MIX[n % MIX.length]! });
  openai = await startFaultyUpstream({ kind: "openai", script: (n) => MIX[(n + 7) % MIX.length]! });
  parley = await startParleyChild({
    ...SMALL_TIMEOUTS,
    PARLEY_MAX_RETRIES: "1",
    PARLEY_ANTHROPIC_BASE_URL: anthropic.url,
    PARLEY_ANTHROPIC_API_KEY: "sk-ant-soak",
    PARLEY_OPENAI_BASE_URL: `${openai.url}/v1`,
    PARLEY_OPENAI_API_KEY: "sk-soak",
    PARLEY_MODEL_MAP:
      "claude-pass=anthropic/claude-up,claude-cross=openai/gpt-up,gpt-pass=openai/gpt-up,gpt-cross=anthropic/claude-up",
  });
  const admin = clientsFor(createConnectTransport({ baseUrl: parley.adminUrl, httpVersion: "1.1" }));
  for (const id of ["anthropic", "openai"])
    await admin.providers.updateProvider({
      provider: { id, circuitBreaker: SOAK_BREAKER },
      updateMask: { paths: ["circuit_breaker.failure_threshold", "circuit_breaker.open_duration"] },
    });
});

afterAll(async () => {
  await parley?.stop();
  await anthropic?.close();
  await openai?.close();
});

/** Whether an error body is in the dialect's shape (Anthropic's whole body, OpenAI's inner `error`). */
function isDialectBody(dialect: Dialect, body: unknown): boolean {
  const b = body as {
    type?: unknown;
    message?: unknown;
    error?: { type?: unknown; message?: unknown };
  } | null;
  if (dialect === "anthropic")
    return b?.type === "error" && typeof b.error?.type === "string" && typeof b.error?.message === "string";
  return typeof b?.message === "string" && typeof b?.type === "string";
}

/** How a call ended: `ok`, `http <status>`, `mid-stream error`, or what made it malformed. */
function verdict(dialect: Dialect, seen: SdkOutcome): { ok: boolean; kind: string } {
  if (seen.hung) return { ok: false, kind: "hung" };
  if (!seen.error) {
    const complete = /^The answer from attempt \d+\.$/.test(seen.text ?? "");
    return { ok: complete, kind: complete ? "ok" : `truncated: ${JSON.stringify(seen.text)}` };
  }
  const { name, status, body } = seen.error;
  const late = status === undefined && seen.status === 200 && name === "APIError";
  if (!late && status === undefined)
    return { ok: false, kind: `${name}: ${seen.error.message.slice(0, 120)}` };
  if (!isDialectBody(dialect, body)) return { ok: false, kind: `${name} with a malformed body` };
  return { ok: true, kind: late ? "mid-stream error" : `http ${status}` };
}

it(`${CLIENTS} clients over faulty and healthy upstreams for ${LOAD_MS / 1000} s: every request answered, memory flat`, {
  timeout: LOAD_MS + 60_000,
}, async () => {
  const started = performance.now();
  const stopAt = started + LOAD_MS;
  const kinds = new Map<string, number>();
  const malformed: string[] = [];
  let total = 0;
  const client = async (id: number) => {
    for (let i = 0; performance.now() < stopAt; i++) {
      const path = PATHS[(id + i) % PATHS.length]!;
      const seen = await sdkCall({
        baseUrl: parley.url,
        dialect: path.client,
        stream: (id + i) % 3 !== 0,
        model: MODELS[path.name as keyof typeof MODELS],
      });
      const v = verdict(path.client, seen);
      total++;
      kinds.set(v.kind, (kinds.get(v.kind) ?? 0) + 1);
      if (!v.ok && malformed.length < 10) malformed.push(`${path.name}: ${v.kind}`);
    }
  };
  const samples: Array<{ at: number; rss: number; inFlight: number }> = [];
  const sampler = (async () => {
    while (performance.now() < stopAt - SAMPLE_EVERY_MS / 2) {
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
      const inFlight = (await livezOf(parley.url)).in_flight;
      samples.push({ at: performance.now() - started, rss: await parley.rssBytes(), inFlight });
    }
  })();
  await Promise.all([...Array.from({ length: CLIENTS }, (_, id) => client(id)), sampler]);

  const summary = Object.fromEntries([...kinds].sort((a, b) => b[1] - a[1]));
  const warm = samples.filter((s) => s.at >= WARM_UP_MS);
  const baseline = Math.min(...warm.slice(0, 2).map((s) => s.rss));
  const end = Math.max(...warm.slice(-2).map((s) => s.rss));
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const readings = samples.map((s) => `${(s.at / 1000).toFixed(0)}s:${mib(s.rss)}/${s.inFlight}`).join(" ");
  console.info(`soak: ${total} requests ${JSON.stringify(summary)}; rss/in-flight ${readings}`);
  console.info(`soak: server log lines ${JSON.stringify(Object.fromEntries(parley.messages))}`);

  expect(malformed, JSON.stringify(summary)).toEqual([]);
  expect(kinds.get("ok")).toBeGreaterThan(0);
  expect(kinds.get("mid-stream error")).toBeGreaterThan(0);
  expect(total).toBeGreaterThan(CLIENTS * 5);
  // The load really had about 200 requests in flight inside the server.
  expect(Math.max(...samples.map((s) => s.inFlight))).toBeGreaterThanOrEqual(CLIENTS * 0.75);
  expect(end - baseline, `RSS grew from ${mib(baseline)} to ${mib(end)}: ${readings}`).toBeLessThan(
    RSS_GROWTH_BOUND,
  );

  let inFlight = -1;
  await eventually(async () => {
    inFlight = (await livezOf(parley.url)).in_flight;
    return inFlight === 0 && anthropic.inProgress + openai.inProgress === 0;
  });
  expect(inFlight).toBe(0);
  expect(anthropic.inProgress + openai.inProgress).toBe(0);
  expect(parley.errors).toEqual([]);
});
