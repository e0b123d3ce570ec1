// Which upstream models a provider serves, as the routing configuration says: the
// models its mappings and fallback-chain targets send to it. A target that keeps the
// client's model name contributes the alias only when the alias names one model (not a glob).

import { isGlob } from "../../routing/glob.js";
import type { ConfigRows } from "../db/config-repository.js";

/** Every distinct upstream model routed to `providerId`, sorted. */
export function modelsRoutedTo(rows: ConfigRows, providerId: string): string[] {
  const models = new Set<string>();
  const add = (upstreamModel: string | null, alias: string | undefined) => {
    if (upstreamModel !== null) models.add(upstreamModel);
    else if (alias !== undefined && !isGlob(alias)) models.add(alias);
  };
  for (const mapping of rows.mappings) {
    if (mapping.fallbackChainId === null && mapping.providerId === providerId) {
      add(mapping.upstreamModel, mapping.alias);
    }
  }
  for (const target of rows.chainTargets) {
    if (target.providerId !== providerId) continue;
    if (target.upstreamModel !== null) {
      add(target.upstreamModel, undefined);
      continue;
    }
    for (const mapping of rows.mappings) {
      if (mapping.fallbackChainId === target.chainId) add(null, mapping.alias);
    }
  }
  return [...models].sort();
}
