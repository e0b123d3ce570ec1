// `parley health run|list|get`: `run` starts a health-check job and prints each model's
// result as it lands (WatchHealthCheckJob); it fails when the job fails or a model is unhealthy.
import { create } from "@bufbuild/protobuf";
import {
  CreateHealthCheckJobResponseSchema,
  GetHealthCheckJobResponseSchema,
  HealthCheckJobSchema,
  HealthCheckJobState,
  ListHealthCheckJobsResponseSchema,
  type ModelHealth,
  WatchHealthCheckJobResponseSchema,
} from "../../gen/parley/admin/v1/health_check_pb.js";
import { parseInteger, parseVerb } from "../args.js";
import { connectAdmin, listAll } from "../client.js";
import type { CommandGroup, CommandInput } from "../command.js";
import { CliError } from "../errors.js";
import { durationFlag } from "../flag-values.js";
import { printFields, printJson, printJsonLine, printLine, printTable, renderTable } from "../output.js";
import {
  isFinished,
  JOB_HEADERS,
  jobFields,
  jobRow,
  RESULT_HEADERS,
  resultRow,
  stateText,
  streamingRow,
} from "../views/health-view.js";

const USAGE = `usage: parley health <command> [flags]

  run <provider> [--models a,b] [--concurrency N] [--timeout D]
        check the provider's models now and print each result as it lands; exits 1 when
        the job fails or any model is unhealthy. Without --models: every model mapped to
        the provider (through mappings and chains). --json prints one JSON message per line.
  list [--provider P]     recent jobs, newest first
  get <job-id>            one job and its results
`;

const RUN_OPTIONS = {
  models: { type: "string" },
  concurrency: { type: "string" },
  timeout: { type: "string" },
} as const;

async function runHealthCheck(input: CommandInput): Promise<number> {
  const { values, settings, args } = parseVerb(input, RUN_OPTIONS, ["provider"]);
  const [providerId = ""] = args;
  const models = (values.models ?? "")
    .split(",")
    .map((m) => m.trim())
    .filter((m) => m !== "");
  const job = create(HealthCheckJobSchema, {
    providerId,
    models,
    concurrency:
      values.concurrency === undefined ? 0 : parseInteger("concurrency", values.concurrency, 1, 64),
    timeout: values.timeout === undefined ? undefined : durationFlag("timeout", values.timeout),
  });
  const client = connectAdmin(settings).health;
  const created = await client.createHealthCheckJob({ job });
  const jobId = created.job?.id ?? "";
  if (settings.json) printJsonLine(CreateHealthCheckJobResponseSchema, created);
  else printLine(`health check ${jobId} on provider ${providerId}: ${stateText(created.job?.state ?? 0)}`);

  const modelWidth = Math.max(24, ...models.map((m) => m.length));
  if (!settings.json)
    printLine(
      streamingRow(
        RESULT_HEADERS.map((h) => h.toUpperCase()),
        modelWidth,
      ),
    );
  const results: ModelHealth[] = [];
  let state = created.job?.state ?? HealthCheckJobState.UNSPECIFIED;
  let error = created.job?.error ?? "";
  for await (const update of client.watchHealthCheckJob({ id: jobId })) {
    if (settings.json) printJsonLine(WatchHealthCheckJobResponseSchema, update);
    if (update.result !== undefined) {
      results.push(update.result);
      if (!settings.json) printLine(streamingRow(resultRow(update.result), modelWidth));
    }
    if (update.job !== undefined) {
      state = update.job.state;
      error = update.job.error;
    }
  }
  if (!isFinished(state)) {
    // The stream ended early (e.g. the server is shutting down): ask for the job's fate.
    const latest = (await client.getHealthCheckJob({ id: jobId })).job;
    state = latest?.state ?? state;
    error = latest?.error ?? error;
  }
  return summarise({ jobId, state, error, results, json: settings.json });
}

/** Prints the outcome of a run and turns failure into a one-line error. */
function summarise(run: {
  jobId: string;
  state: HealthCheckJobState;
  error: string;
  results: readonly ModelHealth[];
  json: boolean;
}): number {
  const unhealthy = run.results.filter((r) => !r.healthy).map((r) => r.model);
  const healthy = run.results.length - unhealthy.length;
  if (!run.json) {
    printLine(`${stateText(run.state)}: ${healthy}/${run.results.length} models healthy`);
  }
  if (run.state === HealthCheckJobState.FAILED) {
    throw new CliError(
      `health check ${run.jobId} failed: ${run.error === "" ? "no reason given" : run.error}`,
    );
  }
  if (!isFinished(run.state)) {
    throw new CliError(`health check ${run.jobId} is still ${stateText(run.state)}: the watch ended early`);
  }
  if (unhealthy.length > 0) {
    throw new CliError(
      `${unhealthy.length} of ${run.results.length} models unhealthy: ${unhealthy.join(", ")}`,
    );
  }
  return 0;
}

async function listJobs(input: CommandInput): Promise<number> {
  const { values, settings } = parseVerb(input, { provider: { type: "string" } }, []);
  const client = connectAdmin(settings).health;
  const jobs = await listAll(async (pageToken) => {
    const page = await client.listHealthCheckJobs({ providerId: values.provider ?? "", pageToken });
    return { items: page.jobs, nextPageToken: page.nextPageToken };
  });
  if (settings.json)
    printJson(ListHealthCheckJobsResponseSchema, create(ListHealthCheckJobsResponseSchema, { jobs }));
  else printTable(JOB_HEADERS, jobs.map(jobRow), "no health-check jobs");
  return 0;
}

async function getJob(input: CommandInput): Promise<number> {
  const { settings, args } = parseVerb(input, {}, ["job-id"]);
  const [id = ""] = args;
  const response = await connectAdmin(settings).health.getHealthCheckJob({ id });
  if (settings.json) {
    printJson(GetHealthCheckJobResponseSchema, response);
  } else if (response.job !== undefined) {
    printFields(jobFields(response.job));
    if (response.job.results.length > 0) {
      printLine();
      printLine(renderTable(RESULT_HEADERS, response.job.results.map(resultRow)));
    }
  }
  return 0;
}

/** The `parley health` commands. */
export const healthCommands: CommandGroup = {
  usage: USAGE,
  verbs: { run: runHealthCheck, list: listJobs, get: getJob },
};
