// Renders a bench run for the terminal: one aligned table of every target's medians, the request
// sizes, the stream sweep, memory, the checks against the targets, and the profiles' hot functions.
import { type ClientDialect, referenceDialect } from "./requests.js";
import type { BenchResults, TargetSummary } from "./summary.js";

const num = (v: number | undefined, digits = 0) =>
  v !== undefined && Number.isFinite(v)
    ? v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "-";

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function ofBare(rows: readonly TargetSummary[], row: TargetSummary, dialect: ClientDialect): string {
  const bare = rows.find((r) => r.target === `bare-${referenceDialect(dialect)}`);
  const own = row.reqPerSec["0"];
  const floor = bare?.reqPerSec["0"];
  if (row.target.startsWith("direct") || row.target.startsWith("bare") || !own || !floor) return "";
  return ` (${(own / floor).toFixed(2)})`;
}

function mainTable(r: BenchResults, rows: readonly TargetSummary[]): string {
  const delays = r.options.capacity.delaysMs;
  const headers = [
    "target",
    ...delays.map((d) => `req/s ${d} ms`),
    "p99 ms",
    "CPU us/req",
    "added c=1 p50/p99 us",
    "TTFT p99 ms",
    "added TTFT p99 ms",
    "added gap p99 us",
    "clean streams",
    "RSS/stream KiB",
    "after/idle",
  ];
  return table(
    headers,
    rows.map((row) => {
      const dialect = r.targets.find((t) => t.id === row.target)?.dialect ?? "openai";
      const errors = Object.values(row.errorsAtCapacity).reduce((a, b) => a + b, 0);
      return [
        row.label,
        ...delays.map((d, i) => `${num(row.reqPerSec[d])}${i === 0 ? ofBare(rows, row, dialect) : ""}`),
        `${num(row.p99MsAtCapacity["0"], 1)}${errors > 0 ? ` (${errors} err)` : ""}`,
        num(row.cpuUsPerRequest),
        Number.isFinite(row.addedP50Us) ? `${num(row.addedP50Us)} / ${num(row.addedP99Us)}` : "-",
        num(row.ttftP99Ms, 2),
        num(row.addedTtftP99Ms, 2),
        num(row.addedGapP99Us),
        num(row.cleanStreams),
        Number.isFinite(row.perStreamKiB)
          ? `${num(row.perStreamKiB, 1)}${row.heldStreams < r.options.memory.streams ? ` (${num(row.heldStreams)} open)` : ""}`
          : "-",
        num(row.afterOverIdle, 2),
      ];
    }),
  );
}

function sizesTable(r: BenchResults, rows: readonly TargetSummary[]): string {
  const sizes = (r.sizes ?? []).map((s) => s.bytes);
  const label = (b: number) => (b >= 1024 * 1024 ? `${b / 1024 / 1024} MB` : `${b / 1024} KB`);
  return table(
    ["target (added p50 us at c=1)", ...sizes.map(label)],
    rows
      .filter((row) => !row.target.startsWith("direct"))
      .map((row) => [row.label, ...sizes.map((b) => num(row.sizeAddedP50Us[b]))]),
  );
}

function sweepTable(r: BenchResults, rows: readonly TargetSummary[]): string {
  const steps = r.options.streaming.sweep;
  return table(
    ["target (late streams per round)", ...steps.map(String)],
    rows
      .filter((row) => Object.values(row.sweep).some((s) => s !== ""))
      .map((row) => [row.label, ...steps.map((s) => row.sweep[s] ?? "")]),
  );
}

function memoryTable(r: BenchResults): string {
  const labels = new Map(r.targets.map((t) => [t.id, t.label]));
  const rows = (r.memory ?? []).flatMap((t) =>
    t.rounds.map((m, i) => [
      `${labels.get(t.target) ?? t.target} #${i + 1}`,
      `${m.hold.flowing}/${m.hold.requested}`,
      num(m.idleKiB / 1024, 1),
      num(m.heldKiB / 1024, 1),
      num(m.afterKiB / 1024, 1),
      m.settledMs === null ? "no" : num(m.settledMs / 1000, 1),
      num(m.perStreamKiB, 1),
      `${m.hold.errors}`,
    ]),
  );
  return table(
    [
      "target, round",
      "streams open",
      "idle MiB",
      "held MiB",
      "after MiB",
      "settled s",
      "KiB/stream",
      "errors",
    ],
    rows,
  );
}

