// Renders bench results: aligned text tables of medians, p99s and proxy/direct ratios for the
// terminal, and the same figures as one JSON document.

import type { BenchOptions } from "./options.js";
import type { HoldResult, PhaseResult } from "./protocol.js";

/** One scenario measured straight at the mock and through Parley. */
export interface Comparison {
  scenario: string;
  direct: PhaseResult;
  parley: PhaseResult;
}

/** Parley's resident memory around the held-streams phase, in KiB. */
export interface MemoryResult {
  scenario: string;
  idleKiB: number;
  heldKiB: number;
  afterReleaseKiB: number;
  hold: HoldResult;
}

/** Everything one run measured. */
export interface BenchResults {
  startedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    loadAvgStart: number[];
    loadAvgEnd: number[];
  };
  options: BenchOptions;
  parleyRssAtStartKiB: number;
  latency: Comparison[];
  peak: Comparison[];
  ttfb: Comparison[];
  memory: MemoryResult[];
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "-");
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}x` : "-");
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
const errors = (c: Comparison) => `${c.direct.errors}/${c.parley.errors}`;

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function latencyTable(comparisons: Comparison[], pick: (p: PhaseResult) => PhaseResult["latencyMs"]): string {
  const headers = [
    "scenario",
    "direct p50",
    "p99",
    "parley p50",
    "p99",
    "added p50",
    "p99",
    "ratio p50",
    "p99",
    "n",
    "errors d/p",
  ];
  return table(
    headers,
    comparisons.map((c) => {
      const [d, p] = [pick(c.direct), pick(c.parley)];
      return [
        c.scenario,
        ms(d.p50),
        ms(d.p99),
        ms(p.p50),
        ms(p.p99),
        ms(p.p50 - d.p50),
        ms(p.p99 - d.p99),
        ratio(p.p50, d.p50),
        ratio(p.p99, d.p99),
        `${p.count}`,
        errors(c),
      ];
    }),
  );
}

function peakTable(comparisons: Comparison[]): string {
  const headers = [
    "scenario",
    "direct req/s",
    "parley req/s",
    "parley/direct",
    "direct p50",
    "p99",
    "parley p50",
    "p99",
    "errors d/p",
  ];
  return table(
    headers,
    comparisons.map((c) => [
      c.scenario,
      c.direct.throughput.toFixed(0),
      c.parley.throughput.toFixed(0),
      ratio(c.parley.throughput, c.direct.throughput),
      ms(c.direct.latencyMs.p50),
      ms(c.direct.latencyMs.p99),
      ms(c.parley.latencyMs.p50),
      ms(c.parley.latencyMs.p99),
      errors(c),
    ]),
  );
}

function memoryTable(results: MemoryResult[]): string {
  const headers = [
    "scenario",
    "streams open/asked",
    "idle RSS",
    "RSS held",
    "per client stream",
    "after release",
    "errors",
  ];
  return table(
    headers,
    results.map((m) => [
      m.scenario,
      `${m.hold.flowing}/${m.hold.requested}`,
      mib(m.idleKiB),
      mib(m.heldKiB),
      `${((m.heldKiB - m.idleKiB) / m.hold.requested).toFixed(1)} KiB`,
      mib(m.afterReleaseKiB),
      `${m.hold.errors}`,
    ]),
  );
}

function firstErrors(r: BenchResults): string[] {
  const phases = [...r.latency, ...r.peak, ...r.ttfb].flatMap((c) => [
    ["direct", c.scenario, c.direct] as const,
    ["parley", c.scenario, c.parley] as const,
  ]);
  return [
    ...phases
      .filter(([, , p]) => p.firstError)
      .map(([t, s, p]) => `  ${t} ${s}: ${p.errors} errors, first: ${p.firstError}`),
    ...r.memory
      .filter((m) => m.hold.firstError)
      .map((m) => `  held ${m.scenario}: first: ${m.hold.firstError}`),
  ];
}

/** The human-readable report. */
export function renderReport(r: BenchResults): string {
  const o = r.options;
  const seconds = o.durationMs / 1000;
  const problems = firstErrors(r);
  return [
    `Latency, non-streaming, open loop at ${o.rate} req/s for ${seconds} s (ms, from scheduled start to last byte)`,
    latencyTable(r.latency, (p) => p.latencyMs),
    "",
    `Peak throughput, closed loop, ${o.connections} connections for ${seconds} s (non-streaming)`,
    peakTable(r.peak),
    "",
    `Streaming time to first content token, open loop at ${o.streamRate} streams/s for ${seconds} s (ms; ${o.chunkDelayMs} ms between the 20 deltas)`,
    latencyTable(r.ttfb, (p) => p.ttfbMs ?? p.latencyMs),
    "",
    `Memory of the Parley process with ${o.streams} slow streams held open (measured first; RSS at start ${mib(r.parleyRssAtStartKiB)}; "idle" is just before each phase)`,
    memoryTable(r.memory),
    ...(r.memory.some((m) => m.hold.flowing < m.hold.requested)
      ? [
          "(open < asked: the other streams had no first token yet when RSS was sampled, i.e. they were queued)",
        ]
      : []),
    ...(problems.length > 0 ? ["", "Errors:", ...problems] : []),
  ].join("\n");
}
