// FallbackChainService: CRUD over fallback chains. A chain and its targets are written
// in one transaction; every target must name an existing provider, and a chain a mapping
// still uses cannot be deleted.
import type { ServiceImpl } from "@connectrpc/connect";
import type {
  CreateFallbackChainRequest,
  DeleteFallbackChainRequest,
  FallbackChainService,
  GetFallbackChainRequest,
  ListFallbackChainsRequest,
  UpdateFallbackChainRequest,
} from "../../gen/parley/admin/v1/fallback_chain_pb.js";
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from "../connect-errors.js";
import { type ChainTargetValues, FallbackChainRepository } from "../db/fallback-chain-repository.js";
import { ModelMappingRepository } from "../db/model-mapping-repository.js";
import { type DbTransaction, ProviderRepository } from "../db/provider-repository.js";
import {
  chainDescription,
  chainTargets,
  FALLBACK_CHAIN_OUTPUT_ONLY_FIELDS,
  FALLBACK_CHAIN_WRITABLE_FIELDS,
  fallbackChainToProto,
} from "../mappers/fallback-chain-mapper.js";
import { checkLookupId, checkSlug } from "../validation.js";
import { commitWrite, type WriteDeps } from "./committed-write.js";
import { listNames } from "./list-names.js";
import { pageOf, pageRequest } from "./pagination.js";
import { resolveMask } from "./update-mask.js";

/** Refuses targets naming providers that do not exist. */
function checkProvidersExist(tx: DbTransaction, targets: ChainTargetValues[]): void {
  const missing = new ProviderRepository(tx).missing(targets.map((t) => t.providerId));
  if (missing.length > 0) {
    throw failedPrecondition(
      `fallback_chain.targets: ${missing.length === 1 ? "provider" : "providers"} ${listNames(missing)} ` +
        `${missing.length === 1 ? "does" : "do"} not exist; create ${missing.length === 1 ? "it" : "them"} first`,
    );
  }
}

/** The FallbackChainService handlers. */
export class FallbackChainServiceImpl implements ServiceImpl<typeof FallbackChainService> {
  constructor(private readonly deps: WriteDeps) {}

  /** Returns one chain with its targets. */
  getFallbackChain(req: GetFallbackChainRequest) {
    const id = checkLookupId("id", req.id);
    const stored = new FallbackChainRepository(this.deps.db).find(id);
    if (stored === undefined) throw notFound("fallback chain", id);
    return { fallbackChain: fallbackChainToProto(stored) };
  }

  /** Returns one page of chains, ordered by id. */
  listFallbackChains(req: ListFallbackChainsRequest) {
    const page = pageRequest("fallback-chains", req);
    const rows = new FallbackChainRepository(this.deps.db).list({
      afterId: page.afterId,
      limit: page.limit + 1,
    });
    const { items, nextPageToken } = pageOf("fallback-chains", rows, page.limit, (r) => r.chain.id);
    return { fallbackChains: items.map(fallbackChainToProto), nextPageToken };
  }

  /** Creates a chain and its targets together. */
  createFallbackChain(req: CreateFallbackChainRequest) {
    const c = req.fallbackChain;
    if (c === undefined) throw invalidArgument("fallback_chain", "is required");
    const id = checkSlug("fallback_chain.id", c.id);
    const description = chainDescription(c);
    const targets = chainTargets(c.targets);
    const stored = commitWrite(this.deps, { action: "create", resource: "fallback chain", id }, (tx) => {
      const repo = new FallbackChainRepository(tx);
      if (repo.exists(id)) throw alreadyExists(`fallback chain ${JSON.stringify(id)} already exists`);
      checkProvidersExist(tx, targets);
      return repo.insert({ id, description, targets });
    });
    return { fallbackChain: fallbackChainToProto(stored) };
  }

  /** Changes the description and/or replaces the targets (both when the mask is empty). */
  updateFallbackChain(req: UpdateFallbackChainRequest) {
    const c = req.fallbackChain;
    if (c === undefined) throw invalidArgument("fallback_chain", "is required");
    const id = checkLookupId("fallback_chain.id", c.id);
    const { fields } = resolveMask(req.updateMask, {
      writable: FALLBACK_CHAIN_WRITABLE_FIELDS,
      outputOnly: FALLBACK_CHAIN_OUTPUT_ONLY_FIELDS,
    });
    const description = fields.has("description") ? chainDescription(c) : undefined;
    const targets = fields.has("targets") ? chainTargets(c.targets) : undefined;
    const stored = commitWrite(this.deps, { action: "update", resource: "fallback chain", id }, (tx) => {
      const repo = new FallbackChainRepository(tx);
      if (!repo.exists(id)) throw notFound("fallback chain", id);
      if (targets !== undefined) checkProvidersExist(tx, targets);
      return repo.update(id, { description, targets })!;
    });
    return { fallbackChain: fallbackChainToProto(stored) };
  }

  /** Deletes a chain no mapping uses. */
  deleteFallbackChain(req: DeleteFallbackChainRequest) {
    const id = checkLookupId("id", req.id);
    commitWrite(this.deps, { action: "delete", resource: "fallback chain", id }, (tx) => {
      const repo = new FallbackChainRepository(tx);
      if (!repo.exists(id)) throw notFound("fallback chain", id);
      const users = new ModelMappingRepository(tx).usingChain(id);
      if (users.length > 0) {
        throw failedPrecondition(
          `fallback chain ${JSON.stringify(id)} is still used by model mappings ${listNames(users)}; ` +
            "point them elsewhere or delete them first",
        );
      }
      repo.delete(id);
    });
    return {};
  }
}
