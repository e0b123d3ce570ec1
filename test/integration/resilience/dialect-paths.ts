// The four ways a request crosses Parley: a client of either dialect, passed through to a
// provider of its own kind or translated for the other kind. Resilience tests run each fault
// over each path, since passthrough and translation fail in different code.
import type { Dialect } from "../../../src/core/dialect-errors.js";
import type { UpstreamKind } from "../../helpers/faulty-upstream.js";

/** A client dialect and the kind of provider its request goes to. */
export interface DialectPath {
  client: Dialect;
  upstream: UpstreamKind;
  /** "anthropic → openai (translated)", for test names and the fault table. */
  name: string;
}

function path(client: Dialect, upstream: UpstreamKind): DialectPath {
  const how = client === upstream ? "passthrough" : "translated";
  return { client, upstream, name: `${client} → ${upstream} (${how})` };
}

/** Every path, passthrough first. */
export const PATHS: readonly DialectPath[] = [
  path("anthropic", "anthropic"),
  path("openai", "openai"),
  path("anthropic", "openai"),
  path("openai", "anthropic"),
];

/** The paths whose client speaks `dialect`. */
export function pathsOf(dialect: Dialect): DialectPath[] {
  return PATHS.filter((p) => p.client === dialect);
}
