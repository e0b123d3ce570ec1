// The life of a model request, top to bottom: read and validate the body, resolve the
// model against the snapshot, run the target loop over attempts (each one uncommitted
// until the commit gate lets it through), and deliver the answer — or the last failure —
// in the caller's dialect.
import type { IncomingMessage, ServerResponse } from "node:http";
import { requestBodies } from "../core/body-buffers.js";
import type { Cancellation } from "../core/cancellation.js";
import type { ClientLimits } from "../core/config.js";
import type { ClientDialect } from "../core/dialect-errors.js";
import { NoProviderError, NotFoundError, UpstreamHttpError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { BreakerRegistry } from "../resilience/circuit-breaker.js";
import {
  type AttemptContext,
  type AttemptFailure,
  runTargets,
  type TargetPolicy,
  TargetRefusal,
} from "../resilience/target-loop.js";
import type { ConfigSnapshot, SnapshotHolder } from "../routing/snapshot.js";
import type { Route, Target } from "../routing/types.js";
import type { UpstreamPools } from "../upstream/pools.js";
import { type Answer, type AttemptMode, attempt, parseAhead } from "./attempt.js";
import { CommitGate } from "./commit-gate.js";
import { countTokens } from "./count-tokens.js";
import { circuitOpenError, writeError } from "./error-response.js";
import type { Exchange, RequestClock, RequestLog } from "./exchange.js";
import { type BodyDeadlines, readBody, sendJson } from "./http-io.js";
import { withScanCopy } from "./json-scan.js";
import type { DataPlaneMetrics } from "./metrics.js";
import { providerLimitError } from "./provider-limits.js";
import { validateModelRequest } from "./request-validation.js";
import type { UsageMeter } from "./usage-meter.js";

/** The hint every "no provider" answer and log line carries. */
export const NO_PROVIDER_HINT =
  "no provider is configured: set PARLEY_OPENAI_BASE_URL and PARLEY_OPENAI_API_KEY (or PARLEY_ANTHROPIC_BASE_URL " +
  "and PARLEY_ANTHROPIC_API_KEY) and restart, or add one with `parley providers create`";

/** What serving a model request needs. */
export interface FlowDeps {
  snapshots: SnapshotHolder;
  pools: UpstreamPools;
  breakers: BreakerRegistry;
  logger: Logger;
  client: ClientLimits;
  /** Where body reads wait out their time limit. */
  bodyDeadlines: BodyDeadlines;
  pingIntervalMs: number;
  commitDeadlineMs: number;
  attemptBudgetMs: number;
  /** The process default for sending non-streaming requests upstream as streams. */
  demoteNonStreaming: boolean;
  /** Retries and fallbacks are counted here when set. */
  metrics?: DataPlaneMetrics;
  policyFor(target: Target): TargetPolicy;
}

/** The request as the edge saw it. */
export interface IncomingModelRequest {
  req: IncomingMessage;
  res: ServerResponse;
  dialect: ClientDialect;
  requestId: string;
  query: string;
  signal: Cancellation;
  responseHeaders: Record<string, string>;
  startedAt: number;
  log: RequestLog;
  clock: RequestClock;
  meter: UsageMeter;
  countOnly: boolean;
}

/** Resolves the model or throws the error the client should see. */
export function resolveRoute(snapshot: ConfigSnapshot, model: string): Route {
  if (snapshot.isEmpty) throw new NoProviderError({ message: NO_PROVIDER_HINT });
  const route = snapshot.resolve(model);
  if (!route) {
    const aliases = snapshot.aliases();
    throw new NotFoundError({
      message: `model "${model}" is not mapped to any provider; known aliases: ${aliases.join(", ") || "(none)"}`,
      param: "model",
    });
  }
  if (route.targets.length === 0) {
    throw new NoProviderError({
      message: `model "${model}" maps to "${route.alias}", whose providers are all disabled`,
    });
  }
  return route;
}

/** Serves one model request (or count_tokens) from its body to its answer. */
export async function serveModelRequest(incoming: IncomingModelRequest, deps: FlowDeps): Promise<void> {
  const bytes = await readBody(incoming.req, deps.client, deps.bodyDeadlines, requestBodies);
  try {
    await serveBody(incoming, bytes, deps);
  } finally {
    // Nothing reads the body after its answer; memory an upstream send took is not given back.
    requestBodies.give(bytes);
  }
}

async function serveBody(incoming: IncomingModelRequest, bytes: Buffer, deps: FlowDeps): Promise<void> {
  // Validation and the scans ahead of the first attempt read a large body from one copy.
  const { ex, route } = withScanCopy(bytes, () => exchangeFor(incoming, bytes, deps));
  if (incoming.countOnly) return countTokens(ex, route, deps);

  const gate = ex.stream ? newGate(ex, deps) : undefined;
  const outcome = await runTargets({
    targets: route.targets,
    policyFor: deps.policyFor,
    breakers: deps.breakers,
    budgetMs: deps.attemptBudgetMs,
    startedAt: ex.startedAt,
    signal: ex.signal,
    onFailure: (failure) => {
      logFailure(ex, failure, deps.logger);
      if (failure.retryInMs !== undefined) {
        ex.clock.waitedMs += failure.retryInMs;
        deps.metrics?.retried(failure.target.provider.id);
      }
    },
    attempt: async (target, n, at) => {
      // Over this provider's own limit: the next target may take it; nothing is sent here.
      const overLimit = providerLimitError(target.provider, ex);
      if (overLimit) throw new TargetRefusal(overLimit);
      if (n > 1 && at.retry === 0 && ex.log.provider)
        deps.metrics?.fellBack(ex.log.provider, target.provider.id);
      noteAttempt(ex, target, n);
      const answer = await attempt(ex, target, deps, attemptMode(ex, target, at, deps));
      const headers = answerHeaders(answer.headers, ex, target, n);
      if (answer.kind === "stream") await gate?.open(answer.frames, headers);
      return { answer, headers };
    },
  });

  if (!outcome.ok) {
    const headers: Record<string, string> = {
      ...ex.responseHeaders,
      "x-parley-attempts": String(outcome.attempts),
    };
    if (outcome.target) headers["x-parley-provider"] = outcome.target.provider.id;
    if (outcome.exhausted && route.targets.length > 1) headers["x-parley-fallback-exhausted"] = "true";
    const error = outcome.error ?? circuitOpenError(outcome.skipped, deps);
    return writeError(ex.req, ex.res, {
      dialect: ex.dialect,
      error,
      headers,
      log: ex.log,
      logger: deps.logger,
    });
  }
  return deliver(ex, outcome.value, gate);
}

/** The validated exchange and its route, with what its attempts will read parsed ahead. */
function exchangeFor(
  incoming: IncomingModelRequest,
  bytes: Buffer,
  deps: FlowDeps,
): { ex: Exchange; route: Route } {
  const validated = validateModelRequest(bytes, {
    // A Responses request carries its conversation in `input`, which its translators check.
    requireMessages: incoming.dialect !== "responses",
    maxMessages: deps.client.maxMessages,
  });
  incoming.log.model = validated.model;
  incoming.log.stream = validated.stream;
  const route = resolveRoute(deps.snapshots.current(), validated.model);
  incoming.log.alias = route.alias;
  // Spelt out, not spread from `incoming`: V8 gives every spread of this many members a
  // hidden class of its own, which cost ~15 µs and 0.5 KB a request.
  const ex: Exchange = {
    req: incoming.req,
    res: incoming.res,
    requestId: incoming.requestId,
    dialect: incoming.dialect,
    body: validated.body,
    conversationLength: validated.conversationLength,
    clientModel: validated.model,
    modelSpan: validated.modelSpan,
    stream: incoming.countOnly ? false : validated.stream,
    query: incoming.query,
    signal: incoming.signal,
    responseHeaders: incoming.responseHeaders,
    startedAt: incoming.startedAt,
    log: incoming.log,
    clock: incoming.clock,
    meter: incoming.meter,
  };
  parseAhead(ex, route.targets, incoming.countOnly);
  return { ex, route };
}

function deliver(
  ex: Exchange,
  delivered: { answer: Answer; headers: Record<string, string> },
  gate: CommitGate | undefined,
): Promise<void> {
  const { answer, headers } = delivered;
  ex.log.status = answer.kind === "json" ? answer.status : 200;
  if (answer.kind === "json") {
    ex.log.ttfb_ms = Date.now() - ex.startedAt;
    return sendJson(ex.req, ex.res, answer.status, answer.body, headers);
  }
  return gate!.pump();
}

function newGate(ex: Exchange, deps: FlowDeps): CommitGate {
  // The callbacks close over these alone, not `ex`: an open stream then keeps no body alive.
  const { log, requestId, startedAt } = ex;
  const { logger } = deps;
  return new CommitGate({
    res: ex.res,
    dialect: ex.dialect,
    startedAt: ex.startedAt,
    commitDeadlineMs: deps.commitDeadlineMs,
    pingIntervalMs: deps.pingIntervalMs,
    signal: ex.signal,
    clock: ex.clock,
    onCommit: () => {
      log.ttfb_ms = Date.now() - startedAt;
    },
    onLateFailure: (error) => {
      log.error_class = (error as { code?: string }).code ?? "stream_error";
      logger.warn(
        { request_id: requestId, err: error instanceof Error ? error.message : String(error) },
        "upstream stream failed after the response began",
      );
    },
  });
}

/**
 * Demotion when configured for a non-streaming request; for a stream whose earlier attempt
 * at this target broke before content (not an error status, which a JSON request would get
 * too), the last retry asks without streaming and replays the answer as a stream.
 */
function attemptMode(ex: Exchange, target: Target, at: AttemptContext, deps: FlowDeps): AttemptMode {
  if (!ex.stream)
    return (target.provider.demoteNonStreaming ?? deps.demoteNonStreaming) ? "demoted" : "as-asked";
  const brokeMidStream = at.previousError !== undefined && !(at.previousError instanceof UpstreamHttpError);
  return at.retry > 0 && at.lastAtTarget && brokeMidStream ? "replayed" : "as-asked";
}

/** Parley's own time so far: elapsed minus the time spent waiting on upstreams. */
function overheadMs(ex: Exchange): string {
  return (performance.now() - ex.clock.startedPerf - ex.clock.waitedMs).toFixed(2);
}

/** The answer's headers (its own object, made for this attempt) with Parley's added; Parley's win. */
function answerHeaders(
  headers: Record<string, string>,
  ex: Exchange,
  target: Target,
  n: number,
): Record<string, string> {
  for (const name in ex.responseHeaders) headers[name] = ex.responseHeaders[name]!;
  headers["x-parley-provider"] = target.provider.id;
  headers["x-parley-attempts"] = String(n);
  headers["x-parley-overhead-ms"] = overheadMs(ex);
  return headers;
}

function noteAttempt(ex: Exchange, target: Target, n: number): void {
  ex.log.attempts = n;
  ex.log.provider = target.provider.id;
  ex.log.upstream_model = target.upstreamModel ?? ex.clientModel;
  ex.log.dialect_out = target.provider.kind;
}

/** One diagnostic line per failed upstream forward (DESIGN §6). */
function logFailure(ex: Exchange, failure: AttemptFailure, logger: Logger): void {
  const { error, target } = failure;
  logger.warn(
    {
      request_id: ex.requestId,
      provider: target.provider.id,
      upstream_model: target.upstreamModel ?? ex.clientModel,
      attempt: failure.attempt,
      retry_in_ms: failure.retryInMs,
      body_bytes: ex.body.bytes.length,
      has_thinking: ex.body.bytes.includes('"thinking"'),
      anthropic_beta: ex.req.headers["anthropic-beta"],
      query: ex.query || undefined,
      elapsed_ms: Date.now() - ex.startedAt,
      err: error instanceof Error ? error.message : String(error),
      error_class: (error as { code?: string }).code,
      timeout: (error as { timeout?: string }).timeout,
      abort_cause: ex.signal.aborted ? "client_closed" : undefined,
    },
    "forward failed",
  );
}
