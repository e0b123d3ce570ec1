// GET /v1/models in the caller's dialect: Anthropic's list shape when the request
// carries `anthropic-version`, OpenAI's otherwise. Lists the mapped aliases.
import type { IncomingHttpHeaders } from "node:http";
import type { ConfigSnapshot } from "../routing/snapshot.js";

/** The model list body for a caller. */
export function listModels(snapshot: ConfigSnapshot, headers: IncomingHttpHeaders): unknown {
  const aliases = snapshot.aliases();
  const created = new Date(0).toISOString();
  if (headers["anthropic-version"] !== undefined) {
    return {
      data: aliases.map((id) => ({ type: "model", id, display_name: id, created_at: created })),
      has_more: false,
      first_id: aliases[0] ?? null,
      last_id: aliases.at(-1) ?? null,
    };
  }
  return {
    object: "list",
    data: aliases.map((id) => ({ id, object: "model", created: 0, owned_by: "parley" })),
  };
}
