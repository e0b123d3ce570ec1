// `npm run bench`: starts the mock upstream, the bare hop, Parley, the peer proxies and a load
// generator as separate processes, runs every scenario on every target in interleaved rounds,
// prints the medians and writes them with every round to results.json.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform } from "node:os";
import { dirname } from "node:path";
import { type BenchOptions, parseOptions, type ScenarioName } from "./options.js";
import { installPeers, type PeerProcess, startClaudeCodeRouter, startPortkey } from "./peers.js";
import {
  killAllNow,
  type LoadGenerator,
  type ServerProcess,
  script,
  startBare,
  startLoad,
  startMock,
  startParley,
  stopAll,
  tempDir,
} from "./processes.js";
import { renderReport } from "./report.js";
import { targetRequest } from "./requests.js";
import type { BenchContext, FreshInstance } from "./rounds.js";
import { measureCapacity } from "./scenarios/capacity.js";
import { measureLatency } from "./scenarios/latency.js";
import { measureMemory } from "./scenarios/memory.js";
import { measureProfiles } from "./scenarios/profile.js";
import { measureSizes } from "./scenarios/sizes.js";
import { measureStreaming } from "./scenarios/streaming.js";
import { type BenchResults, checkTargets, summarize } from "./summary.js";
import { BASELINE_PREFIX, parleyTargets, referenceTargets, type Target } from "./targets.js";

const CLIENT_KEY = "bench-client-key";

const log = (line: string) => process.stderr.write(`${line}\n`);
const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");

/** Full runs with every scenario, rounds and peer are the committed results; anything less is a scratch file. */
function resultsFile(o: BenchOptions): string {
  if (o.out) return o.out;
  const complete = !o.quick && o.peers && !o.baseline && o.rounds >= 3 && o.scenarios.length === 6;
  return script(complete ? "../../bench/results.json" : "../../.tmp/bench-results.json");
}

async function startPeers(mockUrl: string): Promise<{ peers: PeerProcess[]; status: string }> {
  const failed = installPeers(log);
  if (failed) {
    log(`peers skipped: ${failed}`);
    return { peers: [], status: `skipped: ${failed}` };
  }
  const peers: PeerProcess[] = [];
  const notes: string[] = [];
  for (const [name, start] of [
    ["Portkey", startPortkey],
    ["claude-code-router", startClaudeCodeRouter],
  ] as const) {
    try {
      peers.push(await start(mockUrl));
    } catch (error) {
      const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
      log(`${name} skipped: it did not start (${why})`);
      notes.push(`${name} did not start: ${why}`);
    }
  }
  return { peers, status: notes.length === 0 ? "measured" : notes.join("; ") };
}

/** Starts new processes of the targets that have one of their own, for a scenario that needs a clean one. */
function freshStarter(
  mock: ServerProcess,
  targets: readonly Target[],
  baseline: string | undefined,
): BenchContext["fresh"] {
  const rebase = (id: string, server: ServerProcess): FreshInstance => {
    const target = targets.find((t) => t.id === id)!;
    return { target: { ...target, origin: server.url, pid: server.pid }, stop: server.stop };
  };
  const parley = async (id: string, entry?: string) =>
    rebase(
      id,
      await startParley({
        mockUrl: mock.url,
        clientKey: CLIENT_KEY,
        dir: tempDir("parley-bench-"),
        ...(entry ? { entry } : {}),
      }),
    );
  const peer = (peerProcess: PeerProcess): FreshInstance => ({
    target: peerProcess.target,
    stop: peerProcess.server.stop,
  });
  const starters: Record<string, () => Promise<FreshInstance>> = {
    "bare-openai": async () => rebase("bare-openai", await startBare(mock.url)),
    "parley-passthrough": () => parley("parley-passthrough"),
    "parley-translated": () => parley("parley-translated"),
    "parley-translated-responses": () => parley("parley-translated-responses"),
    ...(baseline
      ? Object.fromEntries(
          ["parley-passthrough", "parley-translated", "parley-translated-responses"].map((id) => [
            `${BASELINE_PREFIX}${id}`,
            () => parley(`${BASELINE_PREFIX}${id}`, baseline),
          ]),
        )
      : {}),
    portkey: async () => peer(await startPortkey(mock.url)),
    "claude-code-router": async () => peer(await startClaudeCodeRouter(mock.url)),
  };
  return (id) => starters[id]?.();
}

