// Client tool names ↔ the flat names sent to Anthropic. Responses `namespace` tools hold
// nested tools that Anthropic has no place for: each becomes `namespace__name`, shortened
// with a hash past 64 characters, and maps back to its name, namespace and kind (custom or not).
import { InvalidRequestError } from "../../core/errors.js";
import { ToolNameMap } from "../tool-identity.js";

/** A tool as the client names it: a function's own name, and its namespace if it has one. */
export interface ClientToolName {
  name: string;
  namespace?: string | undefined;
  /** A `custom` (free-form input) tool travels as a tool taking `{input}`; absent for functions. */
  kind?: "custom" | undefined;
}

/** Joins a namespace and a nested function's name. */
const SEPARATOR = "__";

function flatName({ name, namespace }: ClientToolName): string {
  if (!namespace) return name;
  // Codex's MCP namespaces already end in the separator (`mcp__docs__` + `search`).
  return namespace.endsWith(SEPARATOR) ? `${namespace}${name}` : `${namespace}${SEPARATOR}${name}`;
}

/** The reversible mapping for one request's tools. */
export class ResponsesToolNames {
  private readonly names = new ToolNameMap();
  /** Declared tools a bare name cannot describe (namespaced or custom), by upstream name. */
  private readonly described = new Map<string, ClientToolName>();
  private readonly declared = new Set<string>();

  /** Records a declared tool and returns the name to send upstream; `param` names it in errors. */
  add(tool: ClientToolName, param: string): string {
    const flat = flatName(tool);
    if (this.declared.has(flat)) {
      // Anthropic refuses two tools of one name; say which declaration collides, and why.
      throw new InvalidRequestError({
        message: `${param}: the tool name "${flat}" is declared twice (a namespaced function's flattened name can equal another tool's)`,
        param,
      });
    }
    this.declared.add(flat);
    const upstream = this.names.add(flat);
    if (tool.namespace || tool.kind) {
      this.described.set(upstream, {
        name: tool.name,
        ...(tool.namespace ? { namespace: tool.namespace } : {}),
        ...(tool.kind ? { kind: tool.kind } : {}),
      });
    }
    return upstream;
  }

  /** The upstream name of a tool the client names (declared or not: the mapping is deterministic). */
  toUpstream(tool: ClientToolName): string {
    return this.names.toUpstream(flatName(tool));
  }

  /** The client's tool (name, namespace, kind) for a name the upstream used; unknown names pass unchanged. */
  toClient(upstreamName: string): ClientToolName {
    return this.described.get(upstreamName) ?? { name: this.names.toClient(upstreamName) };
  }
}
