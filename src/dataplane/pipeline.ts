// The life of a model request: read and validate the body, resolve the model against
// the snapshot, try each target in order until one answers, and answer errors in the
// caller's dialect.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Dialect, errorBody } from "../core/dialect-errors.js";
import { asParleyError, NoProviderError, NotFoundError, ParleyError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { ConfigSnapshot } from "../routing/snapshot.js";
import type { Route } from "../routing/types.js";
import type { Exchange, RequestLog } from "./exchange.js";
import { type ForwardDeps, forwardPassthrough, forwardTranslated } from "./forward.js";
import { sendJson } from "./http-io.js";
import { UpstreamStatusError } from "./upstream-status-error.js";

/** The hint every "no provider" answer and log line carries. */
export const NO_PROVIDER_HINT =
  "no provider is configured: set PARLEY_OPENAI_BASE_URL and PARLEY_OPENAI_API_KEY (or PARLEY_ANTHROPIC_BASE_URL " +
  "and PARLEY_ANTHROPIC_API_KEY) and restart, or add one with `parley providers create`";

/** The request id a response carries: the client's, or a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
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

/** Sends the exchange to the route's targets in order; the first answer wins. */
export async function forwardToRoute(ex: Exchange, route: Route, deps: ForwardDeps): Promise<void> {
  let lastError: unknown;
  for (const target of route.targets) {
    ex.log.attempts++;
    ex.log.provider = target.provider.id;
    ex.log.upstream_model = target.upstreamModel ?? ex.clientModel;
    ex.log.dialect_out = target.provider.kind;
    try {
      const forward = target.provider.kind === ex.dialect ? forwardPassthrough : forwardTranslated;
      await forward(ex, target, deps);
      return;
    } catch (error) {
      lastError = error;
      const retryable = error instanceof ParleyError && error.retryable;
      deps.logger.warn(
        {
          request_id: ex.requestId,
          provider: target.provider.id,
          upstream_model: ex.log.upstream_model,
          body_bytes: ex.rawBody.length,
          elapsed_ms: Date.now() - ex.startedAt,
          err: error instanceof Error ? error.message : String(error),
          abort_cause: ex.signal.aborted ? "client_closed" : undefined,
        },
        "forward failed",
      );
      if (ex.res.headersSent || ex.signal.aborted || !retryable) break;
    }
  }
  if (route.targets.length > 1 && lastError instanceof ParleyError && lastError.retryable) {
    ex.responseHeaders["x-parley-fallback-exhausted"] = "true";
  }
  throw lastError;
}

/** Answers an error in the client's dialect, unless the response already began. */
export async function writeError(
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    dialect: Dialect;
    error: unknown;
    headers: Record<string, string>;
    log: RequestLog;
    logger: Logger;
  },
): Promise<void> {
  const { error, log } = options;
  const parleyError = asParleyError(error);
  if (!(error instanceof ParleyError))
    options.logger.error({ request_id: log.request_id, err: error }, "unexpected error");
  log.status = parleyError.status;
  log.error_class = parleyError.code;
  log.error = parleyError.message;
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  if (parleyError instanceof UpstreamStatusError) {
    return sendJson(req, res, parleyError.status, parleyError.clientBody, {
      ...parleyError.clientHeaders,
      ...options.headers,
    });
  }
  const body = errorBody(options.dialect, parleyError.status, parleyError.message, {
    param: parleyError.param ?? null,
    code: parleyError.code,
  });
  return sendJson(req, res, parleyError.status, body, options.headers);
}
