// Provider rows: lookups, a page of the listing, writes, and who still references a
// provider. Runs on the database or inside a transaction the caller opened, so a check
// and the write it guards commit together.
import { asc, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "./database.js";
import { fallbackChainTargets, modelMappings, type ProviderRow, providers } from "./schema.js";

/** A transaction opened with `db.transaction`. */
export type DbTransaction = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Where repository queries run: the database itself or an open transaction. */
export type DbExecutor = Db | DbTransaction;

/** The columns a provider write sets. */
export type ProviderValues = Omit<typeof providers.$inferInsert, "createdAt" | "updatedAt">;

/** The mappings and chains that point at a provider. */
export interface ProviderReferences {
  mappings: string[];
  chains: string[];
}

/** Queries over the providers table. */
export class ProviderRepository {
  constructor(private readonly db: DbExecutor) {}

  /** The provider with this id, if any. */
  find(id: string): ProviderRow | undefined {
    return this.db.select().from(providers).where(eq(providers.id, id)).get();
  }

  /** Providers ordered by id, after `afterId`, at most `limit`. */
  list(page: { afterId: string | undefined; limit: number }): ProviderRow[] {
    return this.db
      .select()
      .from(providers)
      .where(page.afterId === undefined ? undefined : gt(providers.id, page.afterId))
      .orderBy(asc(providers.id))
      .limit(page.limit)
      .all();
  }

  /** Which of these ids name no provider. */
  missing(ids: readonly string[]): string[] {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found = new Set(
      this.db
        .select({ id: providers.id })
        .from(providers)
        .where(inArray(providers.id, unique))
        .all()
        .map((r) => r.id),
    );
    return unique.filter((id) => !found.has(id));
  }

  /** Inserts a provider and returns the stored row. */
  insert(values: ProviderValues): ProviderRow {
    return this.db.insert(providers).values(values).returning().get();
  }

  /** Changes the given columns and stamps update time; returns the stored row. */
  update(id: string, values: Partial<ProviderValues>): ProviderRow | undefined {
    return this.db
      .update(providers)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(providers.id, id))
      .returning()
      .get();
  }

  /** Deletes a provider; false when it did not exist. */
  delete(id: string): boolean {
    return this.db.delete(providers).where(eq(providers.id, id)).run().changes > 0;
  }

  /** The mappings (direct targets) and chains (any position) that use a provider. */
  references(id: string): ProviderReferences {
    const mappings = this.db
      .select({ id: modelMappings.id })
      .from(modelMappings)
      .where(eq(modelMappings.providerId, id))
      .orderBy(asc(modelMappings.id))
      .all()
      .map((r) => r.id);
    const chains = this.db
      .selectDistinct({ id: fallbackChainTargets.chainId })
      .from(fallbackChainTargets)
      .where(eq(fallbackChainTargets.providerId, id))
      .orderBy(asc(fallbackChainTargets.chainId))
      .all()
      .map((r) => r.id);
    return { mappings, chains };
  }
}
