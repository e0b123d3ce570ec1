// The Responses `input` → Anthropic's system prompt and alternating turns: system and developer
// messages lift into `system` wherever they stand (as Chat system messages do), function and
// custom tool calls become tool_use blocks, their outputs tool_result blocks of the next user turn.
import type { ToolResultBlockParam, ToolUseBlockParam } from "@anthropic-ai/sdk/resources/messages";
import { InvalidRequestError } from "../../core/errors.js";
import { parseArguments } from "../openai-to-anthropic/assistant-message.js";
import type { SystemSegment } from "../openai-to-anthropic/messages.js";
import { sanitizeToolId } from "../tool-identity.js";
import { translateParts } from "./content-parts.js";
import type { ResponsesToolNames } from "./tool-names.js";
import { TurnList } from "./turns.js";
import type { AnthropicMessage } from "./wire.js";

/** The conversation in Anthropic's shape, and the item types left out of it. */
export interface TranslatedInput {
  system: SystemSegment[];
  messages: AnthropicMessage[];
  /** Item types dropped because they cannot cross providers, once each, in order of appearance. */
  droppedItems: string[];
}

/**
 * Items that record work done on OpenAI's side (hosted tools, encrypted compaction): they
 * have no Anthropic counterpart and nothing the client needs re-run, so they are dropped.
 */
const PROVIDER_ITEMS = new Set([
  "web_search_call",
  "file_search_call",
  "code_interpreter_call",
  "image_generation_call",
  "mcp_list_tools",
  "mcp_call",
  "mcp_approval_request",
  "mcp_approval_response",
  "tool_search_call",
  "tool_search_output",
  "compaction",
]);

/** An input item as it arrives, typed loosely. */
interface LooseItem {
  type?: unknown;
  role?: unknown;
  content?: unknown;
  call_id?: unknown;
  name?: unknown;
  namespace?: unknown;
  arguments?: unknown;
  input?: unknown;
  output?: unknown;
}

/** Translates the `input` of a Responses request. */
export function translateInput(input: unknown, toolNames: ResponsesToolNames): TranslatedInput {
  const items = typeof input === "string" ? [{ role: "user", content: input }] : input;
  if (!Array.isArray(items)) {
    throw new InvalidRequestError({
      message: "input must be a string or an array of input items",
      param: "input",
    });
  }
  const system: SystemSegment[] = [];
  const turns = new TurnList();
  const dropped = new Set<string>();
  for (const [i, raw] of items.entries()) {
    const path = `input[${i}]`;
    const item = (typeof raw === "object" && raw !== null ? raw : {}) as LooseItem;
    const type = item.type ?? (item.role !== undefined ? "message" : undefined);
    if (type === "message") addMessage({ item, path, system, turns });
    else if (type === "function_call") turns.append("assistant", [toolUse(item, path, toolNames)]);
    else if (type === "custom_tool_call") turns.append("assistant", [customToolUse(item, path, toolNames)]);
    else if (type === "function_call_output" || type === "custom_tool_call_output")
      turns.append("user", [toolResult(item, path)]);
    // A reasoning item's encrypted content is OpenAI's and its summary is no Anthropic
    // thinking block (those need Anthropic's signature): it cannot be sent, and is dropped.
    else if (type === "reasoning" || (typeof type === "string" && PROVIDER_ITEMS.has(type)))
      dropped.add(type);
    else throw unsupportedItem(type, path);
  }
  if (turns.isEmpty) {
    throw new InvalidRequestError({
      message: "input must contain at least one user or assistant message with content",
      param: "input",
    });
  }
  return { system, messages: turns.toMessages(), droppedItems: [...dropped] };
}

function unsupportedItem(type: unknown, path: string): InvalidRequestError {
  if (type === "item_reference") {
    return new InvalidRequestError({
      message: `${path}: item_reference needs the items OpenAI stored, which an Anthropic provider does not have; send the full items instead, with store: false`,
      param: `${path}.type`,
    });
  }
  return new InvalidRequestError({
    message: `${path}.type: ${JSON.stringify(type)} items cannot be sent to an Anthropic model; use message, function_call, custom_tool_call and their output items`,
    param: `${path}.type`,
  });
}

interface MessageInput {
  item: LooseItem;
  path: string;
  system: SystemSegment[];
  turns: TurnList;
}

function addMessage({ item, path, system, turns }: MessageInput): void {
  const contentPath = `${path}.content`;
  switch (item.role) {
    case "system":
    case "developer": {
      const blocks = translateParts(item.content, contentPath, "system");
      const texts = blocks.flatMap((b) => (b.type === "text" ? [b] : []));
      if (texts.length > 0) {
        system.push({
          text: texts.map((b) => b.text).join("\n\n"),
          cached: texts.some((b) => b.cache_control),
        });
      }
      return;
    }
    case "user":
    case "assistant":
      turns.append(item.role, translateParts(item.content, contentPath, item.role));
      return;
    default:
      throw new InvalidRequestError({
        message: `${path}.role must be one of user, assistant, system, developer`,
        param: `${path}.role`,
      });
  }
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") {
    throw new InvalidRequestError({ message: `${field} is required`, param: field });
  }
  return value;
}

function toolUse(item: LooseItem, path: string, toolNames: ResponsesToolNames): ToolUseBlockParam {
  return { ...callBlock(item, path, toolNames), input: parseArguments(item.arguments, `${path}.arguments`) };
}

/** A custom tool's call as the tool_use of its Anthropic form, which takes `{input}`. */
function customToolUse(item: LooseItem, path: string, toolNames: ResponsesToolNames): ToolUseBlockParam {
  if (typeof item.input !== "string") {
    throw new InvalidRequestError({
      message: `${path}.input must be a string (the call's free-form input)`,
      param: `${path}.input`,
    });
  }
  return { ...callBlock(item, path, toolNames), input: { input: item.input } };
}

/** A call's tool_use block but its input: the id Anthropic pairs results by, and the upstream name. */
function callBlock(
  item: LooseItem,
  path: string,
  toolNames: ResponsesToolNames,
): Omit<ToolUseBlockParam, "input"> {
  const name = requiredString(item.name, `${path}.name`);
  const namespace = typeof item.namespace === "string" && item.namespace !== "" ? item.namespace : undefined;
  return {
    type: "tool_use",
    id: sanitizeToolId(requiredString(item.call_id, `${path}.call_id`)),
    name: toolNames.toUpstream({ name, namespace }),
  };
}

function toolResult(item: LooseItem, path: string): ToolResultBlockParam {
  const block: ToolResultBlockParam = {
    type: "tool_result",
    tool_use_id: sanitizeToolId(requiredString(item.call_id, `${path}.call_id`)),
  };
  const output = item.output;
  if (typeof output === "string") {
    if (output.trim() !== "") block.content = output;
    return block;
  }
  const parts = translateParts(output, `${path}.output`, "tool");
  if (parts.length > 0) block.content = parts;
  return block;
}
