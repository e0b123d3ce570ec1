// Fallback-chain rows with their ordered targets. A chain and its targets are read and
// written together; the caller's transaction makes a write all-or-nothing.
import { asc, eq, gt, inArray } from "drizzle-orm";
import type { DbExecutor } from "./provider-repository.js";
import {
  type FallbackChainRow,
  type FallbackChainTargetRow,
  fallbackChains,
  fallbackChainTargets,
} from "./schema.js";

/** A chain with its targets in order. */
export interface StoredChain {
  chain: FallbackChainRow;
  targets: FallbackChainTargetRow[];
}

/** A target as a write gives it; its position is its index. */
export interface ChainTargetValues {
  providerId: string;
  upstreamModel: string | null;
}

/** Queries over the fallback_chains and fallback_chain_targets tables. */
export class FallbackChainRepository {
  constructor(private readonly db: DbExecutor) {}

  /** The chain with this id and its targets, if any. */
  find(id: string): StoredChain | undefined {
    const chain = this.db.select().from(fallbackChains).where(eq(fallbackChains.id, id)).get();
    return chain === undefined ? undefined : { chain, targets: this.targetsOf([id]).get(id) ?? [] };
  }

  /** Chains ordered by id, after `afterId`, at most `limit`, with their targets. */
  list(page: { afterId: string | undefined; limit: number }): StoredChain[] {
    const chains = this.db
      .select()
      .from(fallbackChains)
      .where(page.afterId === undefined ? undefined : gt(fallbackChains.id, page.afterId))
      .orderBy(asc(fallbackChains.id))
      .limit(page.limit)
      .all();
    const targets = this.targetsOf(chains.map((c) => c.id));
    return chains.map((chain) => ({ chain, targets: targets.get(chain.id) ?? [] }));
  }

  /** Whether a chain with this id exists. */
  exists(id: string): boolean {
    return (
      this.db
        .select({ id: fallbackChains.id })
        .from(fallbackChains)
        .where(eq(fallbackChains.id, id))
        .get() !== undefined
    );
  }

  /** Inserts a chain and its targets. */
  insert(values: { id: string; description: string; targets: ChainTargetValues[] }): StoredChain {
    this.db.insert(fallbackChains).values({ id: values.id, description: values.description }).run();
    this.replaceTargets(values.id, values.targets);
    return this.find(values.id)!;
  }

  /** Changes the description and/or replaces the targets; stamps update time. */
  update(
    id: string,
    values: { description?: string; targets?: ChainTargetValues[] },
  ): StoredChain | undefined {
    const changed = this.db
      .update(fallbackChains)
      .set({
        ...(values.description === undefined ? {} : { description: values.description }),
        updatedAt: new Date(),
      })
      .where(eq(fallbackChains.id, id))
      .run().changes;
    if (changed === 0) return undefined;
    if (values.targets !== undefined) this.replaceTargets(id, values.targets);
    return this.find(id);
  }

  /** Deletes a chain (its targets go with it); false when it did not exist. */
  delete(id: string): boolean {
    return this.db.delete(fallbackChains).where(eq(fallbackChains.id, id)).run().changes > 0;
  }

  private replaceTargets(chainId: string, targets: ChainTargetValues[]): void {
    this.db.delete(fallbackChainTargets).where(eq(fallbackChainTargets.chainId, chainId)).run();
    if (targets.length === 0) return;
    this.db
      .insert(fallbackChainTargets)
      .values(
        targets.map((t, position) => ({
          chainId,
          position,
          providerId: t.providerId,
          upstreamModel: t.upstreamModel,
        })),
      )
      .run();
  }

  private targetsOf(chainIds: string[]): Map<string, FallbackChainTargetRow[]> {
    const byChain = new Map<string, FallbackChainTargetRow[]>();
    if (chainIds.length === 0) return byChain;
    const rows = this.db
      .select()
      .from(fallbackChainTargets)
      .where(inArray(fallbackChainTargets.chainId, chainIds))
      .orderBy(asc(fallbackChainTargets.chainId), asc(fallbackChainTargets.position))
      .all();
    for (const row of rows) {
      const list = byChain.get(row.chainId) ?? [];
      list.push(row);
      byChain.set(row.chainId, list);
    }
    return byChain;
  }
}
