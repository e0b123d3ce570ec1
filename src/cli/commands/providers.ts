// `parley providers create|list|get|update|delete`: one flag per Provider field; `update`
// sends an update_mask naming exactly the fields whose flags were given.
import { create } from "@bufbuild/protobuf";
import {
  CircuitBreakerPolicySchema,
  CreateProviderResponseSchema,
  DeleteProviderResponseSchema,
  GetProviderResponseSchema,
  ListProvidersResponseSchema,
  type Provider,
  ProviderSchema,
  ProviderTimeoutsSchema,
  RequestLimitsSchema,
  RetryPolicySchema,
  UpdateProviderResponseSchema,
} from "../../gen/parley/admin/v1/provider_pb.js";
import { parseBoolean } from "../args.js";
import type { CommandGroup } from "../command.js";
import { UsageError } from "../errors.js";
import {
  durationFlag,
  optionalBooleanFlag,
  optionalByteSizeFlag,
  optionalIntegerFlag,
  pairsFlag,
} from "../flag-values.js";
import { KIND_NAMES, parseKind } from "../provider-kind.js";
import { MAX_BODY_BYTES_RANGE, MAX_MESSAGES_RANGE } from "../request-limits.js";
import { type FlagInput, type FromFlags, resourceCommands } from "../resource-commands.js";
import { resolveApiKey } from "../secret-input.js";
import { PROVIDER_HEADERS, providerFields, providerRow } from "../views/provider-view.js";

const FIELD_OPTIONS = {
  kind: { type: "string" },
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  "api-key-env": { type: "string" },
  "api-key-stdin": { type: "boolean" },
  "clear-api-key": { type: "boolean" },
  header: { type: "string", multiple: true },
  "clear-headers": { type: "boolean" },
  "connect-timeout": { type: "string" },
  "response-headers-timeout": { type: "string" },
  "stream-idle-timeout": { type: "string" },
  "total-timeout": { type: "string" },
  "max-retries": { type: "string" },
  "failure-threshold": { type: "string" },
  "open-duration": { type: "string" },
  enabled: { type: "string" },
  "health-check-interval": { type: "string" },
  "demote-nonstreaming": { type: "string" },
  "responses-api": { type: "string" },
  "max-body-bytes": { type: "string" },
  "max-messages": { type: "string" },
} as const;

/** Timeout flags and the ProviderTimeouts field (JSON and mask spelling) each one sets. */
const TIMEOUT_FLAGS = [
  ["connect-timeout", "connect", "connect"],
  ["response-headers-timeout", "responseHeaders", "response_headers"],
  ["stream-idle-timeout", "streamIdle", "stream_idle"],
  ["total-timeout", "total", "total"],
] as const;

const USAGE = `usage: parley providers <command> [flags]

  create <id> --kind openai|anthropic --base-url URL [field flags]
  list
  get <id>
  update <id> [field flags]        only the fields given change
  delete <id>

field flags:
  --kind openai|anthropic           the dialect the provider speaks
  --base-url URL                    OpenAI: with the version path (https://api.openai.com/v1);
                                    Anthropic: the host root (https://api.anthropic.com)
  --api-key-env NAME                read the API key from environment variable NAME
  --api-key-stdin                   read the API key from stdin
  --api-key KEY                     the API key itself (lands in shell history: prefer the two above)
  --clear-api-key                   remove the key: forward each client's own credentials
  --header name=value               extra header on every upstream request (repeatable; replaces all,
                                    so give secret ones such as api-key again: --header "api-key=$KEY")
  --clear-headers                   remove every extra header
  --connect-timeout D               e.g. 10s ("default" resets to the process default)
  --response-headers-timeout D      time until the response headers arrive
  --stream-idle-timeout D           longest silence inside a response body
  --total-timeout D                 whole non-streaming request
  --max-retries N                   attempts after the first, 0-10
  --failure-threshold N             consecutive failures that open the circuit breaker
  --open-duration D                 how long the breaker stays open
  --enabled[=true|false]            whether the provider takes traffic (default true)
  --health-check-interval D         scheduled health checks, at least 10s (0 = never)
  --demote-nonstreaming[=true|false|default]
                                    send non-streaming requests upstream as streams and answer
                                    with one body (default: PARLEY_DEMOTE_NONSTREAMING)
  --responses-api[=true|false|default]
                                    openai only: the upstream has /v1/responses, so Responses
                                    requests pass through (default: on for api.openai.com only)
  --max-body-bytes SIZE|none        largest request body this provider is sent, 1KiB-1GiB (4096,
                                    64KiB, 32MiB); a larger one goes to the chain's next target
                                    (none: no limit of its own, PARLEY_MAX_BODY_BYTES still applies)
  --max-messages N|none             most messages a request sent here may have, 1-10000000; a
                                    longer one goes to the chain's next target (none: no limit)

durations: 30s, 1.5s, 500ms, 2m, 1h
`;

