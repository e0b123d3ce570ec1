// OpenAI's flat message list → Anthropic's system prompt plus alternating user/assistant
// turns. System and developer messages lift into `system`; tool messages become
// tool_result blocks of a user turn; neighbouring turns of one role merge, because
// Anthropic requires strict alternation.
import type {
  ContentBlockParam,
  MessageParam,
  ToolResultBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import { InvalidRequestError } from "../../core/errors.js";
import { sanitizeToolId, type ToolNameMap } from "../tool-identity.js";
import { assistantBlocks } from "./assistant-message.js";
import { translateContent } from "./content-parts.js";

/** One system or developer message, flattened to text. */
export interface SystemSegment {
  text: string;
  /** The client marked a prompt-cache breakpoint in it. */
  cached: boolean;
}

/** The conversation in Anthropic's shape. */
export interface TranslatedMessages {
  system: SystemSegment[];
  messages: MessageParam[];
}

interface Turn {
  role: "user" | "assistant";
  content: ContentBlockParam[];
}

/** Translates the `messages` of an OpenAI request. */
export function translateMessages(messages: unknown, toolNames: ToolNameMap): TranslatedMessages {
  if (!Array.isArray(messages)) {
    throw new InvalidRequestError({ message: "messages must be an array of messages", param: "messages" });
  }
  const system: SystemSegment[] = [];
  const turns: Turn[] = [];
  for (const [i, raw] of messages.entries()) {
    const path = `messages[${i}]`;
    const message = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    if (message.role === "system" || message.role === "developer") {
      system.push(...systemSegment(message.content, `${path}.content`));
    } else if (message.role === "user") {
      append(turns, "user", translateContent(message.content, `${path}.content`));
    } else if (message.role === "tool") {
      append(turns, "user", [toolResult(message, path)]);
    } else if (message.role === "assistant") {
      append(turns, "assistant", assistantBlocks(message, path, toolNames));
    } else {
      throw unsupportedRole(message.role, path);
    }
  }
  if (turns.length === 0) {
    throw new InvalidRequestError({
      message: "messages must contain at least one user or assistant message with content",
      param: "messages",
    });
  }
  trimFinalAssistant(turns);
  return { system, messages: turns.map(toMessage) };
}

function unsupportedRole(role: unknown, path: string): InvalidRequestError {
  const message =
    role === "function"
      ? `${path}.role: the deprecated "function" role is not supported; use tool_calls and "tool" messages`
      : `${path}.role must be one of system, developer, user, assistant, tool`;
  return new InvalidRequestError({ message, param: `${path}.role` });
}

function systemSegment(content: unknown, path: string): SystemSegment[] {
  const blocks = translateContent(content, path);
  const texts = blocks.filter((b) => b.type === "text");
  if (texts.length !== blocks.length) {
    throw new InvalidRequestError({ message: `${path}: system messages take text only`, param: path });
  }
  if (texts.length === 0) return [];
  return [{ text: texts.map((b) => b.text).join("\n\n"), cached: texts.some((b) => b.cache_control) }];
}

function toolResult(message: Record<string, unknown>, path: string): ToolResultBlockParam {
  const id = message.tool_call_id;
  if (typeof id !== "string" || id === "") {
    throw new InvalidRequestError({
      message: `${path}.tool_call_id is required`,
      param: `${path}.tool_call_id`,
    });
  }
  const block: ToolResultBlockParam = { type: "tool_result", tool_use_id: sanitizeToolId(id) };
  const content = message.content;
  if (typeof content === "string") {
    if (content.trim() !== "") block.content = content;
    return block;
  }
  const parts = translateContent(content, `${path}.content`);
  if (parts.length > 0) block.content = parts;
  return block;
}

function append(turns: Turn[], role: Turn["role"], blocks: ContentBlockParam[]): void {
  if (blocks.length === 0) return;
  const last = turns.at(-1);
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: [...blocks] });
}

function toMessage(turn: Turn): MessageParam {
  if (turn.role === "assistant") return { role: "assistant", content: turn.content };
  // Anthropic wants a user turn's tool_result blocks before anything else in it.
  const results = turn.content.filter((b) => b.type === "tool_result");
  const rest = turn.content.filter((b) => b.type !== "tool_result");
  return { role: "user", content: [...results, ...rest] };
}

/** Anthropic rejects a final (prefill) assistant turn that ends in whitespace. */
function trimFinalAssistant(turns: Turn[]): void {
  const last = turns.at(-1);
  if (last?.role !== "assistant") return;
  const block = last.content.at(-1);
  // Whitespace-only blocks never get here, so the trimmed text is never empty.
  if (block?.type === "text")
    last.content[last.content.length - 1] = { ...block, text: block.text.trimEnd() };
}