/** Unmeasured traffic on every target: plain requests and streams, so V8 has compiled each hot path. */
async function warmUp(load: LoadGenerator, targets: readonly Target[], o: BenchOptions): Promise<void> {
  log(`warming up every target for ${o.jitWarmupMs / 1000} s`);
  for (const target of targets) {
    for (const stream of [false, true]) {
      const request = targetRequest({ target, stream, delayMs: 0 });
      await load.run(
        { kind: "closed-loop", request, connections: 16, durationMs: o.jitWarmupMs / 2, warmupMs: 0 },
        o.jitWarmupMs + 60_000,
      );
    }
  }
}

function header(o: BenchOptions): string {
  const cpu = cpus();
  return [
    `Parley bench${o.quick ? " (--quick smoke run)" : ""}: node ${process.version}, ${platform()}/${arch()}, ${cpu.length} CPUs (${cpu[0]?.model ?? "?"}), load average ${loads(loadavg())}`,
    "Mock, bare hop, Parley, peers and load generator are separate processes on 127.0.0.1 sharing these CPUs;",
    "Parley runs with its defaults (info logs to a file, metrics on), the peers as their READMEs start them.",
    ...(o.baseline ? [`Rows marked "baseline" are the Parley of ${o.baseline}, run the same way.`] : []),
  ].join("\n");
}

async function runScenarios(context: BenchContext, results: BenchResults): Promise<void> {
  const run: Record<ScenarioName, () => Promise<void>> = {
    // Memory first: later scenarios grow heaps, and RSS rarely shrinks back.
    memory: async () => {
      results.memory = await measureMemory(context);
    },
    latency: async () => {
      results.latency = await measureLatency(context);
    },
    capacity: async () => {
      results.capacity = await measureCapacity(context);
    },
    streaming: async () => {
      results.streaming = await measureStreaming(context);
    },
    sizes: async () => {
      results.sizes = await measureSizes(context);
    },
    profile: async () => {
      results.profiles = await measureProfiles(context);
    },
  };
  for (const name of context.options.scenarios) {
    const began = Date.now();
    log(`${name}:`);
    await run[name]();
    log(`  ${name} took ${((Date.now() - began) / 1000).toFixed(0)} s`);
  }
}

/** Writes the JSON and lets the repository's formatter shape it, so `biome check` stays clean. */
function writeResults(file: string, results: BenchResults): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  const biome = script("../../node_modules/@biomejs/biome/bin/biome");
  if (existsSync(biome)) spawnSync(process.execPath, [biome, "format", "--write", file], { stdio: "ignore" });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const loadAvgStart = loadavg();
  console.log(`${header(options)}\n`);
  const mock = await startMock();
  const bare = await startBare(mock.url);
  const parley = await startParley({
    mockUrl: mock.url,
    clientKey: CLIENT_KEY,
    dir: tempDir("parley-bench-"),
  });
  const baseline = options.baseline
    ? await startParley({
        mockUrl: mock.url,
        clientKey: CLIENT_KEY,
        dir: tempDir("parley-baseline-"),
        entry: options.baseline,
      })
    : undefined;
  const { peers, status } = options.peers
    ? await startPeers(mock.url)
    : { peers: [], status: "skipped: --no-peers" };
  const targets = [
    ...referenceTargets({ mock, bare }),
    ...parleyTargets({ ...parley, clientKey: CLIENT_KEY }),
    ...(baseline ? parleyTargets({ ...baseline, clientKey: CLIENT_KEY }, true) : []),
    ...peers.map((p) => p.target),
  ];
  const load = startLoad();
  const context: BenchContext = {
    load,
    targets,
    mockUrl: mock.url,
    clientKey: CLIENT_KEY,
    options,
    log,
    fresh: freshStarter(mock, targets, options.baseline),
  };
  await warmUp(load, targets, options);
  const results: BenchResults = {
    startedAt: new Date(started).toISOString(),
    durationS: 0,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      node: process.version,
      platform: `${platform()}/${arch()}`,
      loadAvgStart,
      loadAvgEnd: [],
    },
    options,
    peers: status,
    targets: targets.map(({ id, label, role, dialect }) => ({ id, label, role, dialect })),
  };
  await runScenarios(context, results);
  results.parleyLogBytes = statSync(parley.logFile).size;
  results.summary = summarize(results, targets);
  results.checks = checkTargets(results.summary, targets);
  results.machine.loadAvgEnd = loadavg();
  results.durationS = Math.round((Date.now() - started) / 1000);
  console.log(renderReport(results));
  const file = resultsFile(options);
  writeResults(file, results);
  console.log(
    `\nload average at the start ${loads(loadAvgStart)}, at the end ${loads(results.machine.loadAvgEnd)}`,
  );
  console.log(
    `Parley's log: ${results.parleyLogBytes} bytes; took ${results.durationS} s; JSON written to ${file}`,
  );
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
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void stopAll(1_000).finally(() => process.exit(1));
  },
);
