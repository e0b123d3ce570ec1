// Runs health-check jobs in the background: `create` stores a PENDING job and returns at
// once; the run resolves the models, probes them with bounded concurrency, stores and
// publishes each result as it lands, and ends the job SUCCEEDED or FAILED with a reason.
// It also owns the per-provider schedules and the recovery of jobs a restart cut short.
import { Code, ConnectError } from "@connectrpc/connect";
import type { Logger } from "../../core/logger.js";
import type { SnapshotHolder } from "../../routing/snapshot.js";
import type { UpstreamPools } from "../../upstream/pools.js";
import { describeError, failedPrecondition } from "../connect-errors.js";
import { readConfigRows } from "../db/config-repository.js";
import type { Db } from "../db/database.js";
import { HealthRepository, type ScheduledProvider } from "../db/health-repository.js";
import { ProviderRepository } from "../db/provider-repository.js";
import type { HealthCheckJobRow } from "../db/schema.js";
import { forEachBounded } from "./bounded-concurrency.js";
import { HealthSchedules, MIN_HEALTH_CHECK_INTERVAL_MS } from "./health-schedules.js";
import { JobEvents, type JobListener } from "./job-events.js";
import { JobIdGenerator } from "./job-id.js";
import { type HealthCheckJobRequest, jobSpec } from "./job-options.js";
import { type ProbeOutcome, probeModel } from "./model-probe.js";
import { modelsRoutedTo } from "./model-resolution.js";

/** Scheduled jobs kept per provider when the caller does not say. */
export const DEFAULT_SCHEDULED_HISTORY = 20;
/** The reason given to jobs a previous process left unfinished. */
export const INTERRUPTED_BY_RESTART = "interrupted by a restart";
/** The reason given to jobs still running when this process shuts down. */
export const INTERRUPTED_BY_SHUTDOWN = "interrupted: the server shut down";

/** What the runner is built from. */
export interface HealthCheckRunnerDeps {
  db: Db;
  /** The live configuration: the provider (with its timeouts) is taken from here. */
  snapshots: SnapshotHolder;
  pools: UpstreamPools;
  logger: Logger;
  /** Scheduled jobs kept per provider; older ones and their results are deleted. Default 20. */
  scheduledHistory?: number;
  /**
   * The shortest schedule interval; a stored interval below it (written before the API refused
   * such values) runs at this pace instead. Default MIN_HEALTH_CHECK_INTERVAL_MS.
   */
  minScheduleIntervalMs?: number;
}

interface ActiveJob {
  job: HealthCheckJobRow;
  controller: AbortController;
  done: Promise<void>;
  /** The job's row disappeared (its provider was deleted mid-run). */
  gone: boolean;
  /** A failure to store a result; ends the job FAILED. */
  fault: unknown;
}

type JobEnd = { state: "succeeded" | "failed"; error: string };

/** Creates, runs, schedules and recovers health-check jobs. */
export class HealthCheckRunner {
  private readonly repo: HealthRepository;
  private readonly events = new JobEvents();
  private readonly active = new Map<string, ActiveJob>();
  private readonly ids: JobIdGenerator;
  private readonly schedules: HealthSchedules;
  private readonly logger: Logger;
  private schedulesStarted = false;
  private closed = false;

  constructor(private readonly deps: HealthCheckRunnerDeps) {
    this.repo = new HealthRepository(deps.db);
    this.ids = new JobIdGenerator(this.repo.newestJobId());
    this.logger = deps.logger.child({ component: "health-checks" });
    this.schedules = new HealthSchedules({
      onTick: (providerId) => this.runScheduled(providerId),
      lastRunAt: (providerId) => this.repo.newestScheduled(providerId)?.createdAt.getTime(),
    });
  }