/** Builds the provider the flags describe and the update_mask paths they name. */
async function providerFromFlags({
  id,
  values,
  env,
}: FlagInput<typeof FIELD_OPTIONS>): Promise<FromFlags<Provider>> {
  const provider = create(ProviderSchema, { id });
  const paths: string[] = [];
  if (values.kind !== undefined) {
    const kind = parseKind(values.kind);
    if (kind === undefined)
      throw new UsageError(`--kind: expected ${KIND_NAMES.join(" or ")}, got "${values.kind}"`);
    provider.kind = kind;
    paths.push("kind");
  }
  if (values["base-url"] !== undefined) {
    provider.baseUrl = values["base-url"];
    paths.push("base_url");
  }
  const apiKey = await resolveApiKey(values, env);
  if (apiKey !== undefined) {
    provider.apiKey = apiKey;
    paths.push("api_key");
  }
  if (values.header !== undefined && values["clear-headers"]) {
    throw new UsageError("--header and --clear-headers cannot be combined");
  }
  if (values.header !== undefined || values["clear-headers"]) {
    provider.headers = pairsFlag("header", values.header ?? []);
    paths.push("headers");
  }
  for (const [flag, field, path] of TIMEOUT_FLAGS) {
    const text = values[flag];
    if (text === undefined) continue;
    provider.timeouts ??= create(ProviderTimeoutsSchema, {});
    provider.timeouts[field] = durationFlag(flag, text);
    paths.push(`timeouts.${path}`);
  }
  if (values["max-retries"] !== undefined) {
    provider.retryPolicy = create(RetryPolicySchema, {});
    provider.retryPolicy.maxRetries = optionalIntegerFlag("max-retries", values["max-retries"], 0, 10);
    paths.push("retry_policy.max_retries");
  }
  if (values["failure-threshold"] !== undefined) {
    provider.circuitBreaker ??= create(CircuitBreakerPolicySchema, {});
    provider.circuitBreaker.failureThreshold = optionalIntegerFlag(
      "failure-threshold",
      values["failure-threshold"],
      1,
      1000,
    );
    paths.push("circuit_breaker.failure_threshold");
  }
  if (values["open-duration"] !== undefined) {
    provider.circuitBreaker ??= create(CircuitBreakerPolicySchema, {});
    provider.circuitBreaker.openDuration = durationFlag("open-duration", values["open-duration"]);
    paths.push("circuit_breaker.open_duration");
  }
  if (values.enabled !== undefined) {
    provider.enabled = parseBoolean("enabled", values.enabled);
    paths.push("enabled");
  }
  if (values["health-check-interval"] !== undefined) {
    provider.healthCheckInterval = durationFlag("health-check-interval", values["health-check-interval"]);
    paths.push("health_check_interval");
  }
  if (values["demote-nonstreaming"] !== undefined) {
    provider.demoteNonstreaming = optionalBooleanFlag("demote-nonstreaming", values["demote-nonstreaming"]);
    paths.push("demote_nonstreaming");
  }
  if (values["responses-api"] !== undefined) {
    provider.responsesApi = optionalBooleanFlag("responses-api", values["responses-api"]);
    paths.push("responses_api");
  }
  if (values["max-body-bytes"] !== undefined) {
    provider.limits ??= create(RequestLimitsSchema, {});
    const { min, max } = MAX_BODY_BYTES_RANGE;
    provider.limits.maxBodyBytes = optionalByteSizeFlag("max-body-bytes", values["max-body-bytes"], min, max);
    paths.push("limits.max_body_bytes");
  }
  if (values["max-messages"] !== undefined) {
    provider.limits ??= create(RequestLimitsSchema, {});
    const { min, max } = MAX_MESSAGES_RANGE;
    provider.limits.maxMessages = optionalIntegerFlag("max-messages", values["max-messages"], min, max);
    paths.push("limits.max_messages");
  }
  return { resource: provider, paths };
}

/** The `parley providers` commands. */
export const providersCommands: CommandGroup = resourceCommands({
  noun: "provider",
  usage: USAGE,
  fieldOptions: FIELD_OPTIONS,
  field: "provider",
  async forCreate(input) {
    // The flags are read (and checked) first: a bad --api-key-env is reported before a missing --kind.
    const { resource } = await providerFromFlags(input);
    if (input.values.kind === undefined) {
      throw new UsageError(`--kind is required (${KIND_NAMES.join(" or ")})`);
    }
    if (input.values["base-url"] === undefined) throw new UsageError("--base-url is required");
    return resource;
  },
  forUpdate: providerFromFlags,
  nothingToUpdate: "nothing to update: give at least one field flag",
  view: { headers: PROVIDER_HEADERS, row: providerRow, fields: providerFields },
  rpc: {
    create: {
      schema: CreateProviderResponseSchema,
      call: (admin, provider) => admin.providers.createProvider({ provider }),
    },
    list: {
      schema: ListProvidersResponseSchema,
      async page(admin, pageToken) {
        const page = await admin.providers.listProviders({ pageToken });
        return { items: page.providers, nextPageToken: page.nextPageToken };
      },
      response: (providers) => create(ListProvidersResponseSchema, { providers }),
    },
    get: { schema: GetProviderResponseSchema, call: (admin, id) => admin.providers.getProvider({ id }) },
    update: {
      schema: UpdateProviderResponseSchema,
      call: (admin, { resource, updateMask }) =>
        admin.providers.updateProvider({ provider: resource, updateMask }),
    },
    delete: {
      schema: DeleteProviderResponseSchema,
      call: (admin, id) => admin.providers.deleteProvider({ id }),
    },
  },
});
