// Responses `tools`, `tool_choice` and `parallel_tool_calls` → Anthropic `tools` and `tool_choice`.
// Functions map one to one, custom tools take one string `input`, namespaces flatten; tools
// OpenAI runs itself (web_search, file_search, mcp…) are dropped, and refused when forced.
import type { Tool, ToolChoice } from "@anthropic-ai/sdk/resources/messages";
import { InvalidRequestError } from "../../core/errors.js";
import type { ClientToolName, ResponsesToolNames } from "./tool-names.js";

/** The tool fields of a Responses request, typed loosely. */
export interface LooseToolFields {
  tools?: unknown;
  tool_choice?: unknown;
  parallel_tool_calls?: unknown;
}

/** The tool fields of the Anthropic request (both absent when no tool is offered), and what was dropped. */
export interface TranslatedTools {
  tools?: Tool[];
  tool_choice?: ToolChoice;
  /** Types of the built-in tools left out, once each, in order of appearance. */
  droppedTools: string[];
}

interface LooseTool {
  type?: unknown;
  name?: unknown;
  description?: unknown;
  parameters?: unknown;
  format?: unknown;
  tools?: unknown;
}

/** Translates the tool fields; names go through `toolNames` so responses can map them back. */
export function translateTools(request: LooseToolFields, toolNames: ResponsesToolNames): TranslatedTools {
  const declared = request.tools ?? [];
  if (!Array.isArray(declared))
    throw new InvalidRequestError({ message: "tools must be an array", param: "tools" });
  const dropped = new Set<string>();
  let tools = declared.flatMap((tool: LooseTool, i) =>
    translateTool(tool, `tools[${i}]`, { toolNames, dropped }),
  );
  const allowed = allowedToolNames(request.tool_choice, toolNames);
  if (allowed) tools = tools.filter((t) => allowed.has(t.name));
  const droppedTools = [...dropped];
  // Translated first, so a choice that forces a dropped built-in is refused even when no tool is left.
  const choice = translateToolChoice(request.tool_choice, toolNames);
  if (tools.length === 0) return { droppedTools };
  // parallel_tool_calls:false has no field of its own in Anthropic: it rides on tool_choice.
  if (request.parallel_tool_calls === false && choice.type !== "none") {
    return { tools, tool_choice: { ...choice, disable_parallel_tool_use: true }, droppedTools };
  }
  return request.tool_choice === undefined || request.tool_choice === null
    ? { tools, droppedTools }
    : { tools, tool_choice: choice, droppedTools };
}

interface ToolScope {
  toolNames: ResponsesToolNames;
  dropped: Set<string>;
}

function translateTool(tool: LooseTool, path: string, scope: ToolScope): Tool[] {
  switch (tool.type) {
    case "function":
      return [functionTool(tool, path, scope.toolNames)];
    case "namespace":
      return namespaceTools(tool, path, scope.toolNames);
    case "custom":
      return [customTool(tool, path, scope.toolNames)];
    default:
      if (typeof tool.type !== "string" || tool.type === "") {
        throw new InvalidRequestError({ message: `${path}.type is required`, param: `${path}.type` });
      }
      scope.dropped.add(tool.type);
      return [];
  }
}

function namespaceTools(tool: LooseTool, path: string, toolNames: ResponsesToolNames): Tool[] {
  const namespace = requiredName(tool.name, `${path}.name`);
  if (!Array.isArray(tool.tools)) {
    throw new InvalidRequestError({ message: `${path}.tools must be an array`, param: `${path}.tools` });
  }
  // The namespace's description says what its functions are for; each function carries it,
  // since the model sees the functions one by one.
  const context =
    typeof tool.description === "string" && tool.description !== "" ? tool.description : undefined;
  return tool.tools.map((nested: LooseTool, j) => {
    const nestedPath = `${path}.tools[${j}]`;
    if (nested.type === "custom") return customTool(nested, nestedPath, toolNames, { namespace, context });
    if (nested.type !== "function") {
      throw new InvalidRequestError({
        message: `${nestedPath}.type: a namespace holds function and custom tools`,
        param: `${nestedPath}.type`,
      });
    }
    return functionTool(nested, nestedPath, toolNames, { namespace, context });
  });
}

interface NamespaceScope {
  namespace: string;
  context: string | undefined;
}

function functionTool(
  tool: LooseTool,
  path: string,
  toolNames: ResponsesToolNames,
  scope?: NamespaceScope,
): Tool {
  const name: ClientToolName = { name: requiredName(tool.name, `${path}.name`), namespace: scope?.namespace };
  const description = toolDescription(tool.description, undefined, scope);
  const parameters = tool.parameters;
  const schema =
    typeof parameters === "object" && parameters !== null
      ? { type: "object" as const, ...(parameters as Record<string, unknown>) }
      : { type: "object" as const, properties: {} };
  return {
    name: toolNames.add(name, `${path}.name`),
    ...(description !== "" ? { description } : {}),
    input_schema: schema as Tool["input_schema"],
  };
}

