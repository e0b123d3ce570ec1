// Anthropic `tools` and `tool_choice` → OpenAI functions. Names longer than OpenAI's 64
// characters are shortened and recorded so responses map back (edge 17); schemas are
// cleaned for strict backends (edge 16). Anthropic-run tools without an input schema
// (web search, bash, text editor…) cannot run behind an OpenAI endpoint and are dropped.
import type { ToolChoice } from "@anthropic-ai/sdk/resources/messages";
import type {
  ChatCompletionFunctionTool,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import { InvalidRequestError } from "../../core/errors.js";
import type { ToolNameMap } from "../tool-identity.js";
import { toolParameters } from "./json-schema.js";

/** The tool fields of the upstream request (absent when there are no usable tools). */
export interface TranslatedTools {
  tools?: ChatCompletionFunctionTool[];
  tool_choice?: ChatCompletionToolChoiceOption;
  parallel_tool_calls?: boolean;
}

interface LooseTool {
  name?: unknown;
  description?: unknown;
  input_schema?: unknown;
}

function functionTool(tool: LooseTool, i: number, toolNames: ToolNameMap): ChatCompletionFunctionTool {
  if (typeof tool.name !== "string" || tool.name === "") {
    throw new InvalidRequestError({
      message: `tools.${i}.name must be a non-empty string`,
      param: `tools.${i}.name`,
    });
  }
  const fn: ChatCompletionFunctionTool["function"] = {
    name: toolNames.add(tool.name),
    parameters: toolParameters(tool.input_schema),
  };
  if (typeof tool.description === "string" && tool.description !== "") fn.description = tool.description;
  return { type: "function", function: fn };
}

function toolChoice(choice: ToolChoice, declared: Set<string>, toolNames: ToolNameMap) {
  switch (choice.type) {
    case "auto":
      return "auto" as const;
    case "any":
      return "required" as const;
    case "none":
      return "none" as const;
    case "tool": {
      const name = toolNames.toUpstream(choice.name);
      if (!declared.has(name)) {
        throw new InvalidRequestError({
          message: `tool_choice.name "${choice.name}" is not one of the tools this provider can call; declare it in tools with an input_schema`,
          param: "tool_choice.name",
        });
      }
      return { type: "function" as const, function: { name } };
    }
    default:
      throw new InvalidRequestError({
        message: `tool_choice.type must be "auto", "any", "tool" or "none"`,
        param: "tool_choice.type",
      });
  }
}

/** Translates `tools` and `tool_choice`, recording every shortened name in `toolNames`. */
export function translateTools(
  tools: readonly unknown[] | undefined,
  choice: ToolChoice | undefined,
  toolNames: ToolNameMap,
): TranslatedTools {
  if (tools !== undefined && !Array.isArray(tools)) {
    throw new InvalidRequestError({ message: "tools must be an array", param: "tools" });
  }
  const functions = (tools ?? []).flatMap((tool, i) => {
    const loose = (tool ?? {}) as LooseTool;
    return loose.input_schema === undefined ? [] : [functionTool(loose, i, toolNames)];
  });
  const declared = new Set(functions.map((f) => f.function.name));
  const mapped =
    choice === undefined || choice === null ? undefined : toolChoice(choice, declared, toolNames);
  // OpenAI refuses tool_choice and parallel_tool_calls without tools.
  if (functions.length === 0) return {};
  const out: TranslatedTools = { tools: functions };
  if (mapped === undefined || choice === undefined) return out;
  out.tool_choice = mapped;
  if (choice.type !== "none" && choice.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
  return out;
}
