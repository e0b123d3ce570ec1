// Fallback-chain rows ↔ FallbackChain messages: the chain row plus its ordered target
// rows become one message, and an incoming chain's targets are validated in order.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type FallbackChain, FallbackChainSchema } from "../../gen/parley/admin/v1/fallback_chain_pb.js";
import type { Target } from "../../gen/parley/admin/v1/target_pb.js";
import { invalidArgument } from "../connect-errors.js";
import type { ChainTargetValues, StoredChain } from "../db/fallback-chain-repository.js";
import { checkText, checkUpstreamModel } from "../validation.js";

/** Every field an update mask may name. */
export const FALLBACK_CHAIN_WRITABLE_FIELDS = ["description", "targets"] as const;

/** Fields the server sets. */
export const FALLBACK_CHAIN_OUTPUT_ONLY_FIELDS = ["create_time", "update_time"] as const;

/** Most targets a chain may have. */
export const MAX_CHAIN_TARGETS = 16;

/** The message for a stored chain. */
export function fallbackChainToProto(stored: StoredChain): FallbackChain {
  return create(FallbackChainSchema, {
    id: stored.chain.id,
    description: stored.chain.description,
    targets: stored.targets.map((t) => ({ providerId: t.providerId, upstreamModel: t.upstreamModel ?? "" })),
    createTime: timestampFromDate(stored.chain.createdAt),
    updateTime: timestampFromDate(stored.chain.updatedAt),
  });
}

/** Validates a chain's description. */
export function chainDescription(c: FallbackChain): string {
  return checkText("fallback_chain.description", c.description, 500);
}

/** Validates a chain's targets: 1-16, each naming a provider. */
export function chainTargets(targets: Target[]): ChainTargetValues[] {
  if (targets.length === 0) throw invalidArgument("fallback_chain.targets", "needs at least one target");
  if (targets.length > MAX_CHAIN_TARGETS) {
    throw invalidArgument(
      "fallback_chain.targets",
      `has ${targets.length} entries; at most ${MAX_CHAIN_TARGETS}`,
    );
  }
  return targets.map((t, i) => {
    if (t.providerId === "") throw invalidArgument(`fallback_chain.targets[${i}].provider_id`, "is required");
    return {
      providerId: t.providerId,
      upstreamModel: checkUpstreamModel(`fallback_chain.targets[${i}].upstream_model`, t.upstreamModel),
    };
  });
}
