// An OpenAI assistant message → the blocks of an Anthropic assistant turn: its text, then
// one tool_use block per tool call with the arguments parsed back into an object.
// `reasoning_content` is dropped: Anthropic only takes thinking it signed itself, and an
// OpenAI client never holds the signature, so sending it would be a fabrication.
import type { TextBlockParam, ToolUseBlockParam } from "@anthropic-ai/sdk/resources/messages";
import { InvalidRequestError } from "../../core/errors.js";
import { sanitizeToolId, type ToolNameMap } from "../tool-identity.js";
import { translateContent } from "./content-parts.js";

/** An assistant message as it arrives, typed loosely. */
interface LooseAssistantMessage {
  content?: unknown;
  refusal?: unknown;
  tool_calls?: unknown;
  function_call?: unknown;
}

interface LooseToolCall {
  id?: unknown;
  type?: unknown;
  function?: { name?: unknown; arguments?: unknown };
}

/** The blocks of one assistant message; `path` is its place in `messages` (`messages[3]`). */
export function assistantBlocks(
  message: LooseAssistantMessage,
  path: string,
  toolNames: ToolNameMap,
): Array<TextBlockParam | ToolUseBlockParam> {
  if (message.function_call !== undefined && message.function_call !== null) {
    throw new InvalidRequestError({
      message: `${path}.function_call: the deprecated function_call field is not supported; use tool_calls`,
      param: `${path}.function_call`,
    });
  }
  const blocks: Array<TextBlockParam | ToolUseBlockParam> = translateContent(
    message.content,
    `${path}.content`,
  ).filter((b): b is TextBlockParam => b.type === "text");
  if (blocks.length === 0 && typeof message.refusal === "string" && message.refusal.trim() !== "") {
    blocks.push({ type: "text", text: message.refusal });
  }
  const calls = message.tool_calls ?? [];
  if (!Array.isArray(calls)) {
    throw new InvalidRequestError({
      message: `${path}.tool_calls must be an array`,
      param: `${path}.tool_calls`,
    });
  }
  calls.forEach((call: LooseToolCall, j) => {
    blocks.push(toolUseBlock(call, `${path}.tool_calls[${j}]`, toolNames));
  });
  return blocks;
}

function toolUseBlock(call: LooseToolCall, path: string, toolNames: ToolNameMap): ToolUseBlockParam {
  if (call.type !== undefined && call.type !== "function") {
    throw new InvalidRequestError({
      message: `${path}.type: only function tool calls can be sent to an Anthropic model`,
      param: `${path}.type`,
    });
  }
  const name = call.function?.name;
  if (typeof name !== "string" || name === "") {
    throw new InvalidRequestError({
      message: `${path}.function.name is required`,
      param: `${path}.function.name`,
    });
  }
  return {
    type: "tool_use",
    id: sanitizeToolId(typeof call.id === "string" ? call.id : ""),
    name: toolNames.toUpstream(name),
    input: parseArguments(call.function?.arguments, `${path}.function.arguments`),
  };
}

/**
 * Tool-call arguments as an object: empty arguments mean `{}`; anything else must be a JSON object.
 * The Responses direction reads `function_call` items' arguments with it too.
 */
export function parseArguments(args: unknown, path: string): Record<string, unknown> {
  if (args === undefined || args === null) return {};
  if (typeof args !== "string") {
    throw new InvalidRequestError({ message: `${path} must be a JSON string`, param: path });
  }
  if (args.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidRequestError({
      message: `${path} is not valid JSON (${reason}); send the arguments exactly as the model produced them`,
      param: path,
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InvalidRequestError({ message: `${path} must encode a JSON object`, param: path });
  }
  return parsed as Record<string, unknown>;
}
