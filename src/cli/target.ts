// The "provider/model" notation for targets used by flags, tables and setup files. The model
// part may itself contain slashes (OpenRouter's "anthropic/claude-sonnet-4.5"): only the
// first slash separates; "provider" alone keeps the client's model name.
import { create } from "@bufbuild/protobuf";
import { type Target, TargetSchema } from "../gen/parley/admin/v1/target_pb.js";

/** Parses "provider/model" (or "provider") into a Target; undefined when the provider part is empty. */
export function parseTarget(text: string): Target | undefined {
  const slash = text.indexOf("/");
  const providerId = (slash === -1 ? text : text.slice(0, slash)).trim();
  const upstreamModel = slash === -1 ? "" : text.slice(slash + 1).trim();
  if (providerId === "") return undefined;
  return create(TargetSchema, { providerId, upstreamModel });
}

/** Formats a Target as "provider/model", or "provider" when it keeps the client's model name. */
export function formatTarget(target: Target): string {
  return target.upstreamModel === "" ? target.providerId : `${target.providerId}/${target.upstreamModel}`;
}
