// Responses `tools` and `tool_choice` → Chat Completions functions: function tools as they are,
// `namespace` tools flattened, `custom` tools as a function of one string `input`; built-in
// tools only OpenAI runs are left out and reported, and refused when `tool_choice` forces one.
import type {
  ChatCompletionFunctionTool,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import { InvalidRequestError } from "../../core/errors.js";
import type { Tool } from "../../schemas/responses/wire.js";
import { isRecord } from "../accumulate/json-record.js";
import { toolParameters } from "../anthropic-to-openai/json-schema.js";
import type { ClientToolName, ResponsesToolNames } from "./tool-names.js";

/** The tool fields of the upstream request, and what the client declared that it leaves out. */
export interface TranslatedTools {
  tools?: ChatCompletionFunctionTool[];
  tool_choice?: ChatCompletionToolChoiceOption;
  parallel_tool_calls?: boolean;
  /** The client's tools the upstream is offered, as declared: what the response echoes. */
  offered: Tool[];
  /** The types of the built-in tools left out, once each. */
  dropped: string[];
}

/** What one declared tool became. */
interface Declared {
  client: ClientToolName;
  upstream: ChatCompletionFunctionTool;
}

function stringField(value: unknown, param: string): string {
  if (typeof value !== "string" || value === "") {
    throw new InvalidRequestError({ message: `${param} must be a non-empty string`, param });
  }
  return value;
}

function functionOf(
  tool: Record<string, unknown>,
  client: ClientToolName,
  param: string,
  toolNames: ResponsesToolNames,
): ChatCompletionFunctionTool {
  const fn: ChatCompletionFunctionTool["function"] = {
    name: toolNames.declare(client, `${param}.name`),
    parameters: toolParameters(tool.parameters ?? undefined),
  };
  if (typeof tool.description === "string" && tool.description !== "") fn.description = tool.description;
  if (typeof tool.strict === "boolean") fn.strict = tool.strict;
  return { type: "function", function: fn };
}

/** A free-form tool's input grammar, told to the model in the description since functions have none. */
function grammarNote(format: unknown): string {
  if (!isRecord(format) || format.type !== "grammar" || typeof format.definition !== "string") return "";
  const syntax = typeof format.syntax === "string" ? format.syntax : "given";
  return `\n\nThe input must follow this ${syntax} grammar:\n${format.definition}`;
}

function customOf(
  tool: Record<string, unknown>,
  client: ClientToolName,
  param: string,
  toolNames: ResponsesToolNames,
): ChatCompletionFunctionTool {
  const description = `${typeof tool.description === "string" ? tool.description : ""}${grammarNote(tool.format)}`;
  const fn: ChatCompletionFunctionTool["function"] = {
    name: toolNames.declare(client, `${param}.name`),
    parameters: {
      type: "object",
      properties: { input: { type: "string", description: "The tool's whole free-form input." } },
      required: ["input"],
      additionalProperties: false,
    },
  };
  if (description.trim() !== "") fn.description = description.trim();
  return { type: "function", function: fn };
}

function declareOne(
  tool: Record<string, unknown>,
  param: string,
  toolNames: ResponsesToolNames,
  namespace?: string,
): Declared {
  const name = stringField(tool.name, `${param}.name`);
  if (tool.type === "custom") {
    const client: ClientToolName = { name, namespace, kind: "custom" };
    return { client, upstream: customOf(tool, client, param, toolNames) };
  }
  const client: ClientToolName = { name, namespace, kind: "function" };
  return { client, upstream: functionOf(tool, client, param, toolNames) };
}

function declareNamespace(
  tool: Record<string, unknown>,
  param: string,
  toolNames: ResponsesToolNames,
): Declared[] {
  const namespace = stringField(tool.name, `${param}.name`);
  if (!Array.isArray(tool.tools)) {
    throw new InvalidRequestError({
      message: `${param}.tools must be an array of function tools`,
      param: `${param}.tools`,
    });
  }
  return tool.tools.map((inner: unknown, j) => {
    const innerParam = `${param}.tools.${j}`;
    if (!isRecord(inner) || (inner.type !== "function" && inner.type !== "custom")) {
      throw new InvalidRequestError({
        message: `${innerParam}: a namespace holds only "function" and "custom" tools`,
        param: innerParam,
      });
    }
    return declareOne(inner, innerParam, toolNames, namespace);
  });
}

/**
 * The tools to offer upstream, in order, with the client tools and built-in types they came
 * from. Built-in tools (web search, file search, code interpreter, computer use, image
 * generation, MCP, shell…) run on OpenAI's side and cannot run behind Chat Completions.
 */
function declareAll(tools: unknown, toolNames: ResponsesToolNames) {
  if (tools !== undefined && tools !== null && !Array.isArray(tools)) {
    throw new InvalidRequestError({ message: "tools must be an array", param: "tools" });
  }
  const declared: Declared[] = [];
  const offered: Tool[] = [];
  const dropped = new Set<string>();
  (tools ?? []).forEach((tool: unknown, i: number) => {
    const param = `tools.${i}`;
    if (!isRecord(tool) || typeof tool.type !== "string") {
      throw new InvalidRequestError({ message: `${param} must be a tool object with a type`, param });
    }
    if (tool.type === "function" || tool.type === "custom") declared.push(declareOne(tool, param, toolNames));
    else if (tool.type === "namespace") declared.push(...declareNamespace(tool, param, toolNames));
    else {
      dropped.add(tool.type);
      return;
    }
    offered.push(tool as unknown as Tool);
  });
  return { declared, offered, dropped: [...dropped] };
}

const OPTIONS = new Set(["auto", "none", "required"]);

function unknownTool(name: string, param: string): InvalidRequestError {
  return new InvalidRequestError({
    message: `${param}: "${name}" is not one of the function tools of this request; declare it in tools`,
    param,
  });
}

/** The declared tool a named choice (`{type:"function"|"custom", name, namespace?}`) picks. */
function chosen(choice: Record<string, unknown>, declared: Declared[], toolNames: ResponsesToolNames) {
  const name = stringField(choice.name, "tool_choice.name");
  const namespace = typeof choice.namespace === "string" ? choice.namespace : undefined;
  const client = namespace === undefined ? toolNames.lookup(name) : { name, namespace };
  const upstream = client && toolNames.toUpstream(client);
  const match = declared.find((d) => d.upstream.function.name === upstream);
  if (!match) throw unknownTool(namespace ? `${namespace}/${name}` : name, "tool_choice.name");
  return match;
}

/** `allowed_tools`: the declared tools it lists (by name; built-in entries name nothing to offer). */
function allowed(choice: Record<string, unknown>, declared: Declared[], toolNames: ResponsesToolNames) {
  const entries = Array.isArray(choice.tools) ? choice.tools : [];
  const names = new Set(
    entries.flatMap((entry: unknown) => {
      if (!isRecord(entry) || typeof entry.name !== "string") return [];
      const namespace = typeof entry.namespace === "string" ? entry.namespace : undefined;
      const client = namespace === undefined ? toolNames.lookup(entry.name) : { name: entry.name, namespace };
      return client ? [toolNames.toUpstream(client)] : [];
    }),
  );
  return declared.filter((d) => names.has(d.upstream.function.name));
}

interface Choice {
  option?: ChatCompletionToolChoiceOption;
  /** The declared tools left after an `allowed_tools` choice. */
  declared: Declared[];
}

function builtInForced(type: string): InvalidRequestError {
  return new InvalidRequestError({
    message: `tool_choice forces the built-in tool "${type}", which runs only on OpenAI's Responses API and not on this provider; use "auto" or a function tool`,
    param: "tool_choice",
  });
}

function toolChoice(choice: unknown, declared: Declared[], toolNames: ResponsesToolNames): Choice {
  if (choice === undefined || choice === null) return { declared };
  if (typeof choice === "string") {
    if (!OPTIONS.has(choice)) {
      throw new InvalidRequestError({
        message: `tool_choice must be "auto", "none", "required" or a tool object, not ${JSON.stringify(choice)}`,
        param: "tool_choice",
      });
    }
    return { option: choice as "auto" | "none" | "required", declared };
  }
  if (!isRecord(choice) || typeof choice.type !== "string") {
    throw new InvalidRequestError({
      message: "tool_choice must be a string or a tool object",
      param: "tool_choice",
    });
  }
  if (choice.type === "function" || choice.type === "custom") {
    const match = chosen(choice, declared, toolNames);
    return { option: { type: "function", function: { name: match.upstream.function.name } }, declared };
  }
  if (choice.type === "allowed_tools") {
    const mode = choice.mode === "required" ? "required" : "auto";
    return { option: mode, declared: allowed(choice, declared, toolNames) };
  }
  throw builtInForced(choice.type);
}

/** Translates `tools`, `tool_choice` and `parallel_tool_calls`, declaring every tool in `toolNames`. */
export function translateTools(
  request: { tools?: unknown; tool_choice?: unknown; parallel_tool_calls?: unknown },
  toolNames: ResponsesToolNames,
): TranslatedTools {
  const { declared, offered, dropped } = declareAll(request.tools, toolNames);
  const choice = toolChoice(request.tool_choice, declared, toolNames);
  if (choice.declared.length === 0) {
    // Chat Completions refuses tool_choice and parallel_tool_calls without tools.
    if (choice.option === "required") {
      throw new InvalidRequestError({
        message: `tool_choice "required" needs a function tool, and this request has none this provider can run${dropped.length > 0 ? ` (left out: ${dropped.join(", ")})` : ""}`,
        param: "tool_choice",
      });
    }
    return { offered, dropped };
  }
  const out: TranslatedTools = { tools: choice.declared.map((d) => d.upstream), offered, dropped };
  if (choice.option !== undefined) out.tool_choice = choice.option;
  // `true` is the Chat Completions default, and some backends reject the field: only `false` is sent.
  if (request.parallel_tool_calls === false) out.parallel_tool_calls = false;
  return out;
}
