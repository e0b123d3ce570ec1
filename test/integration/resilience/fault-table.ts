// The fault table as measured: with PARLEY_FAULT_TABLE=<file> set, each fault test appends one
// JSON line (fault, path, what the client saw, attempts, time) for the closing note of the
// resilience work; without it nothing is written.
import { appendFileSync } from "node:fs";
import type { DialectPath } from "./dialect-paths.js";
import { errorMessage } from "./outcome-checks.js";
import { parleyHeaders, type SdkOutcome } from "./sdk-call.js";

/** One measured cell of the table. */
export interface FaultRow {
  fault: string;
  path: DialectPath;
  stream: boolean;
  seen: SdkOutcome;
  /** Requests the upstream mock counted. */
  upstreamAttempts: number;
}

/** What the client saw, in one line: `200 "text"` or `ErrorClass 504 timeout_error: message`. */
export function summary(seen: SdkOutcome): string {
  if (seen.hung) return "hung";
  if (!seen.error) return `${seen.status} ${JSON.stringify(seen.text)}`;
  const { name, status, type } = seen.error;
  const where = status === undefined ? `${seen.status} then mid-stream` : String(status);
  return `${name} ${where} ${type ?? ""}: ${errorMessage(seen) || seen.error.message}`.slice(0, 240);
}

/** Appends the row when PARLEY_FAULT_TABLE names a file. */
export function recordRow(row: FaultRow): void {
  const file = process.env.PARLEY_FAULT_TABLE;
  if (!file) return;
  const headers = parleyHeaders(row.seen);
  const line = {
    fault: row.fault,
    path: row.path.name,
    stream: row.stream,
    client_saw: summary(row.seen),
    x_parley_attempts: headers.attempts,
    x_parley_provider: headers.provider,
    x_parley_fallback_exhausted: headers.exhausted,
    upstream_attempts: row.upstreamAttempts,
    ms: Math.round(row.seen.ms),
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}
