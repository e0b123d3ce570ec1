// Health-check jobs and their per-model results: writes as a job moves through its life,
// newest-first listings, recovery after a restart, the bounded history of scheduled runs,
// and the latest job of each provider for `Provider.last_health_check`.
import { and, asc, count, desc, eq, inArray, isNotNull, lt, max, notInArray, sql } from "drizzle-orm";
import type { DbExecutor } from "./provider-repository.js";
import {
  type HealthCheckJobRow,
  type HealthCheckJobState,
  type HealthCheckResultRow,
  healthCheckJobs,
  healthCheckResults,
  providers,
} from "./schema.js";

/** The columns a new job is created with. */
export type HealthCheckJobValues = typeof healthCheckJobs.$inferInsert;
/** The columns of one result. */
export type HealthCheckResultValues = Omit<typeof healthCheckResults.$inferInsert, "id">;

/** The latest job of a provider with its result counts. */
export interface LatestHealthCheck {
  job: HealthCheckJobRow;
  healthyModels: number;
  totalModels: number;
}

/** A provider whose schedule runs health checks. */
export interface ScheduledProvider {
  id: string;
  intervalMs: number;
}

/** Queries over the health_check_jobs and health_check_results tables. */
export class HealthRepository {
  constructor(private readonly db: DbExecutor) {}

  /** Inserts a job and returns the stored row. */
  insertJob(values: HealthCheckJobValues): HealthCheckJobRow {
    return this.db.insert(healthCheckJobs).values(values).returning().get();
  }

  /** The job with this id, if any. */
  findJob(id: string): HealthCheckJobRow | undefined {
    return this.db.select().from(healthCheckJobs).where(eq(healthCheckJobs.id, id)).get();
  }

  /** Jobs newest first, optionally of one provider, older than `beforeId`, at most `limit`. */
  listJobs(page: { providerId?: string; beforeId: string | undefined; limit: number }): HealthCheckJobRow[] {
    return this.db
      .select()
      .from(healthCheckJobs)
      .where(
        and(
          page.providerId === undefined ? undefined : eq(healthCheckJobs.providerId, page.providerId),
          page.beforeId === undefined ? undefined : lt(healthCheckJobs.id, page.beforeId),
        ),
      )
      .orderBy(desc(healthCheckJobs.id))
      .limit(page.limit)
      .all();
  }

  /** The results of several jobs, each list in landing order. */
  resultsOf(jobIds: readonly string[]): Map<string, HealthCheckResultRow[]> {
    const out = new Map<string, HealthCheckResultRow[]>(jobIds.map((id) => [id, []]));
    if (jobIds.length === 0) return out;
    const rows = this.db
      .select()
      .from(healthCheckResults)
      .where(inArray(healthCheckResults.jobId, [...jobIds]))
      .orderBy(asc(healthCheckResults.id))
      .all();
    for (const row of rows) out.get(row.jobId)?.push(row);
    return out;
  }

  /** The results of one job in landing order. */
  results(jobId: string): HealthCheckResultRow[] {
    return this.resultsOf([jobId]).get(jobId) ?? [];
  }

  /** Moves a job to RUNNING with the models it will check; undefined when the job is gone. */
  markRunning(id: string, models: string[], startedAt: Date): HealthCheckJobRow | undefined {
    return this.db
      .update(healthCheckJobs)
      .set({ state: "running", models, startedAt })
      .where(eq(healthCheckJobs.id, id))
      .returning()
      .get();
  }

  /** Ends a job; undefined when the job is gone (its provider was deleted). */
  finish(
    id: string,
    end: { state: Extract<HealthCheckJobState, "succeeded" | "failed">; error: string; endedAt: Date },
  ): HealthCheckJobRow | undefined {
    return this.db.update(healthCheckJobs).set(end).where(eq(healthCheckJobs.id, id)).returning().get();
  }

  /** Records one model's outcome. Throws when the job is gone (foreign key). */
  insertResult(values: HealthCheckResultValues): HealthCheckResultRow {
    return this.db.insert(healthCheckResults).values(values).returning().get();
  }