function problems(r: BenchResults): string[] {
  const labels = new Map(r.targets.map((t) => [t.id, t.label]));
  const lines: string[] = [];
  const note = (scenario: string, target: string, errors: number, first: string | undefined) => {
    if (errors > 0)
      lines.push(`  ${scenario}, ${labels.get(target) ?? target}: ${errors} errors; first: ${first}`);
  };
  for (const t of r.latency ?? []) for (const x of t.rounds) note("c=1", t.target, x.errors, x.firstError);
  for (const c of r.capacity ?? [])
    for (const t of c.targets)
      for (const x of t.rounds) note(`capacity ${c.delayMs} ms`, t.target, x.errors, x.firstError);
  for (const t of r.streaming?.ttft ?? [])
    for (const x of t.rounds) note("TTFT", t.target, x.errors, x.firstError);
  for (const t of r.streaming?.sweep ?? [])
    for (const x of t.rounds)
      for (const s of x.steps) note(`sweep ${s.streams}`, t.target, s.errors, s.firstError);
  for (const t of r.memory ?? [])
    for (const x of t.rounds) note("memory", t.target, x.hold.errors, x.hold.firstError);
  for (const s of r.sizes ?? [])
    for (const t of s.targets)
      for (const x of t.rounds) note(`${s.bytes} B`, t.target, x.errors, x.firstError);
  // One line per scenario and target is plenty: the rest repeat it.
  return [...new Set(lines.map((l) => l.replace(/: \d+ errors;/, ": errors;")))].slice(0, 30);
}

/** The human-readable report. */
export function renderReport(r: BenchResults): string {
  const rows = r.summary ?? [];
  const o = r.options;
  const out: string[] = [
    `Medians of ${o.rounds} interleaved round(s). Capacity: ${o.capacity.connections} connections, (x) = share of the bare hop's req/s in the same dialect (OpenAI for Responses); CPU and p99 at the zero-delay mock.`,
    `"added" = the target minus the mock direct in the same dialect (OpenAI for Responses) and round. Streams: ${o.streaming.deltas} deltas ${o.streaming.gapMs} ms apart, ${o.streaming.ttftStreams} at ${o.streaming.ttftRate}/s for TTFT and gaps; clean = no delta over 50 ms late.`,
    mainTable(r, rows),
  ];
  if (r.sizes?.length)
    out.push("", "Agent conversations, non-streaming, one connection:", sizesTable(r, rows));
  if (r.streaming)
    out.push(
      "",
      "Concurrent paced streams (a step runs only when the one before it was clean):",
      sweepTable(r, rows),
    );
  if (r.memory?.length) out.push("", `RSS with ${o.memory.streams} streams held open:`, memoryTable(r));
  if (r.checks?.length) {
    out.push("", "Targets:");
    for (const c of r.checks) out.push(`  ${c.verdict.padEnd(4)} ${c.target}: ${c.goal}: ${c.measured}`);
  }
  for (const p of r.profiles ?? []) {
    out.push("", `Profile of Parley, ${p.scenario} (${p.requests} requests), top self time:`);
    out.push(
      table(
        ["function", "self ms", "self %", "where"],
        p.top.map((f) => [f.name, num(f.selfMs), num(f.selfPercent, 1), f.location]),
      ),
    );
    out.push("by file:");
    out.push(
      table(
        ["file", "self ms", "self %"],
        p.files.map((f) => [f.location || f.name, num(f.selfMs), num(f.selfPercent, 1)]),
      ),
    );
  }
  const issues = problems(r);
  if (issues.length > 0) out.push("", "Errors:", ...issues);
  return out.join("\n");
}
