// Turns (desired, current) admin state into an ordered list of writes. Order matters:
// providers and chains are written before the mappings that use them, mappings are
// deleted before the chains and providers they used, and old mappings go before new ones
// so an alias can move from one mapping to another.
import { formatByteSize } from "../byte-size.js";
import { formatMs } from "../duration.js";
import { formatKind } from "../provider-kind.js";
import type { ChainSpec, MappingSpec, ProviderSpec, SetupSpec, TargetSpec } from "./resource-specs.js";

/** One field that differs: its update_mask path and a readable before -> after (never a secret). */
export interface FieldChange {
  path: string;
  change: string;
}

/** A write apply will make. */
export type PlanStep =
  | {
      resource: "provider";
      action: "create" | "update";
      id: string;
      spec: ProviderSpec;
      changes: FieldChange[];
    }
  | { resource: "chain"; action: "create" | "update"; id: string; spec: ChainSpec; changes: FieldChange[] }
  | {
      resource: "mapping";
      action: "create" | "update";
      id: string;
      spec: MappingSpec;
      changes: FieldChange[];
    }
  | { resource: "provider" | "chain" | "mapping"; action: "delete"; id: string };

const show = (value: string | number | boolean | undefined) =>
  value === undefined ? "default" : typeof value === "string" ? JSON.stringify(value) : String(value);
const showMs = (value: number | undefined) => (value === undefined ? "default" : formatMs(value));
// An unset request limit is no limit of the provider's own, not a default.
const showBytesLimit = (value: number | undefined) => (value === undefined ? "none" : formatByteSize(value));
const showCountLimit = (value: number | undefined) => (value === undefined ? "none" : String(value));
const showTarget = (target: TargetSpec | undefined) =>
  target === undefined
    ? "-"
    : target.upstreamModel === ""
      ? target.providerId
      : `${target.providerId}/${target.upstreamModel}`;

/** Collects the changes of one resource, each at most once per mask path. */
class ChangeList {
  readonly changes: FieldChange[] = [];

  /** Records a change of `path` when before and after differ; `label` names a sub-field. */
  compare<T>(path: string, before: T, after: T, render: (value: T) => string, label?: string): void {
    if (before === after) return;
    this.add(path, `${label === undefined ? "" : `${label} `}${render(before)} -> ${render(after)}`);
  }

  add(path: string, change: string): void {
    const existing = this.changes.find((c) => c.path === path);
    if (existing !== undefined) existing.change = `${existing.change}, ${change}`;
    else this.changes.push({ path, change });
  }
}

/** Timeout fields and their names in the setup file. */
const TIMEOUT_NAMES = [
  ["connect", "connect"],
  ["responseHeaders", "response_headers"],
  ["streamIdle", "stream_idle"],
  ["total", "total"],
] as const;

function headerNames(names: string[]): string {
  return names.length === 0 ? "none" : [...names].sort().join(", ");
}

/**
 * The hint the server shows for a key or a secret header: its last 4 characters, or nothing
 * for values under 8 characters (too short to hint at safely), which therefore cannot be told apart.
 */
function expectedHint(secret: string): string {
  return secret.length >= 8 ? secret.slice(-4) : "";
}

/**
 * Whether the file's headers are the stored ones. Secret headers (api-key and the like) are
 * never shown by the server, so their values are compared by hint, as the API key is; the
 * server's own list says which headers those are.
 */
function sameHeaders(current: ProviderSpec, desired: Record<string, string>): boolean {
  const secrets = current.storedSecretHeaders ?? {};
  const names = Object.keys(desired);
  const stored = Object.keys(current.headers).length + Object.keys(secrets).length;
  return (
    names.length === stored &&
    names.every((name) => {
      const value = desired[name] ?? "";
      if (Object.hasOwn(secrets, name)) {
        const secret = secrets[name];
        return secret?.set === (value !== "") && secret.hint === expectedHint(value);
      }
      return Object.hasOwn(current.headers, name) && current.headers[name] === value;
    })
  );
}