const CUSTOM_INPUT_DESCRIPTION =
  "The tool's whole free-form input as one string: the raw text itself, not JSON inside the string.";

/**
 * A custom tool as an Anthropic tool of one string `input`: Anthropic tools take JSON, so the
 * free-form input rides in one field, and the grammar it must follow goes in the description.
 */
function customTool(
  tool: LooseTool,
  path: string,
  toolNames: ResponsesToolNames,
  scope?: NamespaceScope,
): Tool {
  const name: ClientToolName = {
    name: requiredName(tool.name, `${path}.name`),
    namespace: scope?.namespace,
    kind: "custom",
  };
  const description = toolDescription(tool.description, grammarNote(tool.format), scope);
  return {
    name: toolNames.add(name, `${path}.name`),
    ...(description !== "" ? { description } : {}),
    input_schema: {
      type: "object",
      // The tool's own description may say "not JSON": this says what goes in the string.
      properties: { input: { type: "string", description: CUSTOM_INPUT_DESCRIPTION } },
      required: ["input"],
    },
  };
}

/** A custom tool's grammar, told to the model since an input_schema cannot hold one; none for free text. */
function grammarNote(format: unknown): string | undefined {
  const f = (typeof format === "object" && format !== null ? format : {}) as Record<string, unknown>;
  if (f.type !== "grammar" || typeof f.definition !== "string" || f.definition.trim() === "")
    return undefined;
  const syntax = typeof f.syntax === "string" && f.syntax !== "" ? f.syntax : "given";
  return `The input must follow this ${syntax} grammar:\n${f.definition}`;
}

/** The tool's own description, then its grammar, then what its namespace is for. */
function toolDescription(own: unknown, grammar: string | undefined, scope?: NamespaceScope): string {
  return [
    typeof own === "string" && own !== "" ? own : undefined,
    grammar,
    scope?.context && `(${scope.namespace}: ${scope.context})`,
  ]
    .filter(Boolean)
    .join("\n\n");
}

function requiredName(value: unknown, param: string): string {
  if (typeof value !== "string" || value === "") {
    throw new InvalidRequestError({ message: `${param} is required`, param });
  }
  return value;
}

interface LooseChoice {
  type?: unknown;
  name?: unknown;
  namespace?: unknown;
  mode?: unknown;
  tools?: unknown;
}

function translateToolChoice(choice: unknown, toolNames: ResponsesToolNames): ToolChoice {
  if (choice === undefined || choice === null || choice === "auto") return { type: "auto" };
  if (choice === "required") return { type: "any" };
  if (choice === "none") return { type: "none" };
  if (typeof choice === "object") {
    const c = choice as LooseChoice;
    const named = c.type === "function" || c.type === "custom";
    if (named && typeof c.name === "string" && c.name !== "") {
      return { type: "tool", name: toolNames.toUpstream(chosenName(c)) };
    }
    if (c.type === "allowed_tools") return c.mode === "required" ? { type: "any" } : { type: "auto" };
    if (typeof c.type === "string" && !named) {
      throw new InvalidRequestError({
        message: `tool_choice forces the built-in tool ${JSON.stringify(c.type)}, which OpenAI runs and an Anthropic model cannot; force a function tool or use "auto"`,
        param: "tool_choice",
      });
    }
  }
  throw new InvalidRequestError({
    message:
      'tool_choice must be "auto", "required", "none", {"type":"function"|"custom","name":…} or {"type":"allowed_tools",…}',
    param: "tool_choice",
  });
}

function chosenName(c: LooseChoice): ClientToolName {
  const namespace = typeof c.namespace === "string" && c.namespace !== "" ? c.namespace : undefined;
  return { name: c.name as string, namespace };
}

/** The upstream tool names an `allowed_tools` choice permits, or undefined for any other choice. */
function allowedToolNames(choice: unknown, toolNames: ResponsesToolNames): Set<string> | undefined {
  if (typeof choice !== "object" || choice === null) return undefined;
  const c = choice as LooseChoice;
  if (c.type !== "allowed_tools" || !Array.isArray(c.tools)) return undefined;
  const names = c.tools.flatMap((t: LooseChoice) =>
    (t?.type === "function" || t?.type === "custom") && typeof t.name === "string"
      ? [toolNames.toUpstream(chosenName(t))]
      : [],
  );
  return new Set(names);
}
