// Provider rows ↔ Provider messages. Outgoing, the API key becomes `api_key_set` and a
// hint and is never copied, and so do secret headers (`secret_headers`); incoming, each
// writable field is validated and turned into its column, one field at a time so an
// update mask can pick any subset.
import { create } from "@bufbuild/protobuf";
import { durationFromMs, timestampFromDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  BreakerState,
  type HealthCheckSummary,
  type Provider,
  ProviderKind,
  ProviderSchema,
  type ProviderStatus,
  ProviderStatusSchema,
  type SecretHeader,
  SecretHeaderSchema,
} from "../../gen/parley/admin/v1/provider_pb.js";
import { invalidArgument } from "../connect-errors.js";
import type { ProviderValues } from "../db/provider-repository.js";
import type { ProviderRow, ProviderKind as StoredKind } from "../db/schema.js";
import { MIN_HEALTH_CHECK_INTERVAL_MS } from "../health/health-schedules.js";
import type { BreakerStatusView } from "../provider-status.js";
import { secretHint, splitHeaders } from "../secret-headers.js";
import { checkDuration, checkHeaders, checkHttpUrl, checkIntRange } from "../validation.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * A provider's own body limit: below 1 KiB no real request fits, and above 1 GiB the limit
 * means nothing (no model API takes that much, and the process-wide limit is read first).
 */
const BODY_BYTES_RANGE = { min: 1024, max: 1024 * 1024 * 1024 } as const;
/** Ten million messages is a hundred times Anthropic's own limit: anything above is a typo. */
const MESSAGES_RANGE = { min: 1, max: 10_000_000 } as const;

/** Every field an update mask may name, as leaves. */
export const PROVIDER_WRITABLE_FIELDS = [
  "kind",
  "base_url",
  "api_key",
  "headers",
  "timeouts.connect",
  "timeouts.response_headers",
  "timeouts.stream_idle",
  "timeouts.total",
  "retry_policy.max_retries",
  "circuit_breaker.failure_threshold",
  "circuit_breaker.open_duration",
  "enabled",
  "health_check_interval",
  "demote_nonstreaming",
  "responses_api",
  "limits.max_body_bytes",
  "limits.max_messages",
] as const;

/** Fields the server sets; naming them in an update mask is an error. */
export const PROVIDER_OUTPUT_ONLY_FIELDS = [
  "api_key_set",
  "api_key_hint",
  "secret_headers",
  "last_health_check",
  "create_time",
  "update_time",
  "status",
] as const;

function secretHeaders(secret: Record<string, string>): SecretHeader[] {
  return Object.keys(secret)
    .sort()
    .map((name) =>
      create(SecretHeaderSchema, {
        name,
        valueSet: secret[name] !== "",
        valueHint: secretHint(secret[name] ?? null),
      }),
    );
}

const BREAKER_STATES = {
  closed: BreakerState.CLOSED,
  open: BreakerState.OPEN,
  half_open: BreakerState.HALF_OPEN,
} as const;

function statusOf(breaker: BreakerStatusView): ProviderStatus {
  return create(ProviderStatusSchema, {
    breakerState: BREAKER_STATES[breaker.state],
    consecutiveFailures: breaker.consecutiveFailures,
    openTime: breaker.openedAt === null ? undefined : timestampFromMs(breaker.openedAt),
    // Past its retry time an open breaker reports HALF_OPEN; a retry time then would lie.
    retryTime:
      breaker.state === "open" && breaker.retryAt !== null ? timestampFromMs(breaker.retryAt) : undefined,
  });
}

/** What a provider message carries besides its row. */
export interface ProviderExtras {
  lastHealthCheck?: HealthCheckSummary | undefined;
  /** The live breaker; absent when no data plane is wired (status stays unset). */
  breaker?: BreakerStatusView | undefined;
}

