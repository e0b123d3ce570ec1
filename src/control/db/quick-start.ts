// Seeds providers and mappings from the quick-start environment (DESIGN §2) when the
// database has no providers yet, so `npm start` with two variables serves traffic and
// the result is visible and editable through the admin API afterwards.
import { count } from "drizzle-orm";
import type { QuickStartEnv } from "../../core/config.js";
import { ConfigError } from "../../core/config.js";
import type { Db } from "./database.js";
import { modelMappings, type ProviderKind, providers } from "./schema.js";

const DEFAULT_BASE_URLS: Record<ProviderKind, string> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
};

/** What seeding did, for the start-up log line. */
export interface SeedResult {
  providers: string[];
  mappings: string[];
}

/** A mapping id derived from its alias (`claude-*haiku*` → `claude-haiku`, `*` → `default`). */
export function mappingIdFor(alias: string): string {
  const slug = alias
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "default" : slug;
}

/** Parses `alias=provider/model,…`; the model may itself contain slashes. */
export function parseModelMap(spec: string): Array<{ alias: string; providerId: string; model: string }> {
  return spec
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const eq = entry.indexOf("=");
      const slash = entry.indexOf("/", eq + 1);
      if (eq <= 0 || slash === -1 || slash === eq + 1 || slash === entry.length - 1) {
        throw new ConfigError("PARLEY_MODEL_MAP", `"${entry}" is not alias=provider/model`);
      }
      return {
        alias: entry.slice(0, eq).trim(),
        providerId: entry.slice(eq + 1, slash),
        model: entry.slice(slash + 1),
      };
    });
}

/** Seeds the quick-start setup if the database has no provider; returns what it created. */
export function seedQuickStart(db: Db, env: QuickStartEnv): SeedResult {
  const result: SeedResult = { providers: [], mappings: [] };
  const kinds = (["openai", "anthropic"] as const).filter((k) => env[k].baseUrl || env[k].apiKey);
  if (kinds.length === 0) return result;
  const modelMap = env.modelMap ? parseModelMap(env.modelMap) : [];
  db.transaction((tx) => {
    if ((tx.select({ n: count() }).from(providers).get()?.n ?? 0) > 0) return;
    for (const kind of kinds) {
      tx.insert(providers)
        .values({
          id: kind,
          kind,
          baseUrl: env[kind].baseUrl ?? DEFAULT_BASE_URLS[kind],
          apiKey: env[kind].apiKey ?? null,
        })
        .run();
      result.providers.push(kind);
    }
    const ids = new Set<string>();
    const addMapping = (alias: string, providerId: string, upstreamModel: string | null) => {
      let id = mappingIdFor(alias);
      for (let n = 2; ids.has(id); n++) id = `${mappingIdFor(alias)}-${n}`;
      ids.add(id);
      tx.insert(modelMappings).values({ id, alias, providerId, upstreamModel }).run();
      result.mappings.push(alias);
    };
    for (const { alias, providerId, model } of modelMap) {
      if (!result.providers.includes(providerId)) {
        throw new ConfigError(
          "PARLEY_MODEL_MAP",
          `provider "${providerId}" is not configured (have: ${kinds.join(", ")})`,
        );
      }
      addMapping(alias, providerId, model);
    }
    if (!modelMap.some((m) => m.alias === "*")) addMapping("*", kinds[0]!, null);
  });
  return result;
}
