// OpenAI `tools`, `tool_choice` and `parallel_tool_calls` → Anthropic `tools` and
// `tool_choice`. Function tools map one to one; custom (grammar) tools have no Anthropic
// counterpart and are refused with the field named.
import type { Tool, ToolChoice } from "@anthropic-ai/sdk/resources/messages";
import { InvalidRequestError } from "../../core/errors.js";
import type { ToolNameMap } from "../tool-identity.js";

/** The tool fields of an OpenAI request, typed loosely. */
export interface LooseToolFields {
  tools?: unknown;
  tool_choice?: unknown;
  parallel_tool_calls?: unknown;
  functions?: unknown;
  function_call?: unknown;
}

/** The tool fields of the Anthropic request; both absent when no tool is offered. */
export interface TranslatedTools {
  tools?: Tool[];
  tool_choice?: ToolChoice;
}

interface LooseTool {
  type?: unknown;
  function?: { name?: unknown; description?: unknown; parameters?: unknown };
}

/** Translates the tool fields; names go through `toolNames` so responses can map them back. */
export function translateTools(request: LooseToolFields, toolNames: ToolNameMap): TranslatedTools {
  if (request.functions !== undefined || request.function_call !== undefined) {
    const param = request.functions !== undefined ? "functions" : "function_call";
    throw new InvalidRequestError({
      message: `${param}: the deprecated functions API is not supported; use tools and tool_choice`,
      param,
    });
  }
  const declared = request.tools ?? [];
  if (!Array.isArray(declared))
    throw new InvalidRequestError({ message: "tools must be an array", param: "tools" });
  let tools = declared.map((tool: LooseTool, i) => translateTool(tool, `tools[${i}]`, toolNames));
  const allowed = allowedToolNames(request.tool_choice, toolNames);
  if (allowed) tools = tools.filter((t) => allowed.has(t.name));
  if (tools.length === 0) return {};
  const choice = translateToolChoice(request.tool_choice, toolNames);
  // parallel_tool_calls:false has no field of its own in Anthropic: it rides on tool_choice.
  if (request.parallel_tool_calls === false && choice.type !== "none") {
    return { tools, tool_choice: { ...choice, disable_parallel_tool_use: true } };
  }
  return request.tool_choice === undefined || request.tool_choice === null
    ? { tools }
    : { tools, tool_choice: choice };
}

function translateTool(tool: LooseTool, path: string, toolNames: ToolNameMap): Tool {
  if (tool.type !== "function") {
    throw new InvalidRequestError({
      message: `${path}.type: only function tools can be sent to an Anthropic model (got ${JSON.stringify(tool.type)})`,
      param: `${path}.type`,
    });
  }
  const fn = tool.function ?? {};
  if (typeof fn.name !== "string" || fn.name === "") {
    throw new InvalidRequestError({
      message: `${path}.function.name is required`,
      param: `${path}.function.name`,
    });
  }
  const parameters = fn.parameters;
  const schema =
    typeof parameters === "object" && parameters !== null
      ? { type: "object" as const, ...(parameters as Record<string, unknown>) }
      : { type: "object" as const, properties: {} };
  return {
    name: toolNames.add(fn.name),
    ...(typeof fn.description === "string" && fn.description !== "" ? { description: fn.description } : {}),
    input_schema: schema as Tool["input_schema"],
  };
}

function translateToolChoice(choice: unknown, toolNames: ToolNameMap): ToolChoice {
  if (choice === undefined || choice === null || choice === "auto") return { type: "auto" };
  if (choice === "required") return { type: "any" };
  if (choice === "none") return { type: "none" };
  if (typeof choice === "object") {
    const c = choice as { type?: unknown; function?: { name?: unknown }; allowed_tools?: { mode?: unknown } };
    if (c.type === "function" && typeof c.function?.name === "string") {
      return { type: "tool", name: toolNames.toUpstream(c.function.name) };
    }
    if (c.type === "allowed_tools")
      return c.allowed_tools?.mode === "required" ? { type: "any" } : { type: "auto" };
  }
  throw new InvalidRequestError({
    message: 'tool_choice must be "auto", "required", "none" or {"type":"function","function":{"name":…}}',
    param: "tool_choice",
  });
}

/** The tool names an `allowed_tools` choice permits, or undefined for any other choice. */
function allowedToolNames(choice: unknown, toolNames: ToolNameMap): Set<string> | undefined {
  if (typeof choice !== "object" || choice === null) return undefined;
  const c = choice as { type?: unknown; allowed_tools?: { tools?: unknown } };
  if (c.type !== "allowed_tools" || !Array.isArray(c.allowed_tools?.tools)) return undefined;
  const names = c.allowed_tools.tools
    .map((t: { function?: { name?: unknown } }) => t?.function?.name)
    .filter((n): n is string => typeof n === "string");
  return new Set(names.map((n) => toolNames.toUpstream(n)));
}