  /** Marks every PENDING or RUNNING job (but those in `spare`) FAILED with `error`; returns how many. */
  failUnfinished(error: string, endedAt: Date, spare: readonly string[] = []): number {
    return this.db
      .update(healthCheckJobs)
      .set({ state: "failed", error, endedAt })
      .where(
        and(
          inArray(healthCheckJobs.state, ["pending", "running"]),
          spare.length === 0 ? undefined : notInArray(healthCheckJobs.id, [...spare]),
        ),
      )
      .run().changes;
  }

  /** The greatest job id ever stored, so new ids keep sorting after it. */
  newestJobId(): string | undefined {
    return (
      this.db
        .select({ id: max(healthCheckJobs.id) })
        .from(healthCheckJobs)
        .get()?.id ?? undefined
    );
  }

  /** The newest scheduled job of a provider, if any. */
  newestScheduled(providerId: string): HealthCheckJobRow | undefined {
    return this.db
      .select()
      .from(healthCheckJobs)
      .where(and(eq(healthCheckJobs.providerId, providerId), eq(healthCheckJobs.scheduled, true)))
      .orderBy(desc(healthCheckJobs.id))
      .limit(1)
      .get();
  }

  /**
   * Deletes a provider's scheduled jobs (and their results) beyond the newest `keep`,
   * never one listed in `spare` (jobs still running). Returns how many were deleted.
   */
  pruneScheduled(providerId: string, keep: number, spare: readonly string[] = []): number {
    const newest = this.db
      .select({ id: healthCheckJobs.id })
      .from(healthCheckJobs)
      .where(and(eq(healthCheckJobs.providerId, providerId), eq(healthCheckJobs.scheduled, true)))
      .orderBy(desc(healthCheckJobs.id))
      .limit(keep);
    return this.db
      .delete(healthCheckJobs)
      .where(
        and(
          eq(healthCheckJobs.providerId, providerId),
          eq(healthCheckJobs.scheduled, true),
          notInArray(healthCheckJobs.id, newest),
          spare.length === 0 ? undefined : notInArray(healthCheckJobs.id, [...spare]),
        ),
      )
      .run().changes;
  }

  /** Enabled providers with a health-check interval. */
  scheduledProviders(): ScheduledProvider[] {
    return this.db
      .select({ id: providers.id, intervalMs: providers.healthCheckIntervalMs })
      .from(providers)
      .where(
        and(
          isNotNull(providers.healthCheckIntervalMs),
          sql`${providers.healthCheckIntervalMs} > 0`,
          eq(providers.enabled, true),
        ),
      )
      .orderBy(asc(providers.id))
      .all()
      .map((r) => ({ id: r.id, intervalMs: r.intervalMs ?? 0 }));
  }

  /** The newest job of each of these providers that has started, with its result counts. */
  latestStarted(providerIds: readonly string[]): Map<string, LatestHealthCheck> {
    const out = new Map<string, LatestHealthCheck>();
    if (providerIds.length === 0) return out;
    const newest = this.db
      .select({ providerId: healthCheckJobs.providerId, id: max(healthCheckJobs.id).as("newest_id") })
      .from(healthCheckJobs)
      .where(and(inArray(healthCheckJobs.providerId, [...providerIds]), isNotNull(healthCheckJobs.startedAt)))
      .groupBy(healthCheckJobs.providerId)
      .as("newest");
    const jobs = this.db
      .select({ job: healthCheckJobs })
      .from(healthCheckJobs)
      .innerJoin(newest, eq(healthCheckJobs.id, newest.id))
      .all()
      .map((r) => r.job);
    if (jobs.length === 0) return out;
    const counts = this.db
      .select({
        jobId: healthCheckResults.jobId,
        total: count(),
        healthy: sql<number>`coalesce(sum(${healthCheckResults.healthy}), 0)`,
      })
      .from(healthCheckResults)
      .where(
        inArray(
          healthCheckResults.jobId,
          jobs.map((j) => j.id),
        ),
      )
      .groupBy(healthCheckResults.jobId)
      .all();
    const byJob = new Map(counts.map((c) => [c.jobId, c]));
    for (const job of jobs) {
      const c = byJob.get(job.id);
      out.set(job.providerId, {
        job,
        healthyModels: Number(c?.healthy ?? 0),
        totalModels: c?.total ?? 0,
      });
    }
    return out;
  }
}

/** Whether a job state is final. */
export function isFinalState(state: HealthCheckJobState): boolean {
  return state === "succeeded" || state === "failed";
}
