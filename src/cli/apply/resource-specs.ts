// The admin state `parley apply` compares, in one plain shape for both sides: what the setup
// file asks for and what the server has. Conversions to and from the API messages live here.
import { create } from "@bufbuild/protobuf";
import { type Duration, durationFromMs, durationMs } from "@bufbuild/protobuf/wkt";
import { type FallbackChain, FallbackChainSchema } from "../../gen/parley/admin/v1/fallback_chain_pb.js";
import { type ModelMapping, ModelMappingSchema } from "../../gen/parley/admin/v1/model_mapping_pb.js";
import {
  CircuitBreakerPolicySchema,
  type Provider,
  type ProviderKind,
  ProviderSchema,
  ProviderTimeoutsSchema,
  RequestLimitsSchema,
  RetryPolicySchema,
} from "../../gen/parley/admin/v1/provider_pb.js";
import { type Target, TargetSchema } from "../../gen/parley/admin/v1/target_pb.js";

/** Per-provider deadlines in ms; an absent field uses the process default. */
export interface TimeoutsSpec {
  connect?: number | undefined;
  responseHeaders?: number | undefined;
  streamIdle?: number | undefined;
  total?: number | undefined;
}

/** A provider as apply sees it. */
export interface ProviderSpec {
  id: string;
  kind: ProviderKind;
  baseUrl: string;
  /** Desired key (from the file); undefined = forward the client's credentials. */
  apiKey?: string | undefined;
  /** What the server says about its stored key (server side only). */
  storedKey?: { set: boolean; hint: string } | undefined;
  /** From the file: every header. From the server: only those whose values it shows. */
  headers: Record<string, string>;
  /** The server's secret headers by name, whose values it never shows (server side only). */
  storedSecretHeaders?: Record<string, { set: boolean; hint: string }> | undefined;
  enabled: boolean;
  timeouts: TimeoutsSpec;
  maxRetries?: number | undefined;
  failureThreshold?: number | undefined;
  openDurationMs?: number | undefined;
  /** undefined = no scheduled checks (the API treats 0 the same). */
  healthCheckIntervalMs?: number | undefined;
  /** undefined = the process default (PARLEY_DEMOTE_NONSTREAMING). */
  demoteNonStreaming?: boolean | undefined;
  /** OpenAI kind only; undefined = on for api.openai.com, off elsewhere. */
  responsesApi?: boolean | undefined;
  /** The provider's own request limits; undefined = none of its own. */
  maxBodyBytes?: number | undefined;
  maxMessages?: number | undefined;
}

/** A provider and the model to ask it for ("" = the client's model name). */
export interface TargetSpec {
  providerId: string;
  upstreamModel: string;
}

/** A fallback chain as apply sees it. */
export interface ChainSpec {
  id: string;
  description: string;
  targets: TargetSpec[];
}

/** A model mapping as apply sees it: exactly one of target and chainId is set. */
export interface MappingSpec {
  id: string;
  alias: string;
  target?: TargetSpec | undefined;
  chainId?: string | undefined;
  maxOutputTokens?: number | undefined;
}

/** The whole admin state apply manages. */
export interface SetupSpec {
  providers: ProviderSpec[];
  chains: ChainSpec[];
  mappings: MappingSpec[];
}

const ms = (duration: Duration | undefined) => (duration === undefined ? undefined : durationMs(duration));
const toDuration = (value: number | undefined) => (value === undefined ? undefined : durationFromMs(value));

