// Health-check rows → API messages: jobs with their results, single results for the
// watch stream, and the per-provider summary shown as `Provider.last_health_check`.
import { create } from "@bufbuild/protobuf";
import { durationFromMs, timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type HealthCheckJob,
  HealthCheckJobSchema,
  HealthCheckJobState,
  type ModelHealth,
  ModelHealthSchema,
} from "../../gen/parley/admin/v1/health_check_pb.js";
import { type HealthCheckSummary, HealthCheckSummarySchema } from "../../gen/parley/admin/v1/provider_pb.js";
import type { LatestHealthCheck } from "../db/health-repository.js";
import type {
  HealthCheckJobRow,
  HealthCheckResultRow,
  HealthCheckJobState as StoredState,
} from "../db/schema.js";

const STATES: Record<StoredState, HealthCheckJobState> = {
  pending: HealthCheckJobState.PENDING,
  running: HealthCheckJobState.RUNNING,
  succeeded: HealthCheckJobState.SUCCEEDED,
  failed: HealthCheckJobState.FAILED,
};

/** The message for one stored result. */
export function modelHealthToProto(row: HealthCheckResultRow): ModelHealth {
  return create(ModelHealthSchema, {
    model: row.model,
    healthy: row.healthy,
    latency: durationFromMs(row.latencyMs),
    httpStatus: row.httpStatus,
    error: row.error,
    checkTime: timestampFromDate(row.checkedAt),
  });
}

/** The message for a stored job with the given results (none for a watch update). */
export function jobToProto(
  row: HealthCheckJobRow,
  results: readonly HealthCheckResultRow[] = [],
): HealthCheckJob {
  const time = (date: Date | null) => (date === null ? undefined : timestampFromDate(date));
  return create(HealthCheckJobSchema, {
    id: row.id,
    providerId: row.providerId,
    models: [...row.models],
    concurrency: row.concurrency,
    timeout: durationFromMs(row.timeoutMs),
    state: STATES[row.state],
    results: results.map(modelHealthToProto),
    error: row.error,
    scheduled: row.scheduled,
    createTime: timestampFromDate(row.createdAt),
    startTime: time(row.startedAt),
    endTime: time(row.endedAt),
  });
}

/** The provider's summary of its latest started job. */
export function summaryToProto(latest: LatestHealthCheck): HealthCheckSummary {
  const { job } = latest;
  return create(HealthCheckSummarySchema, {
    jobId: job.id,
    checkTime: timestampFromDate(job.endedAt ?? job.startedAt ?? job.createdAt),
    healthyModels: latest.healthyModels,
    totalModels: latest.totalModels,
  });
}
