// Model-mapping rows ↔ ModelMapping messages. A mapping routes to exactly one
// destination: the proto's oneof becomes either provider_id (+ upstream_model) or
// fallback_chain_id in the row, and setting one side through an update clears the other.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type ModelMapping, ModelMappingSchema } from "../../gen/parley/admin/v1/model_mapping_pb.js";
import { invalidArgument } from "../connect-errors.js";
import type { ModelMappingValues } from "../db/model-mapping-repository.js";
import type { ModelMappingRow } from "../db/schema.js";
import { checkAlias, checkIntRange, checkUpstreamModel } from "../validation.js";

/** Every field an update mask may name, as leaves. */
export const MODEL_MAPPING_WRITABLE_FIELDS = [
  "alias",
  "target.provider_id",
  "target.upstream_model",
  "fallback_chain_id",
  "max_output_tokens",
] as const;

/** Fields the server sets. */
export const MODEL_MAPPING_OUTPUT_ONLY_FIELDS = ["create_time", "update_time"] as const;

/** The routing columns of a mapping (everything but id and timestamps). */
export type MappingState = Required<Omit<ModelMappingValues, "id">>;

/** The state a new mapping starts from before its fields are applied. */
export const EMPTY_MAPPING: MappingState = {
  alias: "",
  providerId: null,
  upstreamModel: null,
  fallbackChainId: null,
  maxOutputTokens: null,
};

/** The message for a stored mapping. */
export function modelMappingToProto(row: ModelMappingRow): ModelMapping {
  return create(ModelMappingSchema, {
    id: row.id,
    alias: row.alias,
    destination:
      row.fallbackChainId !== null
        ? { case: "fallbackChainId", value: row.fallbackChainId }
        : {
            case: "target",
            value: { providerId: row.providerId ?? "", upstreamModel: row.upstreamModel ?? "" },
          },
    maxOutputTokens: row.maxOutputTokens ?? undefined,
    createTime: timestampFromDate(row.createdAt),
    updateTime: timestampFromDate(row.updatedAt),
  });
}

/**
 * Applies the named fields of a message to a mapping's current state, validating each,
 * and checks the result has exactly one destination.
 */
export function applyModelMappingFields(
  m: ModelMapping,
  fields: ReadonlySet<string>,
  current: MappingState,
): MappingState {
  const next: MappingState = {
    alias: current.alias,
    providerId: current.providerId,
    upstreamModel: current.upstreamModel,
    fallbackChainId: current.fallbackChainId,
    maxOutputTokens: current.maxOutputTokens,
  };
  if (fields.has("alias")) next.alias = checkAlias("model_mapping.alias", m.alias);
  const target = m.destination.case === "target" ? m.destination.value : undefined;
  if (fields.has("target.provider_id")) next.providerId = target?.providerId || null;
  if (fields.has("target.upstream_model")) {
    next.upstreamModel = checkUpstreamModel(
      "model_mapping.target.upstream_model",
      target?.upstreamModel ?? "",
    );
  }
  if (target !== undefined && (fields.has("target.provider_id") || fields.has("target.upstream_model"))) {
    next.fallbackChainId = null;
  }
  if (fields.has("fallback_chain_id")) {
    if (m.destination.case === "fallbackChainId") {
      if (m.destination.value === "") throw invalidArgument("model_mapping.fallback_chain_id", "is empty");
      next.fallbackChainId = m.destination.value;
      next.providerId = null;
      next.upstreamModel = null;
    } else {
      next.fallbackChainId = null;
    }
  }
  if (fields.has("max_output_tokens")) {
    next.maxOutputTokens =
      m.maxOutputTokens === undefined
        ? null
        : checkIntRange("model_mapping.max_output_tokens", m.maxOutputTokens, { min: 1, max: 10_000_000 });
  }
  if (next.providerId === null && next.fallbackChainId === null) {
    if (target !== undefined) throw invalidArgument("model_mapping.target.provider_id", "is required");
    throw invalidArgument(
      "model_mapping.destination",
      "exactly one of target (provider_id, upstream_model) or fallback_chain_id is required",
    );
  }
  return next;
}
