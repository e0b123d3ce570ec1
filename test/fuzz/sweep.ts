// Runs fuzz cases against the server a fixed number at a time and collects every broken
// property with the request id that names it in the server's log. A sweep never stops at
// the first failure, so one run shows every failure class; it stops early only when the
// server died or keeps hanging, which would otherwise blow the time budget. Meanwhile a
// watch on /livez catches requests that block the server for everyone else.
import { deliver } from "./deliver.js";
import type { FuzzCase } from "./fuzz-case.js";
import type { MockProviders } from "./mock-providers.js";
import type { ParleyProcess } from "./parley-process.js";
import { type Stall, watchStalls } from "./stall-watch.js";
import { HANG, judge, type Violation } from "./verdict.js";

/** The server, its upstreams and the per-answer time bound. */
export interface SweepContext {
  server: ParleyProcess;
  mocks: MockProviders;
  timeoutMs: number;
}

/** Sends one case and judges the outcome. */
export async function checkCase(
  fuzz: FuzzCase,
  requestId: string,
  ctx: SweepContext,
): Promise<Violation | undefined> {
  const upstreamErrorsBefore = ctx.mocks.serverErrors();
  const outcome = await deliver(fuzz, { url: ctx.server.url, requestId, timeoutMs: ctx.timeoutMs });
  const exit = ctx.server.exit();
  if (exit) return { what: `the server ${exit}`, detail: ctx.server.stderrTail() };
  return judge(fuzz, outcome, ctx.mocks.serverErrors() > upstreamErrorsBefore);
}

/** A case that broke a property. */
export interface Finding {
  /** Its index in the sample, which is also its fast-check replay path. */
  index: number;
  fuzz: FuzzCase;
  requestId: string;
  violation: Violation;
}

/** What one sweep did. */
export interface SweepResult {
  sent: number;
  findings: Finding[];
  /** Times the server stopped answering /livez promptly. */
  stalls: Stall[];
  /** Why the sweep ended before the last case, if it did. */
  stoppedEarly?: string;
  ms: number;
}

/** How a sweep runs. */
export interface SweepOptions extends SweepContext {
  concurrency: number;
  /** Names the request ids, `fuzz-<label>-<index>`. */
  label: string;
  /** Unanswered requests after which the sweep gives up. */
  maxHangs: number;
  /** /livez slower than this is a stall. */
  stallMs: number;
}

/** Sends every case, `concurrency` at a time, watching /livez meanwhile. */
export async function sweep(cases: readonly FuzzCase[], options: SweepOptions): Promise<SweepResult> {
  const started = Date.now();
  const findings: Finding[] = [];
  const inFlight = new Set<number>();
  const watch = watchStalls({
    probe: (timeoutMs) => options.server.livez(timeoutMs),
    inFlight: () => [...inFlight],
    stallMs: options.stallMs,
    intervalMs: 250,
  });
  let next = 0;
  let sent = 0;
  let hangs = 0;
  let stoppedEarly: string | undefined;
  const worker = async () => {
    while (next < cases.length && stoppedEarly === undefined) {
      const index = next++;
      const requestId = `fuzz-${options.label}-${index}`;
      inFlight.add(index);
      const violation = await checkCase(cases[index]!, requestId, options);
      inFlight.delete(index);
      sent++;
      if (violation) findings.push({ index, fuzz: cases[index]!, requestId, violation });
      if (violation?.what === HANG && ++hangs >= options.maxHangs) {
        stoppedEarly = `${hangs} requests got no answer in time`;
      }
      const exit = options.server.exit();
      if (exit) stoppedEarly = `the server ${exit}`;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const stalls = await watch.stop();
  findings.sort((a, b) => a.index - b.index);
  return { sent, findings, stalls, ...(stoppedEarly ? { stoppedEarly } : {}), ms: Date.now() - started };
}