/** The spec of a provider the server returned. */
export function providerSpecOf(provider: Provider): ProviderSpec {
  const interval = ms(provider.healthCheckInterval);
  return {
    id: provider.id,
    kind: provider.kind,
    baseUrl: provider.baseUrl,
    storedKey: { set: provider.apiKeySet, hint: provider.apiKeyHint },
    headers: { ...provider.headers },
    storedSecretHeaders: Object.fromEntries(
      provider.secretHeaders.map((h) => [h.name, { set: h.valueSet, hint: h.valueHint }]),
    ),
    enabled: provider.enabled ?? true,
    timeouts: {
      connect: ms(provider.timeouts?.connect),
      responseHeaders: ms(provider.timeouts?.responseHeaders),
      streamIdle: ms(provider.timeouts?.streamIdle),
      total: ms(provider.timeouts?.total),
    },
    maxRetries: provider.retryPolicy?.maxRetries,
    failureThreshold: provider.circuitBreaker?.failureThreshold,
    openDurationMs: ms(provider.circuitBreaker?.openDuration),
    healthCheckIntervalMs: interval === 0 ? undefined : interval,
    demoteNonStreaming: provider.demoteNonstreaming,
    responsesApi: provider.responsesApi,
    maxBodyBytes: provider.limits?.maxBodyBytes,
    maxMessages: provider.limits?.maxMessages,
  };
}

/** The Provider message that creates (or, with a mask, updates to) a spec. */
export function providerMessage(spec: ProviderSpec): Provider {
  return create(ProviderSchema, {
    id: spec.id,
    kind: spec.kind,
    baseUrl: spec.baseUrl,
    apiKey: spec.apiKey ?? "",
    headers: spec.headers,
    enabled: spec.enabled,
    timeouts: create(ProviderTimeoutsSchema, {
      connect: toDuration(spec.timeouts.connect),
      responseHeaders: toDuration(spec.timeouts.responseHeaders),
      streamIdle: toDuration(spec.timeouts.streamIdle),
      total: toDuration(spec.timeouts.total),
    }),
    retryPolicy: create(RetryPolicySchema, { maxRetries: spec.maxRetries }),
    circuitBreaker: create(CircuitBreakerPolicySchema, {
      failureThreshold: spec.failureThreshold,
      openDuration: toDuration(spec.openDurationMs),
    }),
    healthCheckInterval: toDuration(spec.healthCheckIntervalMs),
    demoteNonstreaming: spec.demoteNonStreaming,
    responsesApi: spec.responsesApi,
    limits: create(RequestLimitsSchema, { maxBodyBytes: spec.maxBodyBytes, maxMessages: spec.maxMessages }),
  });
}

function targetSpecOf(target: Target): TargetSpec {
  return { providerId: target.providerId, upstreamModel: target.upstreamModel };
}

function targetMessage(target: TargetSpec): Target {
  return create(TargetSchema, target);
}

/** The spec of a chain the server returned. */
export function chainSpecOf(chain: FallbackChain): ChainSpec {
  return { id: chain.id, description: chain.description, targets: chain.targets.map(targetSpecOf) };
}

/** The FallbackChain message for a spec. */
export function chainMessage(spec: ChainSpec): FallbackChain {
  return create(FallbackChainSchema, {
    id: spec.id,
    description: spec.description,
    targets: spec.targets.map(targetMessage),
  });
}

/** The spec of a mapping the server returned. */
export function mappingSpecOf(mapping: ModelMapping): MappingSpec {
  const destination = mapping.destination;
  return {
    id: mapping.id,
    alias: mapping.alias,
    target: destination.case === "target" ? targetSpecOf(destination.value) : undefined,
    chainId: destination.case === "fallbackChainId" ? destination.value : undefined,
    maxOutputTokens: mapping.maxOutputTokens,
  };
}

/** The ModelMapping message for a spec. */
export function mappingMessage(spec: MappingSpec): ModelMapping {
  const mapping = create(ModelMappingSchema, {
    id: spec.id,
    alias: spec.alias,
    maxOutputTokens: spec.maxOutputTokens,
  });
  if (spec.target !== undefined) mapping.destination = { case: "target", value: targetMessage(spec.target) };
  else if (spec.chainId !== undefined) mapping.destination = { case: "fallbackChainId", value: spec.chainId };
  return mapping;
}
