// `parley providers create|list|get|update|delete`: one flag per Provider field; `update`
// sends an update_mask naming exactly the fields whose flags were given.
import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import {
  CircuitBreakerPolicySchema,
  CreateProviderResponseSchema,
  DeleteProviderResponseSchema,
  GetProviderResponseSchema,
  ListProvidersResponseSchema,
  type Provider,
  ProviderSchema,
  ProviderTimeoutsSchema,
  RetryPolicySchema,
  UpdateProviderResponseSchema,
} from "../../gen/parley/admin/v1/provider_pb.js";
import { expectPositionals, globalSettings, parseBoolean, parseCommand } from "../args.js";
import { connectAdmin, listAll } from "../client.js";
import type { CommandGroup, CommandInput, Env } from "../command.js";
import { UsageError } from "../errors.js";
import { durationFlag, optionalIntegerFlag, pairsFlag } from "../flag-values.js";
import { printFields, printJson, printLine, printTable } from "../output.js";
import { KIND_NAMES, parseKind } from "../provider-kind.js";
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
} as const;

type FieldValues = ReturnType<typeof parseCommand<typeof FIELD_OPTIONS>>["values"];

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
  --header name=value               extra header on every upstream request (repeatable; replaces all)
  --clear-headers                   remove every extra header
  --connect-timeout D               e.g. 10s ("default" resets to the process default)
  --response-headers-timeout D      time until the response headers arrive
  --stream-idle-timeout D           longest silence inside a response body
  --total-timeout D                 whole non-streaming request
  --max-retries N                   attempts after the first, 0-10
  --failure-threshold N             consecutive failures that open the circuit breaker
  --open-duration D                 how long the breaker stays open
  --enabled[=true|false]            whether the provider takes traffic (default true)
  --health-check-interval D         scheduled health checks (0 = never)

durations: 30s, 1.5s, 500ms, 2m, 1h
`;

/** Builds the provider the flags describe and the update_mask paths they name. */
async function providerFromFlags(
  values: FieldValues,
  env: Env,
): Promise<{ provider: Provider; paths: string[] }> {
  const provider = create(ProviderSchema, {});
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
  return { provider, paths };
}

async function createProvider({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, FIELD_OPTIONS);
  const settings = globalSettings(values, env);
  const [id] = expectPositionals(positionals.slice(2), ["id"]);
  const { provider } = await providerFromFlags(values, env);
  if (values.kind === undefined) throw new UsageError(`--kind is required (${KIND_NAMES.join(" or ")})`);
  if (values["base-url"] === undefined) throw new UsageError("--base-url is required");
  provider.id = id ?? "";
  const response = await connectAdmin(settings).providers.createProvider({ provider });
  if (settings.json) printJson(CreateProviderResponseSchema, response);
  else if (response.provider !== undefined) printFields(providerFields(response.provider));
  return 0;
}

async function listProviders({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {});
  const settings = globalSettings(values, env);
  expectPositionals(positionals.slice(2), []);
  const client = connectAdmin(settings).providers;
  const providers = await listAll(async (pageToken) => {
    const page = await client.listProviders({ pageToken });
    return { items: page.providers, nextPageToken: page.nextPageToken };
  });
  if (settings.json)
    printJson(ListProvidersResponseSchema, create(ListProvidersResponseSchema, { providers }));
  else printTable(PROVIDER_HEADERS, providers.map(providerRow), "no providers");
  return 0;
}

async function getProvider({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {});
  const settings = globalSettings(values, env);
  const [id = ""] = expectPositionals(positionals.slice(2), ["id"]);
  const response = await connectAdmin(settings).providers.getProvider({ id });
  if (settings.json) printJson(GetProviderResponseSchema, response);
  else if (response.provider !== undefined) printFields(providerFields(response.provider));
  return 0;
}

async function updateProvider({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, FIELD_OPTIONS);
  const settings = globalSettings(values, env);
  const [id = ""] = expectPositionals(positionals.slice(2), ["id"]);
  const { provider, paths } = await providerFromFlags(values, env);
  // An empty mask means "every field" to the server: never send one by accident.
  if (paths.length === 0) throw new UsageError("nothing to update: give at least one field flag");
  provider.id = id;
  const response = await connectAdmin(settings).providers.updateProvider({
    provider,
    updateMask: create(FieldMaskSchema, { paths }),
  });
  if (settings.json) printJson(UpdateProviderResponseSchema, response);
  else if (response.provider !== undefined) printFields(providerFields(response.provider));
  return 0;
}

async function deleteProvider({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {});
  const settings = globalSettings(values, env);
  const [id = ""] = expectPositionals(positionals.slice(2), ["id"]);
  const response = await connectAdmin(settings).providers.deleteProvider({ id });
  if (settings.json) printJson(DeleteProviderResponseSchema, response);
  else printLine(`deleted provider ${id}`);
  return 0;
}

/** The `parley providers` commands. */
export const providersCommands: CommandGroup = {
  usage: USAGE,
  verbs: {
    create: createProvider,
    list: listProviders,
    get: getProvider,
    update: updateProvider,
    delete: deleteProvider,
  },
};
