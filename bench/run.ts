// `npm run bench`: starts the mock upstream, the real Parley and a load generator as separate
// processes and measures Parley against going straight to the mock, in the same run.
import { mkdirSync, writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform } from "node:os";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { type BenchOptions, parseOptions } from "./options.js";
import {
  killAllNow,
  type LoadGenerator,
  rssKiB,
  startLoad,
  startMock,
  startParley,
  stopAll,
} from "./processes.js";
import type { HoldResult, PhaseResult } from "./protocol.js";
import { type BenchResults, type Comparison, type MemoryResult, renderReport } from "./report.js";
import { type ClientDialect, clientRequest } from "./requests.js";

const CLIENT_KEY = "bench-client-key";
const RESULTS_FILE = fileURLToPath(new URL("../../.tmp/bench-latest.json", import.meta.url));

/** The client → provider paths measured; the direct baseline sends the same bytes to the mock. */
const SCENARIOS: Array<{ label: string; dialect: ClientDialect }> = [
  { label: "OpenAI -> OpenAI (passthrough)", dialect: "openai" },
  { label: "Anthropic -> OpenAI (translated)", dialect: "anthropic" },
];

interface Targets {
  mock: string;
  parley: string;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function compare(
  targets: Targets,
  label: string,
  measure: (origin: string) => Promise<PhaseResult>,
): Promise<Comparison> {
  log(`  ${label}: direct…`);
  const direct = await measure(targets.mock);
  log(`  ${label}: via parley…`);
  const parley = await measure(targets.parley);
  return { scenario: label, direct, parley };
}

async function measureAll(load: LoadGenerator, targets: Targets, o: BenchOptions) {
  const bound = o.warmupMs + o.durationMs + 60_000;
  const phase = (dialect: ClientDialect, stream: boolean) => (origin: string) => ({
    request: clientRequest({ dialect, origin, stream, chunkDelayMs: o.chunkDelayMs, apiKey: CLIENT_KEY }),
    durationMs: o.durationMs,
    warmupMs: o.warmupMs,
  });
  // Without this the first phases measure V8 compiling Parley, not Parley (a cold process
  // serves several times fewer requests per second in its first seconds).
  log(`warming up both targets for ${o.jitWarmupMs / 1000} s per scenario`);
  for (const s of SCENARIOS) {
    for (const origin of [targets.mock, targets.parley]) {
      for (const stream of [false, true]) {
        const request = clientRequest({
          dialect: s.dialect,
          origin,
          stream,
          chunkDelayMs: 0,
          apiKey: CLIENT_KEY,
        });
        const job = { request, connections: o.connections, durationMs: o.jitWarmupMs / 2, warmupMs: 0 };
        await load.run({ kind: "closed-loop", ...job }, bound);
      }
    }
  }
  const latency: Comparison[] = [];
  const peak: Comparison[] = [];
  const ttfb: Comparison[] = [];
  log(`latency at ${o.rate} req/s`);
  for (const s of SCENARIOS) {
    latency.push(
      await compare(targets, s.label, (origin) =>
        load.run({ kind: "open-loop", rate: o.rate, ...phase(s.dialect, false)(origin) }, bound),
      ),
    );
  }
  log(`peak throughput over ${o.connections} connections`);
  for (const s of SCENARIOS) {
    peak.push(
      await compare(targets, s.label, (origin) =>
        load.run(
          { kind: "closed-loop", connections: o.connections, ...phase(s.dialect, false)(origin) },
          bound,
        ),
      ),
    );
  }
  log(`streaming TTFB at ${o.streamRate} streams/s`);
  for (const s of SCENARIOS) {
    ttfb.push(
      await compare(targets, s.label, (origin) =>
        load.run({ kind: "open-loop", rate: o.streamRate, ...phase(s.dialect, true)(origin) }, bound),
      ),
    );
  }
  return { latency, peak, ttfb };
}

/** Holds `streams` slow streams open through Parley and samples its RSS at the peak. */
async function measureMemory(load: LoadGenerator, parley: { url: string; pid: number }, o: BenchOptions) {
  const results: MemoryResult[] = [];
  const slowStream = (dialect: ClientDialect) =>
    clientRequest({
      dialect,
      origin: parley.url,
      stream: true,
      chunkDelayMs: o.holdChunkDelayMs,
      apiKey: CLIENT_KEY,
    });
  // A few streams first, so lazily loaded code and first-use allocations don't count as per-stream cost.
  for (const s of SCENARIOS) {
    await load.run(
      { kind: "hold", request: slowStream(s.dialect), streams: 10, settleMs: o.settleMs },
      o.settleMs + 30_000,
    );
    await load.run({ kind: "release" }, 30_000);
  }
  for (const s of SCENARIOS) {
    log(`memory with ${o.streams} open streams: ${s.label}`);
    await sleep(1_000); // let start-up or the previous phase's sockets and garbage settle
    const idleKiB = rssKiB(parley.pid);
    const request = slowStream(s.dialect);
    const hold = await load.run<HoldResult>(
      { kind: "hold", request, streams: o.streams, settleMs: o.settleMs },
      o.settleMs + 30_000,
    );
    let heldKiB = 0;
    for (let i = 0; i < 5; i++) {
      heldKiB = Math.max(heldKiB, rssKiB(parley.pid));
      await sleep(200);
    }
    await load.run({ kind: "release" }, 30_000);
    await sleep(1_000);
    results.push({ scenario: s.label, idleKiB, heldKiB, afterReleaseKiB: rssKiB(parley.pid), hold });
  }
  return results;
}

function header(o: BenchOptions): string {
  const cpu = cpus();
  return [
    `Parley bench${o.quick ? " (--quick smoke run)" : ""}: node ${process.version}, ${platform()}/${arch()}, ${cpu.length} CPUs (${cpu[0]?.model ?? "?"}), load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
    "Mock upstream, Parley and the load generator are separate processes on 127.0.0.1 sharing these CPUs:",
    "via Parley three processes compete where direct has two, so the overhead shown includes that contention.",
    "Parley runs with PARLEY_LOG_LEVEL=warn (no per-request log line) and one client key.",
  ].join("\n");
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const loadAvgStart = loadavg();
  console.log(`${header(options)}\n`);
  const mock = await startMock();
  const parley = await startParley(mock.url, CLIENT_KEY);
  const parleyRssAtStartKiB = rssKiB(parley.pid);
  const load = startLoad();
  const targets = { mock: mock.url, parley: parley.url };
  // Memory first: later phases grow the heap, and RSS rarely shrinks back, which would
  // hide what the streams themselves cost.
  const memory = await measureMemory(load, parley, options);
  const { latency, peak, ttfb } = await measureAll(load, targets, options);
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      node: process.version,
      platform: `${platform()}/${arch()}`,
      loadAvgStart,
      loadAvgEnd: loadavg(),
    },
    options,
    parleyRssAtStartKiB,
    latency,
    peak,
    ttfb,
    memory,
  };
  console.log(renderReport(results));
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nload average at the end: ${results.machine.loadAvgEnd.map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`JSON written to ${RESULTS_FILE}`);
}

process.on("exit", killAllNow);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the bench processes`);
    void stopAll(1_000).finally(() => process.exit(130));
  });
}

main().then(
  () => stopAll().then(() => process.exit(0)),
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    void stopAll(1_000).finally(() => process.exit(1));
  },
);
