// Groups the findings of a sweep into failure classes (route, broken property, and the
// exception the server logged for it) and renders them as the failure report: one line
// per class with its count, the stalls and their suspects, then one example per class.
import type { FuzzCase } from "./fuzz-case.js";
import type { ParleyProcess } from "./parley-process.js";
import type { Stall } from "./stall-watch.js";
import type { Finding, SweepResult } from "./sweep.js";
import { HANG } from "./verdict.js";

/** Findings that share a route, a broken property and a logged exception. */
export interface FailureClass {
  key: string;
  count: number;
  first: Finding;
}

/** The class a finding belongs to. */
export function classKey(finding: Finding, server: ParleyProcess): string {
  const { fuzz, violation, requestId } = finding;
  // A blocked server leaves requests of every route unanswered: one class, not one per route.
  if (violation.what === HANG) return HANG;
  const route = `${fuzz.spec.endpoint} → ${fuzz.route}`;
  const logged = server.loggedError(requestId);
  return `${route}: ${violation.what}${logged ? ` — ${logged}` : ""}`;
}

/** The findings' classes, the most frequent first. */
export function classify(findings: readonly Finding[], server: ParleyProcess): FailureClass[] {
  const classes = new Map<string, FailureClass>();
  for (const finding of findings) {
    const key = classKey(finding, server);
    const known = classes.get(key);
    if (known) known.count++;
    else classes.set(key, { key, count: 1, first: finding });
  }
  return [...classes.values()].sort((a, b) => b.count - a.count);
}

function renderStall(stall: Stall, cases: readonly FuzzCase[]): string[] {
  // The biggest bodies first: the one blocking the server is most often among them.
  const suspects = stall.suspects
    .map((index) => ({ index, fuzz: cases[index]!, bytes: cases[index]!.body().length }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  return [
    `- /livez went unanswered for ${(stall.ms / 1000).toFixed(1)} s; the five largest bodies in flight when it began:`,
    ...suspects.map((s) => `  #${s.index} ${s.fuzz.describe(120).replaceAll("\n", "\n    ")}`),
  ];
}

/** The readable failure report of a sweep. */
export function renderReport(options: {
  result: SweepResult;
  cases: readonly FuzzCase[];
  classes: readonly FailureClass[];
  /** Upstream requests that carried a model other than the mapping's. */
  overrides: readonly string[];
  shrunk: readonly string[];
}): string {
  const { result, classes, overrides, shrunk } = options;
  const lines = [
    `${result.findings.length} of ${result.sent} requests broke a property, in ${classes.length} classes; ` +
      `the server stalled ${result.stalls.length} times; ${overrides.length} upstream requests carried an unmapped model` +
      (result.stoppedEarly ? ` (sweep stopped early: ${result.stoppedEarly})` : ""),
    ...classes.map((c) => `  ${String(c.count).padStart(5)} × ${c.key}`),
  ];
  if (overrides.length > 0) {
    lines.push("", "Upstream requests with a model other than the mapping's (the client chose the model):");
    lines.push(...overrides.map((o) => `- ${o}`));
  }
  if (result.stalls.length > 0) {
    lines.push("", "Stalls (a request blocked the server for everyone):");
    for (const stall of result.stalls) lines.push(...renderStall(stall, options.cases));
  }
  if (classes.length > 0) {
    lines.push("", "One example per class:");
    for (const c of classes) {
      lines.push(
        `- ${c.key}`,
        `  ${c.first.fuzz.describe(200)}`,
        `  answer: ${c.first.violation.detail.slice(0, 300) || "(none)"}`,
        `  replay: fast-check path "${c.first.index}"`,
      );
    }
  }
  if (shrunk.length > 0) lines.push("", "Shrunk by fast-check:", ...shrunk);
  return lines.join("\n");
}
