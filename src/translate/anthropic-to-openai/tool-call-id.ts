// Tool-call ids of the conversation history, as the upstream will accept them. Ids from
// other providers (edge 25) go through `sanitizeToolId`; OpenAI also caps ids at 40
// characters, so longer ones keep a prefix and a hash. The same id always maps the same
// way, so an assistant's tool call and the tool message answering it still match.
import { createHash } from "node:crypto";
import { sanitizeToolId } from "../tool-identity.js";

/** OpenAI refuses tool-call ids longer than this. */
const MAX_OPENAI_TOOL_ID_LENGTH = 40;

/** The id to send upstream for a tool call id found in the client's history. */
export function upstreamToolCallId(id: string): string {
  const safe = sanitizeToolId(id);
  if (safe.length <= MAX_OPENAI_TOOL_ID_LENGTH) return safe;
  const hash = createHash("sha256").update(id).digest("hex").slice(0, 8);
  return `${safe.slice(0, MAX_OPENAI_TOOL_ID_LENGTH - 9)}_${hash}`;
}
