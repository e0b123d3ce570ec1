// How health-check jobs and their per-model results read: a jobs table, a job's fields,
// and result rows printed one by one as they land (so their columns are fixed-width).
import {
  type HealthCheckJob,
  HealthCheckJobState,
  type ModelHealth,
} from "../../gen/parley/admin/v1/health_check_pb.js";
import { formatDuration } from "../duration.js";
import { formatTime } from "../output.js";

/** Column headers of the jobs table. */
export const JOB_HEADERS = ["id", "provider", "state", "healthy", "scheduled", "created"];

/** Column headers of a job's results. */
export const RESULT_HEADERS = ["model", "result", "status", "latency", "error"];

/** A job state as a lower-case word ("running"). */
export function stateText(state: HealthCheckJobState): string {
  return (HealthCheckJobState[state] ?? "unspecified").toLowerCase();
}

/** Whether a job has ended. */
export function isFinished(state: HealthCheckJobState): boolean {
  return state === HealthCheckJobState.SUCCEEDED || state === HealthCheckJobState.FAILED;
}

/** "healthy/checked", counted from the results. */
export function healthyText(results: readonly ModelHealth[]): string {
  return `${results.filter((r) => r.healthy).length}/${results.length}`;
}

/** One row of the jobs table. */
export function jobRow(job: HealthCheckJob): string[] {
  return [
    job.id,
    job.providerId,
    stateText(job.state),
    healthyText(job.results),
    job.scheduled ? "yes" : "no",
    formatTime(job.createTime),
  ];
}

/** One row of a job's results. */
export function resultRow(result: ModelHealth): string[] {
  return [
    result.model,
    result.healthy ? "healthy" : "unhealthy",
    result.httpStatus === 0 ? "-" : String(result.httpStatus),
    result.latency === undefined ? "-" : formatDuration(result.latency),
    result.error.replace(/\s+/g, " "),
  ];
}

/** A job's own fields (its results are printed as a table after them). */
export function jobFields(job: HealthCheckJob): [string, string][] {
  return [
    ["id", job.id],
    ["provider", job.providerId],
    ["state", stateText(job.state)],
    ["models", job.models.length === 0 ? "every mapped model" : job.models.join(", ")],
    ["concurrency", job.concurrency === 0 ? "default" : String(job.concurrency)],
    ["timeout", job.timeout === undefined ? "default" : formatDuration(job.timeout)],
    ["healthy", healthyText(job.results)],
    ["error", job.error === "" ? "-" : job.error],
    ["scheduled", job.scheduled ? "yes" : "no"],
    ["created", formatTime(job.createTime)],
    ["started", formatTime(job.startTime)],
    ["ended", formatTime(job.endTime)],
  ];
}

/** Formats result rows one at a time with fixed column widths, for live output. */
export function streamingRow(cells: readonly string[], modelWidth: number): string {
  const widths = [modelWidth, 9, 6, 8];
  return cells
    .map((cell, column) => (column < widths.length ? cell.padEnd(widths[column] ?? 0) : cell))
    .join("  ")
    .trimEnd();
}
