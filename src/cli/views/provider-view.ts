// How a provider reads in a table row and in `parley providers get`. The API key and the
// values of secret headers are never returned by the server; only whether each is set and
// its last four characters. The breaker state is the server's live view of the provider.
import type { Duration } from "@bufbuild/protobuf/wkt";
import {
  BreakerState,
  type Provider,
  ProviderKind,
  type ProviderStatus,
  type SecretHeader,
} from "../../gen/parley/admin/v1/provider_pb.js";
import { formatByteSize } from "../byte-size.js";
import { formatDuration } from "../duration.js";
import { formatTime } from "../output.js";
import { formatKind } from "../provider-kind.js";

/** Column headers of the providers table. */
export const PROVIDER_HEADERS = [
  "id",
  "kind",
  "base url",
  "api key",
  "enabled",
  "breaker",
  "last health check",
];

const BREAKER_NAMES: Record<BreakerState, string> = {
  [BreakerState.UNSPECIFIED]: "unknown",
  [BreakerState.CLOSED]: "closed",
  [BreakerState.OPEN]: "open",
  [BreakerState.HALF_OPEN]: "half-open",
};

/** "open (5 failures)"; "-" when the server runs no data plane to ask. */
function breakerText(status: ProviderStatus | undefined): string {
  if (status === undefined) return "-";
  const name = BREAKER_NAMES[status.breakerState] ?? "unknown";
  const n = status.consecutiveFailures;
  return n === 0 ? name : `${name} (${n} failure${n === 1 ? "" : "s"})`;
}

function optionalBoolean(value: boolean | undefined, unset: string): string {
  return value === undefined ? unset : String(value);
}

/** The responses_api default depends on the kind and the host, so say which rule applies. */
function responsesApiText(provider: Provider): string {
  if (provider.kind !== ProviderKind.OPENAI) return "-";
  return optionalBoolean(provider.responsesApi, "default (on for api.openai.com only)");
}

function apiKeyText(provider: Provider): string {
  if (!provider.apiKeySet) return "client's";
  // Short keys have no hint: the server shows nothing of them.
  return provider.apiKeyHint === "" ? "set" : `…${provider.apiKeyHint}`;
}

function secretText(header: SecretHeader): string {
  if (!header.valueSet) return "(secret, empty)";
  return header.valueHint === "" ? "(secret)" : `(secret, ends in ${header.valueHint})`;
}

function healthText(provider: Provider): string {
  const summary = provider.lastHealthCheck;
  if (summary === undefined) return "-";
  return `${summary.healthyModels}/${summary.totalModels} healthy (${formatTime(summary.checkTime)})`;
}

function durationText(duration: Duration | undefined): string {
  return duration === undefined ? "default" : formatDuration(duration);
}

function optionalNumber(value: number | undefined): string {
  return value === undefined ? "default" : String(value);
}

/** An unset limit means the provider has none of its own (the process-wide one still applies). */
function limitText(value: number | undefined, format: (n: number) => string = String): string {
  return value === undefined ? "none" : format(value);
}

/** One row of the providers table. */
export function providerRow(provider: Provider): string[] {
  return [
    provider.id,
    formatKind(provider.kind),
    provider.baseUrl,
    apiKeyText(provider),
    String(provider.enabled ?? true),
    breakerText(provider.status),
    healthText(provider),
  ];
}

/** Every field of a provider, as `parley providers get` shows it. */
export function providerFields(provider: Provider): [string, string][] {
  const headers = [
    ...Object.entries(provider.headers).map(([name, value]) => `${name}=${value}`),
    ...provider.secretHeaders.map((h) => `${h.name}=${secretText(h)}`),
  ].join(", ");
  const interval = provider.healthCheckInterval;
  return [
    ["id", provider.id],
    ["kind", formatKind(provider.kind)],
    ["base_url", provider.baseUrl],
    [
      "api_key",
      provider.apiKeySet
        ? `set, ends in ${provider.apiKeyHint}`
        : "not set (forwards the client's credentials)",
    ],
    ["headers", headers === "" ? "-" : headers],
    ["enabled", String(provider.enabled ?? true)],
    ["connect_timeout", durationText(provider.timeouts?.connect)],
    ["response_headers_timeout", durationText(provider.timeouts?.responseHeaders)],
    ["stream_idle_timeout", durationText(provider.timeouts?.streamIdle)],
    ["total_timeout", durationText(provider.timeouts?.total)],
    ["max_retries", optionalNumber(provider.retryPolicy?.maxRetries)],
    ["failure_threshold", optionalNumber(provider.circuitBreaker?.failureThreshold)],
    ["open_duration", durationText(provider.circuitBreaker?.openDuration)],
    [
      "health_check_interval",
      interval === undefined || (interval.seconds === 0n && interval.nanos === 0)
        ? "never"
        : formatDuration(interval),
    ],
    ["demote_nonstreaming", optionalBoolean(provider.demoteNonstreaming, "default")],
    ["responses_api", responsesApiText(provider)],
    ["max_body_bytes", limitText(provider.limits?.maxBodyBytes, formatByteSize)],
    ["max_messages", limitText(provider.limits?.maxMessages)],
    ["breaker", breakerText(provider.status)],
    ["breaker_opened", formatTime(provider.status?.openTime)],
    ["breaker_retry", formatTime(provider.status?.retryTime)],
    ["last_health_check", healthText(provider)],
    ["created", formatTime(provider.createTime)],
    ["updated", formatTime(provider.updateTime)],
  ];
}
