// Names of the client's tools as the upstream sees them, and back: Chat Completions has no
// namespaces, so nested tools are flattened into one name (shortened past 64 characters) and
// answers map back to the nested name and its `namespace`, which Codex routes calls by.
import { InvalidRequestError } from "../../core/errors.js";
import { ToolNameMap } from "../tool-identity.js";

/** A tool as the Responses client names it. */
export interface ClientToolName {
  name: string;
  /** The `namespace` tool holding it, if any. */
  namespace?: string | undefined;
  /** A `custom` (free-form input) tool travels as a function taking `{input}`. */
  kind?: "function" | "custom";
}

/** The one name a namespaced tool has upstream, before shortening: `crm` + `lookup` → `crm__lookup`. */
export function flatToolName({ name, namespace }: ClientToolName): string {
  if (namespace === undefined || namespace === "") return name;
  // Codex's MCP namespaces already end in the separator (`mcp__docs__`).
  return namespace.endsWith("__") ? `${namespace}${name}` : `${namespace}__${name}`;
}

/** The tools one request declared, by the names sent upstream. */
export class ResponsesToolNames {
  private readonly shortened = new ToolNameMap();
  private readonly byFlatName = new Map<string, ClientToolName>();
  /** Nested tools by their own name; `null` when two namespaces share the name. */
  private readonly byNestedName = new Map<string, ClientToolName | null>();

  /** Declares a client tool and returns its upstream name; two tools of the same upstream name are refused. */
  declare(tool: ClientToolName, param: string): string {
    const flat = flatToolName(tool);
    if (this.byFlatName.has(flat)) {
      throw new InvalidRequestError({
        message: `${param}: the tool name "${flat}" is declared twice (a namespaced tool's flattened name can collide with a top-level one)`,
        param,
      });
    }
    this.byFlatName.set(flat, tool);
    if (tool.namespace) {
      this.byNestedName.set(tool.name, this.byNestedName.has(tool.name) ? null : tool);
    }
    return this.shortened.add(flat);
  }

  /** The upstream name of a tool found in the conversation, declared in this request or not. */
  toUpstream(tool: ClientToolName): string {
    return this.shortened.toUpstream(flatToolName(tool));
  }

  /** The declared tool a name denotes, by its upstream name, flat name or a unique nested name. */
  lookup(name: string): ClientToolName | undefined {
    const known = this.byFlatName.get(this.shortened.toClient(name));
    if (known) return known;
    // Some upstreams answer with a nested tool's bare name instead of the flattened one.
    return this.byNestedName.get(name) ?? undefined;
  }

  /** The client's tool for a name the upstream called; unknown names pass through as top-level tools. */
  toClient(upstreamName: string): ClientToolName {
    return this.lookup(upstreamName) ?? { name: this.shortened.toClient(upstreamName) };
  }
}
