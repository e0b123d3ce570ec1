// The SQLite schema of the admin state: providers, model mappings, fallback chains and
// health-check jobs with their per-model results. Durations are stored in milliseconds;
// a null policy column means "use the default".
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** The two provider kinds: any Chat Completions endpoint, or Anthropic Messages. */
export type ProviderKind = "openai" | "anthropic";

const timestamps = {
  createdAt: integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
};

/** An upstream endpoint Parley can send requests to. */
export const providers = sqliteTable("providers", {
  id: text("id").primaryKey(),
  kind: text("kind").$type<ProviderKind>().notNull(),
  baseUrl: text("base_url").notNull(),
  /** Write-only through the API; null = forward the client's credentials. */
  apiKey: text("api_key"),
  headers: text("headers", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
  connectTimeoutMs: integer("connect_timeout_ms"),
  headersTimeoutMs: integer("headers_timeout_ms"),
  idleTimeoutMs: integer("idle_timeout_ms"),
  requestTimeoutMs: integer("request_timeout_ms"),
  maxRetries: integer("max_retries"),
  breakerFailureThreshold: integer("breaker_failure_threshold"),
  breakerOpenMs: integer("breaker_open_ms"),
  healthCheckIntervalMs: integer("health_check_interval_ms"),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  demoteNonStreaming: integer("demote_nonstreaming", { mode: "boolean" }),
  /** OpenAI kind only; null = on for api.openai.com, off elsewhere (resolved in the snapshot). */
  responsesApi: integer("responses_api", { mode: "boolean" }),
  /** The provider's own request limits; null = none (the process-wide limits still apply). */
  maxBodyBytes: integer("max_body_bytes"),
  maxMessages: integer("max_messages"),
  ...timestamps,
});

/** An ordered list of targets tried one after another. */
export const fallbackChains = sqliteTable("fallback_chains", {
  id: text("id").primaryKey(),
  description: text("description").notNull().default(""),
  ...timestamps,
});

/** One target of a fallback chain, at its position. */
export const fallbackChainTargets = sqliteTable(
  "fallback_chain_targets",
  {
    chainId: text("chain_id")
      .notNull()
      .references(() => fallbackChains.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    providerId: text("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "restrict" }),
    /** null = keep the model name the client sent. */
    upstreamModel: text("upstream_model"),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.position] }),
    index("fallback_chain_targets_provider").on(t.providerId),
  ],
);

/** Routes a client model name (exact or glob) to a target or a fallback chain. */
export const modelMappings = sqliteTable(
  "model_mappings",
  {
    id: text("id").primaryKey(),
    /** Exact name or glob (`claude-*`); matched case-insensitively. */
    alias: text("alias").notNull(),
    providerId: text("provider_id").references(() => providers.id, { onDelete: "restrict" }),
    /** null = keep the model name the client sent. */
    upstreamModel: text("upstream_model"),
    fallbackChainId: text("fallback_chain_id").references(() => fallbackChains.id, { onDelete: "restrict" }),
    /** Clamp for the client's max_tokens, when set. */
    maxOutputTokens: integer("max_output_tokens"),
    ...timestamps,
  },
  (t) => [uniqueIndex("model_mappings_alias").on(sql`lower(${t.alias})`)],
);

/** Where a health-check job is in its life; only "succeeded" and "failed" are final. */
export type HealthCheckJobState = "pending" | "running" | "succeeded" | "failed";

/** A background job that sends one minimal request to each model of a provider. */
export const healthCheckJobs = sqliteTable(
  "health_check_jobs",
  {
    /** Time-ordered (UUIDv7 layout), so descending id order lists the newest job first. */
    id: text("id").primaryKey(),
    /** A provider's checks go with it when it is deleted. */
    providerId: text("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    /** The models asked for (empty = resolve them); once running, the models being checked. */
    models: text("models", { mode: "json" }).$type<string[]>().notNull().default([]),
    concurrency: integer("concurrency").notNull(),
    timeoutMs: integer("timeout_ms").notNull(),
    state: text("state").$type<HealthCheckJobState>().notNull(),
    /** Why the job failed; empty otherwise. */
    error: text("error").notNull().default(""),
    /** Started by the provider's schedule rather than by a caller. */
    scheduled: integer("scheduled", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("health_check_jobs_provider").on(t.providerId, t.id),
    index("health_check_jobs_state").on(t.state),
  ],
);

/** The outcome of one model's check within a job. */
export const healthCheckResults = sqliteTable(
  "health_check_results",
  {
    /** Increasing in landing order, which is the order results are listed and streamed in. */
    id: integer("id").primaryKey({ autoIncrement: true }),
    jobId: text("job_id")
      .notNull()
      .references(() => healthCheckJobs.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    healthy: integer("healthy", { mode: "boolean" }).notNull(),
    latencyMs: integer("latency_ms").notNull(),
    /** 0 when no response arrived (timeout, connection failure). */
    httpStatus: integer("http_status").notNull(),
    /** What went wrong, API key scrubbed; empty when healthy. */
    error: text("error").notNull().default(""),
    checkedAt: integer("checked_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("health_check_results_job_model").on(t.jobId, t.model)],
);

/** Row types. */
export type ProviderRow = typeof providers.$inferSelect;
export type FallbackChainRow = typeof fallbackChains.$inferSelect;
export type FallbackChainTargetRow = typeof fallbackChainTargets.$inferSelect;
export type ModelMappingRow = typeof modelMappings.$inferSelect;
export type HealthCheckJobRow = typeof healthCheckJobs.$inferSelect;
export type HealthCheckResultRow = typeof healthCheckResults.$inferSelect;
