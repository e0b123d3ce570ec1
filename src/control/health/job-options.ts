// The limits and defaults of a health-check job, and the checks that hold a request to
// them. Each failure names the API field at fault (`job.concurrency: …`).
import { invalidArgument } from "../connect-errors.js";
import { checkLookupId } from "../validation.js";

/** Requests in flight at once when the caller does not say. */
export const DEFAULT_CONCURRENCY = 4;
/** Most requests in flight at once. */
export const MAX_CONCURRENCY = 64;
/** Per-request deadline when the caller does not say. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Longest per-request deadline. */
export const MAX_TIMEOUT_MS = 10 * 60_000;
/** Most models one job may name. */
export const MAX_MODELS = 1000;

/** What a caller (or a schedule) asks for. */
export interface HealthCheckJobRequest {
  providerId: string;
  /** Upstream model names; empty or absent = every model routed to the provider. */
  models?: readonly string[];
  /** 1-64; absent or 0 = 4. */
  concurrency?: number;
  /** 1 ms to 10 minutes; absent = 30 s. */
  timeoutMs?: number;
  /** Started by the provider's schedule. */
  scheduled?: boolean;
}

/** A request with every default applied. */
export interface HealthCheckJobSpec {
  providerId: string;
  models: string[];
  concurrency: number;
  timeoutMs: number;
  scheduled: boolean;
}

function checkModels(models: readonly string[]): string[] {
  if (models.length > MAX_MODELS) throw invalidArgument("job.models", `has more than ${MAX_MODELS} entries`);
  models.forEach((model, i) => {
    const field = `job.models[${i}]`;
    if (model === "") throw invalidArgument(field, "is empty: name an upstream model");
    if (model.length > 256) throw invalidArgument(field, "is longer than 256 characters");
    if (/\s/.test(model) || /\p{Cc}/u.test(model)) {
      throw invalidArgument(field, `${JSON.stringify(model)} contains whitespace or control characters`);
    }
  });
  return [...new Set(models)];
}

/** Validates a job request and applies the defaults. */
export function jobSpec(request: HealthCheckJobRequest): HealthCheckJobSpec {
  const providerId = checkLookupId("job.provider_id", request.providerId);
  const concurrency =
    request.concurrency === undefined || request.concurrency === 0
      ? DEFAULT_CONCURRENCY
      : request.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw invalidArgument(
      "job.concurrency",
      `must be between 1 and ${MAX_CONCURRENCY} (0 means ${DEFAULT_CONCURRENCY}), got ${concurrency}`,
    );
  }
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw invalidArgument("job.timeout", `must be between 1ms and 10m, got ${timeoutMs}ms`);
  }
  return {
    providerId,
    models: checkModels(request.models ?? []),
    concurrency,
    timeoutMs,
    scheduled: request.scheduled ?? false,
  };
}
