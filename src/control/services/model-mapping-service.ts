// ModelMappingService: CRUD over model mappings. Aliases are unique ignoring case (as the
// router matches them), and a mapping may only name a provider or chain that exists.
import type { ServiceImpl } from "@connectrpc/connect";
import type {
  CreateModelMappingRequest,
  DeleteModelMappingRequest,
  GetModelMappingRequest,
  ListModelMappingsRequest,
  ModelMappingService,
  UpdateModelMappingRequest,
} from "../../gen/parley/admin/v1/model_mapping_pb.js";
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from "../connect-errors.js";
import { FallbackChainRepository } from "../db/fallback-chain-repository.js";
import { ModelMappingRepository } from "../db/model-mapping-repository.js";
import { type DbTransaction, ProviderRepository } from "../db/provider-repository.js";
import {
  applyModelMappingFields,
  EMPTY_MAPPING,
  type MappingState,
  MODEL_MAPPING_OUTPUT_ONLY_FIELDS,
  MODEL_MAPPING_WRITABLE_FIELDS,
  modelMappingToProto,
} from "../mappers/model-mapping-mapper.js";
import { checkLookupId, checkSlug } from "../validation.js";
import { commitWrite, type WriteDeps } from "./committed-write.js";
import { pageOf, pageRequest } from "./pagination.js";
import { resolveMask } from "./update-mask.js";

/** Refuses an alias another mapping holds (ignoring case). */
function checkAliasFree(tx: DbTransaction, alias: string, exceptId?: string): void {
  const holder = new ModelMappingRepository(tx).findByAlias(alias, exceptId);
  if (holder !== undefined) {
    throw alreadyExists(
      `model_mapping.alias: ${JSON.stringify(alias)} is already mapped by ${JSON.stringify(holder.id)} ` +
        `(as ${JSON.stringify(holder.alias)}; aliases ignore case)`,
    );
  }
}

/** Refuses a destination that names a missing provider or chain. */
function checkDestinationExists(tx: DbTransaction, state: MappingState): void {
  if (state.providerId !== null && new ProviderRepository(tx).find(state.providerId) === undefined) {
    throw failedPrecondition(
      `model_mapping.target.provider_id: provider ${JSON.stringify(state.providerId)} does not exist; create it first`,
    );
  }
  if (state.fallbackChainId !== null && !new FallbackChainRepository(tx).exists(state.fallbackChainId)) {
    throw failedPrecondition(
      `model_mapping.fallback_chain_id: fallback chain ${JSON.stringify(state.fallbackChainId)} does not exist; ` +
        "create it first",
    );
  }
}

/** The ModelMappingService handlers. */
export class ModelMappingServiceImpl implements ServiceImpl<typeof ModelMappingService> {
  constructor(private readonly deps: WriteDeps) {}

  /** Returns one mapping. */
  getModelMapping(req: GetModelMappingRequest) {
    const id = checkLookupId("id", req.id);
    const row = new ModelMappingRepository(this.deps.db).find(id);
    if (row === undefined) throw notFound("model mapping", id);
    return { modelMapping: modelMappingToProto(row) };
  }

  /** Returns one page of mappings, ordered by id. */
  listModelMappings(req: ListModelMappingsRequest) {
    const page = pageRequest("model-mappings", req);
    const rows = new ModelMappingRepository(this.deps.db).list({
      afterId: page.afterId,
      limit: page.limit + 1,
    });
    const { items, nextPageToken } = pageOf("model-mappings", rows, page.limit, (r) => r.id);
    return { modelMappings: items.map(modelMappingToProto), nextPageToken };
  }

  /** Creates a mapping; id and alias must be free, its provider or chain must exist. */
  createModelMapping(req: CreateModelMappingRequest) {
    const m = req.modelMapping;
    if (m === undefined) throw invalidArgument("model_mapping", "is required");
    const id = checkSlug("model_mapping.id", m.id);
    const state = applyModelMappingFields(m, new Set(MODEL_MAPPING_WRITABLE_FIELDS), EMPTY_MAPPING);
    const row = commitWrite(this.deps, { action: "create", resource: "model mapping", id }, (tx) => {
      const repo = new ModelMappingRepository(tx);
      if (repo.find(id) !== undefined)
        throw alreadyExists(`model mapping ${JSON.stringify(id)} already exists`);
      checkAliasFree(tx, state.alias);
      checkDestinationExists(tx, state);
      return repo.insert({ id, ...state });
    });
    return { modelMapping: modelMappingToProto(row) };
  }

  /** Changes the fields in update_mask (every writable field when empty). */
  updateModelMapping(req: UpdateModelMappingRequest) {
    const m = req.modelMapping;
    if (m === undefined) throw invalidArgument("model_mapping", "is required");
    const id = checkLookupId("model_mapping.id", m.id);
    const mask = resolveMask(req.updateMask, {
      writable: MODEL_MAPPING_WRITABLE_FIELDS,
      outputOnly: MODEL_MAPPING_OUTPUT_ONLY_FIELDS,
    });
    const row = commitWrite(this.deps, { action: "update", resource: "model mapping", id }, (tx) => {
      const repo = new ModelMappingRepository(tx);
      const current = repo.find(id);
      if (current === undefined) throw notFound("model mapping", id);
      const state = applyModelMappingFields(m, mask.fields, current);
      if (mask.fields.has("alias")) checkAliasFree(tx, state.alias, id);
      checkDestinationExists(tx, state);
      return repo.update(id, state)!;
    });
    return { modelMapping: modelMappingToProto(row) };
  }

  /** Deletes a mapping. */
  deleteModelMapping(req: DeleteModelMappingRequest) {
    const id = checkLookupId("id", req.id);
    commitWrite(this.deps, { action: "delete", resource: "model mapping", id }, (tx) => {
      if (!new ModelMappingRepository(tx).delete(id)) throw notFound("model mapping", id);
    });
    return {};
  }
}
