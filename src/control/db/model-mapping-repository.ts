// Model-mapping rows: lookups by id and by alias (case-insensitive, as the unique index
// and the router compare), a page of the listing, writes, and the mappings using a chain.
import { and, asc, eq, gt, ne, sql } from "drizzle-orm";
import type { DbExecutor } from "./provider-repository.js";
import { type ModelMappingRow, modelMappings } from "./schema.js";

/** The columns a mapping write sets. */
export type ModelMappingValues = Omit<typeof modelMappings.$inferInsert, "createdAt" | "updatedAt">;

/** Queries over the model_mappings table. */
export class ModelMappingRepository {
  constructor(private readonly db: DbExecutor) {}

  /** The mapping with this id, if any. */
  find(id: string): ModelMappingRow | undefined {
    return this.db.select().from(modelMappings).where(eq(modelMappings.id, id)).get();
  }

  /** The mapping holding this alias (ignoring case), other than `exceptId`. */
  findByAlias(alias: string, exceptId?: string): ModelMappingRow | undefined {
    const sameAlias = eq(sql`lower(${modelMappings.alias})`, sql`lower(${alias})`);
    return this.db
      .select()
      .from(modelMappings)
      .where(exceptId === undefined ? sameAlias : and(sameAlias, ne(modelMappings.id, exceptId)))
      .get();
  }

  /** Mappings ordered by id, after `afterId`, at most `limit`. */
  list(page: { afterId: string | undefined; limit: number }): ModelMappingRow[] {
    return this.db
      .select()
      .from(modelMappings)
      .where(page.afterId === undefined ? undefined : gt(modelMappings.id, page.afterId))
      .orderBy(asc(modelMappings.id))
      .limit(page.limit)
      .all();
  }

  /** Ids of the mappings that route to a chain. */
  usingChain(chainId: string): string[] {
    return this.db
      .select({ id: modelMappings.id })
      .from(modelMappings)
      .where(eq(modelMappings.fallbackChainId, chainId))
      .orderBy(asc(modelMappings.id))
      .all()
      .map((r) => r.id);
  }

  /** Inserts a mapping and returns the stored row. */
  insert(values: ModelMappingValues): ModelMappingRow {
    return this.db.insert(modelMappings).values(values).returning().get();
  }

  /** Changes the given columns and stamps update time; returns the stored row. */
  update(id: string, values: Partial<ModelMappingValues>): ModelMappingRow | undefined {
    return this.db
      .update(modelMappings)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(modelMappings.id, id))
      .returning()
      .get();
  }

  /** Deletes a mapping; false when it did not exist. */
  delete(id: string): boolean {
    return this.db.delete(modelMappings).where(eq(modelMappings.id, id)).run().changes > 0;
  }
}
