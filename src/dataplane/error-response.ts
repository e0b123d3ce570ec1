// Failures as answers: an error in the client's dialect with the status it stands for, or
// the upstream's own error body already translated; nothing when the response began.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type ClientDialect, errorBody } from "../core/dialect-errors.js";
import { asParleyError, NoProviderError, ParleyError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { BreakerRegistry } from "../resilience/circuit-breaker.js";
import type { TargetPolicy } from "../resilience/target-loop.js";
import type { Target } from "../routing/types.js";
import type { RequestLog } from "./exchange.js";
import { sendJson } from "./http-io.js";
import { UpstreamStatusError } from "./upstream-status-error.js";

/** The 503 for a route whose every provider's breaker is open: who, and when they are tried again. */
export function circuitOpenError(
  skipped: readonly Target[],
  deps: { breakers: BreakerRegistry; policyFor(target: Target): TargetPolicy },
): NoProviderError {
  const parts = skipped.map((target) => {
    const status = deps.breakers.for(target.provider.id).status(deps.policyFor(target).breaker);
    const when = status.retryAt === null ? "soon" : new Date(status.retryAt).toISOString();
    return `"${target.provider.id}" (tried again at ${when})`;
  });
  return new NoProviderError({
    message: `every provider for this model is failing and temporarily skipped (circuit open): ${[...new Set(parts)].join(", ")}`,
  });
}

/** Answers an error in the client's dialect, unless the response already began. */
export async function writeError(
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    dialect: ClientDialect;
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