  /**
   * Validates and stores a PENDING job, starts it in the background and returns it at once.
   * Throws `invalid_argument` naming the field, or `failed_precondition` for a missing provider.
   */
  create(request: HealthCheckJobRequest): HealthCheckJobRow {
    if (this.closed) throw new ConnectError("the server is shutting down; retry later", Code.Unavailable);
    const spec = jobSpec(request);
    if (new ProviderRepository(this.deps.db).find(spec.providerId) === undefined) {
      throw failedPrecondition(
        `job.provider_id: provider ${JSON.stringify(spec.providerId)} does not exist; create it first`,
      );
    }
    const now = new Date();
    const job = this.repo.insertJob({
      id: this.ids.next(now.getTime()),
      ...spec,
      state: "pending",
      createdAt: now,
    });
    const entry: ActiveJob = {
      job,
      controller: new AbortController(),
      done: Promise.resolve(),
      gone: false,
      fault: undefined,
    };
    this.active.set(job.id, entry);
    // Started on the next turn, so the caller's response leaves before any request does.
    entry.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run(entry));
    return job;
  }

  /**
   * Listens to a job running in this process: each stored result, then its end. Returns
   * undefined when the job is not running here (finished, unknown, or left by another process).
   */
  subscribe(jobId: string, listener: JobListener): (() => void) | undefined {
    return this.active.has(jobId) ? this.events.subscribe(jobId, listener) : undefined;
  }

  /** Resolves when the job ends; undefined when it is not running in this process. */
  done(jobId: string): Promise<void> | undefined {
    return this.active.get(jobId)?.done;
  }

  /** Marks every job left PENDING or RUNNING by a previous process FAILED; returns how many. */
  recoverInterrupted(): number {
    const count = this.repo.failUnfinished(INTERRUPTED_BY_RESTART, new Date(), [...this.active.keys()]);
    if (count > 0) this.logger.warn({ jobs: count }, "marked health-check jobs interrupted by a restart");
    return count;
  }

  /** Starts the per-provider schedules (call once at start-up). */
  startSchedules(): void {
    this.schedulesStarted = true;
    this.refreshSchedules();
  }

  /** Re-reads the providers' intervals; call after every committed config write. */
  refreshSchedules(): void {
    if (!this.schedulesStarted || this.closed) return;
    try {
      this.schedules.apply(this.repo.scheduledProviders().map((p) => this.withFloor(p)));
    } catch (error) {
      this.logger.error(describeError(error), "could not read the health-check schedules");
    }
  }

  private withFloor(provider: ScheduledProvider): ScheduledProvider {
    const floor = this.deps.minScheduleIntervalMs ?? MIN_HEALTH_CHECK_INTERVAL_MS;
    if (provider.intervalMs >= floor) return provider;
    this.logger.warn(
      { provider: provider.id, interval_ms: provider.intervalMs, used_ms: floor },
      "stored health-check interval is below the minimum; scheduling at the minimum",
    );
    return { ...provider, intervalMs: floor };
  }

  /** Stops the schedules, cancels running jobs (they end FAILED) and waits for them. */
  async close(): Promise<void> {
    this.closed = true;
    this.schedules.stop();
    const running = [...this.active.values()];
    for (const entry of running) entry.controller.abort();
    await Promise.allSettled(running.map((entry) => entry.done));
  }

  private runScheduled(providerId: string): void {
    if (this.closed) return;
    const busy = [...this.active.values()].some((e) => e.job.providerId === providerId && e.job.scheduled);
    if (busy) {
      this.logger.debug(
        { provider: providerId },
        "scheduled health check skipped: the previous one still runs",
      );
      return;
    }
    try {
      this.create({ providerId, scheduled: true });
    } catch (error) {
      this.logger.warn(
        { provider: providerId, ...describeError(error) },
        "scheduled health check not started",
      );
    }
  }

  private async run(entry: ActiveJob): Promise<void> {
    let end: JobEnd;
    try {
      end = await this.execute(entry);
    } catch (error) {
      this.logger.error({ job_id: entry.job.id, ...describeError(error) }, "health-check job failed");
      end = { state: "failed", error: "internal error while running the job; see the server log" };
    }
    this.end(entry, end);
  }

  private async execute(entry: ActiveJob): Promise<JobEnd> {
    const { id, providerId } = entry.job;
    const signal = entry.controller.signal;
    if (signal.aborted) return { state: "failed", error: INTERRUPTED_BY_SHUTDOWN };
    const provider = this.deps.snapshots.current().providers.get(providerId);
    if (provider === undefined) {
      return { state: "failed", error: `provider ${JSON.stringify(providerId)} no longer exists` };
    }
    const models =
      entry.job.models.length > 0
        ? entry.job.models
        : modelsRoutedTo(readConfigRows(this.deps.db), providerId);
    if (models.length === 0) {
      return {
        state: "failed",
        error:
          `no models to check: no mapping or fallback chain names an upstream model on provider ` +
          `${JSON.stringify(providerId)} (a glob alias that keeps the client's model names none); pass models explicitly`,
      };
    }
    const running = this.repo.markRunning(id, models, new Date());
    if (running === undefined) return this.goneEnd(entry);
    entry.job = running;
    this.logger.info(
      { job_id: id, provider: providerId, models: models.length, scheduled: running.scheduled },
      "health-check job started",
    );
    await forEachBounded(models, running.concurrency, async (model) => {
      if (signal.aborted || entry.gone || entry.fault !== undefined) return;
      const outcome = await probeModel({
        pools: this.deps.pools,
        provider,
        model,
        timeoutMs: running.timeoutMs,
        signal,
      });
      // A probe cut short by shutdown says nothing about the model: it is not recorded.
      if (!signal.aborted) this.record(entry, outcome);
    });
    if (entry.fault !== undefined) throw entry.fault;
    if (entry.gone) return this.goneEnd(entry);
    if (signal.aborted) return { state: "failed", error: INTERRUPTED_BY_SHUTDOWN };
    return { state: "succeeded", error: "" };
  }

  private goneEnd(entry: ActiveJob): JobEnd {
    entry.gone = true;
    return { state: "failed", error: `provider ${JSON.stringify(entry.job.providerId)} was deleted` };
  }

  private record(entry: ActiveJob, outcome: ProbeOutcome): void {
    if (entry.gone || entry.fault !== undefined) return;
    try {
      const result = this.repo.insertResult({ jobId: entry.job.id, ...outcome });
      this.events.publish(entry.job.id, { kind: "result", job: entry.job, result });
    } catch (error) {
      // Deleting the provider deletes its jobs; anything else is a real fault.
      if (this.jobStillStored(entry.job.id)) entry.fault = error;
      else entry.gone = true;
    }
  }

  private jobStillStored(id: string): boolean {
    try {
      return this.repo.findJob(id) !== undefined;
    } catch {
      return true;
    }
  }

  private end(entry: ActiveJob, end: JobEnd): void {
    const endedAt = new Date();
    let job: HealthCheckJobRow = { ...entry.job, ...end, endedAt };
    if (!entry.gone) {
      try {
        job = this.repo.finish(entry.job.id, { ...end, endedAt }) ?? job;
      } catch (error) {
        this.logger.error({ job_id: entry.job.id, ...describeError(error) }, "could not store a job's end");
      }
    }
    entry.job = job;
    this.active.delete(job.id);
    this.events.publish(job.id, { kind: "end", job });
    this.logger.info(
      { job_id: job.id, provider: job.providerId, state: job.state, scheduled: job.scheduled },
      "health-check job ended",
    );
    if (job.scheduled && !entry.gone) this.prune(job.providerId);
  }

  private prune(providerId: string): void {
    const spare = [...this.active.values()]
      .filter((e) => e.job.providerId === providerId)
      .map((e) => e.job.id);
    try {
      this.repo.pruneScheduled(providerId, this.deps.scheduledHistory ?? DEFAULT_SCHEDULED_HISTORY, spare);
    } catch (error) {
      this.logger.error(
        { provider: providerId, ...describeError(error) },
        "could not prune health-check history",
      );
    }
  }
}
