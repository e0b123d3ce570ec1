// Tool names and tool-call ids that one dialect accepts and the other does not.
// Both mappings are deterministic, so the same conversation maps the same way on every
// turn and after a fallback, with no state kept between requests.
import { createHash } from "node:crypto";

const VALID_ID = /^[a-zA-Z0-9_-]+$/;
const VALID_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** OpenAI caps function names at 64 characters. */
export const MAX_TOOL_NAME_LENGTH = 64;

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/**
 * A tool-call id in the form Anthropic requires (`^[a-zA-Z0-9_-]+$`). Ids that already
 * fit are kept; others (`functions.Bash:0`) get their bad characters replaced and a hash
 * of the original appended, so two different ids never collide.
 */
export function sanitizeToolId(id: string): string {
  if (VALID_ID.test(id)) return id;
  if (id.length === 0) return "toolu_empty";
  return `${id.replace(/[^a-zA-Z0-9_-]/g, "_")}_${shortHash(id)}`;
}

/**
 * A tool name that fits OpenAI's 64-character limit: longer names keep a readable
 * prefix and end in a hash of the full name.
 */
export function shortenToolName(name: string): string {
  if (VALID_NAME.test(name)) return name;
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, "_");
  if (cleaned.length <= MAX_TOOL_NAME_LENGTH && cleaned === name) return name;
  return `${cleaned.slice(0, MAX_TOOL_NAME_LENGTH - 9)}_${shortHash(name)}`;
}

/** Maps shortened tool names back to the names the client declared. */
export class ToolNameMap {
  private readonly upstreamToClient = new Map<string, string>();

  /** Records a client tool name and returns the name to send upstream. */
  add(clientName: string): string {
    const upstream = shortenToolName(clientName);
    this.upstreamToClient.set(upstream, clientName);
    return upstream;
  }

  /** The client's name for a name the upstream used (unknown names pass unchanged). */
  toClient(upstreamName: string): string {
    return this.upstreamToClient.get(upstreamName) ?? upstreamName;
  }

  /** The upstream name for a client tool name. */
  toUpstream(clientName: string): string {
    return shortenToolName(clientName);
  }
}
