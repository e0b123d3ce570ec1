// Reads the whole routing configuration in one consistent read, for the snapshot.
import { asc } from "drizzle-orm";
import type { Db } from "./database.js";
import {
  type FallbackChainTargetRow,
  fallbackChainTargets,
  type ModelMappingRow,
  modelMappings,
  type ProviderRow,
  providers,
} from "./schema.js";

/** Every row the snapshot is built from. */
export interface ConfigRows {
  providers: ProviderRow[];
  mappings: ModelMappingRow[];
  chainTargets: FallbackChainTargetRow[];
}

/** Reads providers, mappings and chain targets inside one transaction. */
export function readConfigRows(db: Db): ConfigRows {
  return db.transaction((tx) => ({
    providers: tx.select().from(providers).all(),
    mappings: tx.select().from(modelMappings).all(),
    chainTargets: tx
      .select()
      .from(fallbackChainTargets)
      .orderBy(asc(fallbackChainTargets.chainId), asc(fallbackChainTargets.position))
      .all(),
  }));
}
