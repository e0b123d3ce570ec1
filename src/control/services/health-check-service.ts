// HealthCheckService: starts jobs (returning at once), reads them back, lists them newest
// first, and streams a job's results as they land. Also the lookup that fills
// `Provider.last_health_check` from the newest started job of each provider.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type {
  CreateHealthCheckJobRequest,
  GetHealthCheckJobRequest,
  HealthCheckService,
  ListHealthCheckJobsRequest,
  WatchHealthCheckJobRequest,
  WatchHealthCheckJobResponseSchema,
} from "../../gen/parley/admin/v1/health_check_pb.js";
import type { HealthCheckSummary } from "../../gen/parley/admin/v1/provider_pb.js";
import { invalidArgument, notFound } from "../connect-errors.js";
import type { Db } from "../db/database.js";
import { HealthRepository, isFinalState } from "../db/health-repository.js";
import { EventQueue } from "../health/event-queue.js";
import { jobToProto, modelHealthToProto, summaryToProto } from "../health/health-check-mapper.js";
import type { JobEvent } from "../health/job-events.js";
import { MAX_TIMEOUT_MS } from "../health/job-options.js";
import type { HealthCheckRunner } from "../health/runner.js";
import { checkDuration, checkLookupId } from "../validation.js";
import { pageOf, pageRequest } from "./pagination.js";

type WatchMessage = MessageInitShape<typeof WatchHealthCheckJobResponseSchema>;

/** The collection name page tokens of ListHealthCheckJobs are bound to. */
const COLLECTION = "health_check_jobs";

/** The HealthCheckService handlers. */
export class HealthCheckServiceImpl implements ServiceImpl<typeof HealthCheckService> {
  private readonly repo: HealthRepository;

  constructor(
    private readonly runner: HealthCheckRunner,
    db: Db,
  ) {
    this.repo = new HealthRepository(db);
  }

  /** Starts a job and returns it PENDING; the checks run in the background. */
  createHealthCheckJob(req: CreateHealthCheckJobRequest) {
    const job = req.job;
    if (job === undefined) throw invalidArgument("job", "is required");
    const timeoutMs = checkDuration("job.timeout", job.timeout, { maxMs: MAX_TIMEOUT_MS });
    const row = this.runner.create({
      providerId: job.providerId,
      models: job.models,
      concurrency: job.concurrency,
      timeoutMs: timeoutMs ?? undefined,
    });
    return { job: jobToProto(row) };
  }

  /** Returns one job with the results recorded so far. */
  getHealthCheckJob(req: GetHealthCheckJobRequest) {
    const id = checkLookupId("id", req.id);
    const row = this.repo.findJob(id);
    if (row === undefined) throw notFound("health-check job", id);
    return { job: jobToProto(row, this.repo.results(id)) };
  }

  /** Returns one page of jobs, newest first, optionally of one provider. */
  listHealthCheckJobs(req: ListHealthCheckJobsRequest) {
    const page = pageRequest(COLLECTION, req);
    const providerId = req.providerId === "" ? undefined : checkLookupId("provider_id", req.providerId);
    const rows = this.repo.listJobs({ providerId, beforeId: page.afterId, limit: page.limit + 1 });
    const { items, nextPageToken } = pageOf(COLLECTION, rows, page.limit, (r) => r.id);
    const results = this.repo.resultsOf(items.map((r) => r.id));
    return { jobs: items.map((row) => jobToProto(row, results.get(row.id))), nextPageToken };
  }

  /**
   * Streams the results already recorded, then each new one as it lands, then one message
   * with the final state. A finished job gets its results and the final message at once.
   */
  async *watchHealthCheckJob(
    req: WatchHealthCheckJobRequest,
    ctx: HandlerContext,
  ): AsyncIterable<WatchMessage> {
    const id = checkLookupId("id", req.id);
    // Subscribe before reading: both are synchronous, so no result falls between them.
    const queue = new EventQueue<JobEvent>();
    const unsubscribe = this.runner.subscribe(id, (event) => {
      queue.push(event);
      if (event.kind === "end") queue.close();
    });
    try {
      const row = this.repo.findJob(id);
      if (row === undefined) throw notFound("health-check job", id);
      const sent = new Set<string>();
      const current = jobToProto(row);
      for (const result of this.repo.results(id)) {
        sent.add(result.model);
        yield { job: current, result: modelHealthToProto(result) };
      }
      // Not running here: finished, or left unfinished by a process that is gone.
      if (unsubscribe === undefined || isFinalState(row.state)) {
        yield { job: current };
        return;
      }
      for await (const event of queue.consume(ctx.signal)) {
        if (event.kind === "end") {
          yield { job: jobToProto(event.job) };
          return;
        }
        if (sent.has(event.result.model)) continue;
        sent.add(event.result.model);
        yield { job: jobToProto(event.job), result: modelHealthToProto(event.result) };
      }
    } finally {
      unsubscribe?.();
    }
  }
}

/**
 * Summaries of each provider's newest started job, for `Provider.last_health_check`
 * (pass the returned function as `lastHealthChecks` to the admin routes).
 */
export function lastHealthChecks(
  db: Db,
): (providerIds: readonly string[]) => ReadonlyMap<string, HealthCheckSummary> {
  const repo = new HealthRepository(db);
  return (providerIds) => {
    const out = new Map<string, HealthCheckSummary>();
    for (const [providerId, latest] of repo.latestStarted(providerIds))
      out.set(providerId, summaryToProto(latest));
    return out;
  };
}

/** The summary of one provider's newest started job, if it has one. */
export function lastHealthCheckSummary(db: Db, providerId: string): HealthCheckSummary | undefined {
  return lastHealthChecks(db)([providerId]).get(providerId);
}