/** The message for a stored provider; neither the API key nor a secret header's value is included. */
export function providerToProto(row: ProviderRow, extras: ProviderExtras = {}): Provider {
  const headers = splitHeaders(row.headers);
  const timeouts = {
    connect: row.connectTimeoutMs,
    responseHeaders: row.headersTimeoutMs,
    streamIdle: row.idleTimeoutMs,
    total: row.requestTimeoutMs,
  };
  const anyTimeout = Object.values(timeouts).some((ms) => ms !== null);
  const duration = (ms: number | null) => (ms === null ? undefined : durationFromMs(ms));
  return create(ProviderSchema, {
    id: row.id,
    kind: row.kind === "anthropic" ? ProviderKind.ANTHROPIC : ProviderKind.OPENAI,
    baseUrl: row.baseUrl,
    apiKeySet: row.apiKey !== null && row.apiKey !== "",
    apiKeyHint: secretHint(row.apiKey),
    headers: headers.visible,
    secretHeaders: secretHeaders(headers.secret),
    timeouts: anyTimeout
      ? {
          connect: duration(timeouts.connect),
          responseHeaders: duration(timeouts.responseHeaders),
          streamIdle: duration(timeouts.streamIdle),
          total: duration(timeouts.total),
        }
      : undefined,
    retryPolicy: row.maxRetries === null ? undefined : { maxRetries: row.maxRetries },
    circuitBreaker:
      row.breakerFailureThreshold === null && row.breakerOpenMs === null
        ? undefined
        : {
            failureThreshold: row.breakerFailureThreshold ?? undefined,
            openDuration: duration(row.breakerOpenMs),
          },
    enabled: row.enabled,
    healthCheckInterval: duration(row.healthCheckIntervalMs),
    lastHealthCheck: extras.lastHealthCheck,
    createTime: timestampFromDate(row.createdAt),
    updateTime: timestampFromDate(row.updatedAt),
    demoteNonstreaming: row.demoteNonStreaming ?? undefined,
    responsesApi: row.responsesApi ?? undefined,
    limits:
      row.maxBodyBytes === null && row.maxMessages === null
        ? undefined
        : { maxBodyBytes: row.maxBodyBytes ?? undefined, maxMessages: row.maxMessages ?? undefined },
    status: extras.breaker === undefined ? undefined : statusOf(extras.breaker),
  });
}

function kindOf(kind: ProviderKind): StoredKind {
  if (kind === ProviderKind.OPENAI) return "openai";
  if (kind === ProviderKind.ANTHROPIC) return "anthropic";
  throw invalidArgument("provider.kind", "is required: PROVIDER_KIND_OPENAI or PROVIDER_KIND_ANTHROPIC");
}

function apiKeyOf(apiKey: string): string | null {
  if (apiKey === "") return null;
  // The message never repeats the value: it is a secret even when malformed.
  if (apiKey.length > 4096 || !/^[\x21-\x7e]+$/.test(apiKey)) {
    throw invalidArgument(
      "provider.api_key",
      "must be at most 4096 printable ASCII characters without spaces",
    );
  }
  return apiKey;
}

/** Limits that differ between deployments and tests. */
export interface ProviderLimits {
  /** The shortest health_check_interval other than 0; default MIN_HEALTH_CHECK_INTERVAL_MS. */
  minHealthCheckIntervalMs?: number | undefined;
}

type Writer = (p: Provider, out: Partial<ProviderValues>, limits: ProviderLimits) => void;