/** What differs between a stored provider and the file's; the key is compared by its last 4 chars. */
export function diffProvider(current: ProviderSpec, desired: ProviderSpec): FieldChange[] {
  const list = new ChangeList();
  list.compare("kind", current.kind, desired.kind, formatKind);
  list.compare("base_url", current.baseUrl, desired.baseUrl, show);
  const stored = current.storedKey ?? { set: false, hint: "" };
  if (desired.apiKey === undefined) {
    if (stored.set) list.add("api_key", "removed (clients' own credentials are forwarded)");
  } else if (!stored.set) {
    list.add("api_key", "set");
  } else if (stored.hint !== expectedHint(desired.apiKey)) {
    list.add("api_key", "replaced");
  }
  // Header values can be credentials too: show names only.
  if (!sameHeaders(current, desired.headers)) {
    const storedNames = [...Object.keys(current.headers), ...Object.keys(current.storedSecretHeaders ?? {})];
    list.add(
      "headers",
      `${headerNames(storedNames)} -> ${headerNames(Object.keys(desired.headers))} (values not shown)`,
    );
  }
  list.compare("enabled", current.enabled, desired.enabled, show);
  for (const [field, name] of TIMEOUT_NAMES) {
    const before = current.timeouts[field];
    const after = desired.timeouts[field];
    if (before !== after) list.add("timeouts", `${name} ${showMs(before)} -> ${showMs(after)}`);
  }
  list.compare("retry_policy", current.maxRetries, desired.maxRetries, show, "max_retries");
  list.compare(
    "circuit_breaker",
    current.failureThreshold,
    desired.failureThreshold,
    show,
    "failure_threshold",
  );
  list.compare("circuit_breaker", current.openDurationMs, desired.openDurationMs, showMs, "open_duration");
  list.compare("health_check_interval", current.healthCheckIntervalMs, desired.healthCheckIntervalMs, (v) =>
    v === undefined ? "never" : formatMs(v),
  );
  list.compare("demote_nonstreaming", current.demoteNonStreaming, desired.demoteNonStreaming, show);
  list.compare("responses_api", current.responsesApi, desired.responsesApi, show);
  list.compare("limits", current.maxBodyBytes, desired.maxBodyBytes, showBytesLimit, "max_body_bytes");
  list.compare("limits", current.maxMessages, desired.maxMessages, showCountLimit, "max_messages");
  return list.changes;
}

function sameTarget(a: TargetSpec | undefined, b: TargetSpec | undefined): boolean {
  return a?.providerId === b?.providerId && a?.upstreamModel === b?.upstreamModel;
}

/** What differs between a stored chain and the file's. */
export function diffChain(current: ChainSpec, desired: ChainSpec): FieldChange[] {
  const list = new ChangeList();
  list.compare("description", current.description, desired.description, show);
  const sameTargets =
    current.targets.length === desired.targets.length &&
    current.targets.every((target, i) => sameTarget(target, desired.targets[i]));
  if (!sameTargets) {
    const render = (targets: TargetSpec[]) => targets.map(showTarget).join(", ");
    list.add("targets", `${render(current.targets)} -> ${render(desired.targets)}`);
  }
  return list.changes;
}

function destination(mapping: MappingSpec): string {
  return mapping.chainId !== undefined ? `chain ${mapping.chainId}` : showTarget(mapping.target);
}

/** What differs between a stored mapping and the file's. */
export function diffMapping(current: MappingSpec, desired: MappingSpec): FieldChange[] {
  const list = new ChangeList();
  list.compare("alias", current.alias, desired.alias, show);
  if (current.chainId !== desired.chainId || !sameTarget(current.target, desired.target)) {
    const path = desired.chainId !== undefined ? "fallback_chain_id" : "target";
    list.add(path, `${destination(current)} -> ${destination(desired)}`);
  }
  list.compare("max_output_tokens", current.maxOutputTokens, desired.maxOutputTokens, (v) =>
    v === undefined ? "no limit" : String(v),
  );
  return list.changes;
}

/** Creates and updates of one resource type, in the file's order. */
interface Write<S> {
  action: "create" | "update";
  id: string;
  spec: S;
  changes: FieldChange[];
}

function writes<S extends { id: string }>(
  desired: S[],
  current: S[],
  diff: (current: S, desired: S) => FieldChange[],
): Write<S>[] {
  const byId = new Map(current.map((spec) => [spec.id, spec]));
  return desired.flatMap((spec): Write<S>[] => {
    const stored = byId.get(spec.id);
    if (stored === undefined) return [{ action: "create", id: spec.id, spec, changes: [] }];
    const changes = diff(stored, spec);
    return changes.length === 0 ? [] : [{ action: "update", id: spec.id, spec, changes }];
  });
}

/** Ids stored but absent from the file. */
function deletions(desired: { id: string }[], current: { id: string }[]): string[] {
  const wanted = new Set(desired.map((spec) => spec.id));
  return current.map((spec) => spec.id).filter((id) => !wanted.has(id));
}

/** The writes that make `current` equal `desired`, in an order the server accepts. */
export function computePlan(desired: SetupSpec, current: SetupSpec): PlanStep[] {
  const mappingWrites = writes(desired.mappings, current.mappings, diffMapping);
  return [
    ...writes(desired.providers, current.providers, diffProvider).map((w) => ({
      resource: "provider" as const,
      ...w,
    })),
    ...writes(desired.chains, current.chains, diffChain).map((w) => ({ resource: "chain" as const, ...w })),
    ...deletions(desired.mappings, current.mappings).map((id) => ({
      resource: "mapping" as const,
      action: "delete" as const,
      id,
    })),
    ...mappingWrites
      .filter((w) => w.action === "update")
      .map((w) => ({ resource: "mapping" as const, ...w })),
    ...mappingWrites
      .filter((w) => w.action === "create")
      .map((w) => ({ resource: "mapping" as const, ...w })),
    ...deletions(desired.chains, current.chains).map((id) => ({
      resource: "chain" as const,
      action: "delete" as const,
      id,
    })),
    ...deletions(desired.providers, current.providers).map((id) => ({
      resource: "provider" as const,
      action: "delete" as const,
      id,
    })),
  ];
}
