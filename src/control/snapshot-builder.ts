// Turns the stored configuration into the data plane's immutable snapshot, applying
// the process-wide defaults to every policy a provider leaves unset.
import type { ParleyConfig } from "../core/config.js";
import { ConfigSnapshot, type MappingInput } from "../routing/snapshot.js";
import type { ProviderConfig, Target } from "../routing/types.js";
import { type ConfigRows, readConfigRows } from "./db/config-repository.js";
import type { Db } from "./db/database.js";
import type { ProviderRow } from "./db/schema.js";

/** OpenAI's own API has /v1/responses; OpenAI-compatible servers mostly have only Chat Completions. */
const RESPONSES_API_HOST = "api.openai.com";

function responsesApiOf(row: ProviderRow): boolean {
  if (row.kind !== "openai") return false;
  if (row.responsesApi !== null) return row.responsesApi;
  // Stored URLs were checked on write; an unparsable one simply gets no passthrough.
  return URL.canParse(row.baseUrl) && new URL(row.baseUrl).hostname === RESPONSES_API_HOST;
}

function providerConfig(row: ProviderRow, defaults: ParleyConfig["timeouts"]): ProviderConfig {
  return Object.freeze({
    id: row.id,
    kind: row.kind,
    baseUrl: row.baseUrl.replace(/\/+$/, ""),
    apiKey: row.apiKey,
    headers: Object.freeze({ ...row.headers }),
    timeouts: Object.freeze({
      connectMs: row.connectTimeoutMs ?? defaults.connectMs,
      headersMs: row.headersTimeoutMs ?? defaults.headersMs,
      idleMs: row.idleTimeoutMs ?? defaults.idleMs,
      requestMs: row.requestTimeoutMs ?? defaults.requestMs,
    }),
    maxRetries: row.maxRetries,
    breaker: Object.freeze({ failureThreshold: row.breakerFailureThreshold, openMs: row.breakerOpenMs }),
    enabled: row.enabled,
    demoteNonStreaming: row.demoteNonStreaming,
    responsesApi: responsesApiOf(row),
    limits: Object.freeze({ maxBodyBytes: row.maxBodyBytes, maxMessages: row.maxMessages }),
  });
}

/** Builds a snapshot from rows already read. */
export function snapshotFromRows(rows: ConfigRows, defaults: ParleyConfig["timeouts"], version: number) {
  const providers = rows.providers.map((row) => providerConfig(row, defaults));
  const byId = new Map(providers.map((p) => [p.id, p]));
  const target = (providerId: string, upstreamModel: string | null, maxOutputTokens: number | null) => {
    const provider = byId.get(providerId);
    return provider ? { provider, upstreamModel, maxOutputTokens } : undefined;
  };
  const mappings: MappingInput[] = rows.mappings.map((m) => {
    let targets: Target[];
    if (m.fallbackChainId !== null) {
      targets = rows.chainTargets
        .filter((t) => t.chainId === m.fallbackChainId)
        .map((t) => target(t.providerId, t.upstreamModel, m.maxOutputTokens))
        .filter((t): t is Target => t !== undefined);
    } else {
      const single =
        m.providerId === null ? undefined : target(m.providerId, m.upstreamModel, m.maxOutputTokens);
      targets = single ? [single] : [];
    }
    return { alias: m.alias, targets: targets.filter((t) => t.provider.enabled) };
  });
  return new ConfigSnapshot({ version, providers, mappings });
}

/** Reads the database and builds a fresh snapshot. */
export function buildSnapshot(db: Db, defaults: ParleyConfig["timeouts"], version: number): ConfigSnapshot {
  return snapshotFromRows(readConfigRows(db), defaults, version);
}