/** How each writable field becomes its column(s). */
const WRITERS: Record<(typeof PROVIDER_WRITABLE_FIELDS)[number], Writer> = {
  kind: (p, out) => {
    out.kind = kindOf(p.kind);
  },
  base_url: (p, out) => {
    out.baseUrl = checkHttpUrl("provider.base_url", p.baseUrl);
  },
  api_key: (p, out) => {
    out.apiKey = apiKeyOf(p.apiKey);
  },
  headers: (p, out) => {
    out.headers = checkHeaders("provider.headers", p.headers);
  },
  "timeouts.connect": (p, out) => {
    out.connectTimeoutMs = checkDuration("provider.timeouts.connect", p.timeouts?.connect, {
      maxMs: 5 * MINUTE,
    });
  },
  "timeouts.response_headers": (p, out) => {
    out.headersTimeoutMs = checkDuration("provider.timeouts.response_headers", p.timeouts?.responseHeaders, {
      maxMs: HOUR,
    });
  },
  "timeouts.stream_idle": (p, out) => {
    out.idleTimeoutMs = checkDuration("provider.timeouts.stream_idle", p.timeouts?.streamIdle, {
      maxMs: HOUR,
    });
  },
  "timeouts.total": (p, out) => {
    out.requestTimeoutMs = checkDuration("provider.timeouts.total", p.timeouts?.total, { maxMs: HOUR });
  },
  "retry_policy.max_retries": (p, out) => {
    const value = p.retryPolicy?.maxRetries;
    out.maxRetries =
      value === undefined
        ? null
        : checkIntRange("provider.retry_policy.max_retries", value, { min: 0, max: 10 });
  },
  "circuit_breaker.failure_threshold": (p, out) => {
    const value = p.circuitBreaker?.failureThreshold;
    out.breakerFailureThreshold =
      value === undefined
        ? null
        : checkIntRange("provider.circuit_breaker.failure_threshold", value, { min: 1, max: 1000 });
  },
  "circuit_breaker.open_duration": (p, out) => {
    out.breakerOpenMs = checkDuration(
      "provider.circuit_breaker.open_duration",
      p.circuitBreaker?.openDuration,
      {
        maxMs: HOUR,
      },
    );
  },
  enabled: (p, out) => {
    out.enabled = p.enabled ?? true;
  },
  health_check_interval: (p, out, limits) => {
    out.healthCheckIntervalMs = checkDuration("provider.health_check_interval", p.healthCheckInterval, {
      minMs: limits.minHealthCheckIntervalMs ?? MIN_HEALTH_CHECK_INTERVAL_MS,
      maxMs: 30 * 24 * HOUR,
      allowZero: true,
    });
  },
  demote_nonstreaming: (p, out) => {
    out.demoteNonStreaming = p.demoteNonstreaming ?? null;
  },
  responses_api: (p, out) => {
    out.responsesApi = p.responsesApi ?? null;
  },
  "limits.max_body_bytes": (p, out) => {
    const value = p.limits?.maxBodyBytes;
    out.maxBodyBytes =
      value === undefined ? null : checkIntRange("provider.limits.max_body_bytes", value, BODY_BYTES_RANGE);
  },
  "limits.max_messages": (p, out) => {
    const value = p.limits?.maxMessages;
    out.maxMessages =
      value === undefined ? null : checkIntRange("provider.limits.max_messages", value, MESSAGES_RANGE);
  },
};

/**
 * Refuses settings the provider's kind has no use for, on the row as it will be stored
 * (an update may change the kind, the setting, or both).
 */
export function checkKindSettings(row: Pick<ProviderValues, "kind" | "responsesApi">): void {
  if (row.kind === "anthropic" && row.responsesApi !== null && row.responsesApi !== undefined) {
    throw invalidArgument(
      "provider.responses_api",
      "applies only to PROVIDER_KIND_OPENAI providers (Anthropic has no /v1/responses): leave it " +
        "unset, or clear it by naming it in update_mask without a value",
    );
  }
}

/** Validates the named fields of a Provider message and returns the columns they set. */
export function providerValues(
  p: Provider,
  fields: Iterable<string>,
  limits: ProviderLimits = {},
): Partial<ProviderValues> {
  const out: Partial<ProviderValues> = {};
  for (const field of fields) WRITERS[field as keyof typeof WRITERS]?.(p, out, limits);
  return out;
}
