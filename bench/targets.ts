// The targets one bench run measures side by side: the mock itself, the bare hop, Parley on its
// passthrough and translated paths and the peer proxies, each with the client dialect it is driven in and the process whose
// CPU and memory count for it.
import { type ClientDialect, referenceDialect, type UpstreamDialect } from "./requests.js";

/** What a target is, for picking the baseline it is compared with. */
export type TargetRole = "direct" | "bare" | "proxy";

/** One thing the load generator can be pointed at. */
export interface Target {
  /** Stable key in results.json. */
  id: string;
  label: string;
  role: TargetRole;
  dialect: ClientDialect;
  origin: string;
  /** The process whose CPU time and RSS are this target's (the mock for `direct`). */
  pid: number;
  /** The key the client presents (a peer's own key, Parley's client key, or anything for the mock). */
  apiKey: string;
  /** Headers a client of this target must add (Portkey's routing headers). */
  headers?: Record<string, string>;
  /** How this target wants the model named (claude-code-router's `provider,model`). */
  model?: (model: string) => string;
}

/**
 * The `direct` or `bare` target that speaks `dialect` (for Responses, the upstream's Chat
 * Completions: the mock has no Responses API): what a proxy's added cost is measured from.
 */
export function baselineOf(
  targets: readonly Target[],
  role: "direct" | "bare",
  dialect: ClientDialect,
): Target {
  const reference = referenceDialect(dialect);
  const found = targets.find((t) => t.role === role && t.dialect === reference);
  if (!found) throw new Error(`no ${role} target for ${dialect}`);
  return found;
}

/** The mock and the bare hop, once per client dialect. */
export function referenceTargets(options: {
  mock: { url: string; pid: number };
  bare: { url: string; pid: number };
}): Target[] {
  const { mock, bare } = options;
  const dialects: Array<[UpstreamDialect, string]> = [
    ["openai", "OpenAI"],
    ["anthropic", "Anthropic"],
  ];
  return [
    ...dialects.map(([dialect, name]) => ({
      id: `direct-${dialect}`,
      label: `mock direct (${name})`,
      role: "direct" as const,
      dialect,
      origin: mock.url,
      pid: mock.pid,
      apiKey: "bench-direct",
    })),
    ...dialects.map(([dialect, name]) => ({
      id: `bare-${dialect}`,
      label: `bare hop (${name})`,
      role: "bare" as const,
      dialect,
      origin: bare.url,
      pid: bare.pid,
      apiKey: "bench-direct",
    })),
  ];
}

/**
 * Parley's passthrough (OpenAI in and out) and translated paths (Anthropic in, OpenAI out; Responses
 * in, Chat Completions out); `baseline` names them as another build's, measured beside this one.
 */
export function parleyTargets(
  parley: { url: string; pid: number; clientKey: string },
  baseline = false,
): Target[] {
  const common = { role: "proxy" as const, origin: parley.url, pid: parley.pid, apiKey: parley.clientKey };
  const paths = [
    { id: "parley-passthrough", label: "Parley passthrough", dialect: "openai" },
    { id: "parley-translated", label: "Parley translated", dialect: "anthropic" },
    { id: "parley-translated-responses", label: "Parley translated (Responses)", dialect: "responses" },
  ] as const;
  return paths.map((path) =>
    baseline
      ? { ...common, ...path, id: `${BASELINE_PREFIX}${path.id}`, label: `${path.label}, baseline` }
      : { ...common, ...path },
  );
}

/** What a baseline build's target ids start with (`baseline-parley-passthrough`…). */
export const BASELINE_PREFIX = "baseline-";
