// The Anthropic conversation (`system` and `messages`) → OpenAI `messages`. Each user
// turn's tool results come first, as tool messages right after the assistant turn that
// called them; the rest of the turn follows as one user message. Mid-conversation
// system entries stay where they are (edge 26).
import type { TextBlockParam, ToolResultBlockParam } from "@anthropic-ai/sdk/resources/messages";
import type { ChatCompletionMessageFunctionToolCall } from "openai/resources/chat/completions";
import { InvalidRequestError } from "../../core/errors.js";
import type { ToolNameMap } from "../tool-identity.js";
import { userParts } from "./content-parts.js";
import { upstreamToolCallId } from "./tool-call-id.js";
import { translateToolResult } from "./tool-results.js";
import type {
  AnthropicBlockParam,
  AnthropicMessageParam,
  OpenAIAssistantMessage,
  OpenAIContentPart,
  OpenAIMessage,
} from "./wire.js";

/** What the conversation translation needs besides the messages. */
export interface ConversationOptions {
  toolNames: ToolNameMap;
  /** Whether thinking text of earlier turns goes back as `reasoning_content`. */
  keepReasoning: boolean;
}

/**
 * Claude Code opens its system prompt with a per-session billing line
 * (`x-anthropic-billing-header: cc_version=…;`). It means nothing to another provider and,
 * changing every session, would defeat the upstream's prompt-prefix cache.
 */
const BILLING_HEADER = /^x-anthropic-billing-header:/;

/** System text (a string or text blocks) as one string; blocks are joined with blank lines. */
export function systemText(system: string | readonly TextBlockParam[], param: string): string {
  if (typeof system === "string") return system;
  if (!Array.isArray(system)) {
    throw new InvalidRequestError({ message: `${param} must be a string or an array of text blocks`, param });
  }
  return system
    .filter((block) => block.type === "text" && block.text !== "" && !BILLING_HEADER.test(block.text))
    .map((block) => block.text)
    .join("\n\n");
}

/** Text-only content collapses to a string: some compatible servers (DeepSeek) refuse part arrays. */
function userContent(parts: OpenAIContentPart[]): string | OpenAIContentPart[] {
  if (parts.every((part) => part.type === "text")) return parts.map((part) => part.text).join("\n\n");
  return parts;
}

function userTurn(blocks: AnthropicBlockParam[], param: string): OpenAIMessage[] {
  const toolMessages: OpenAIMessage[] = [];
  const attachments: OpenAIContentPart[] = [];
  const rest: OpenAIContentPart[] = [];
  blocks.forEach((block, i) => {
    if (block.type === "tool_result") {
      const result = translateToolResult(block as ToolResultBlockParam, `${param}.${i}`);
      toolMessages.push(result.message);
      attachments.push(...result.attachments);
    } else {
      rest.push(...userParts(block, `${param}.${i}`));
    }
  });
  const parts = [...attachments, ...rest];
  if (parts.length === 0) return toolMessages;
  return [...toolMessages, { role: "user", content: userContent(parts) }];
}

function assistantTurn(blocks: AnthropicBlockParam[], options: ConversationOptions): OpenAIAssistantMessage {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = [];
  for (const block of blocks) {
    if (block.type === "text") texts.push(block.text);
    else if (block.type === "thinking" && block.thinking !== "") reasoning.push(block.thinking);
    else if (block.type === "tool_use") {
      toolCalls.push({
        id: upstreamToolCallId(block.id),
        type: "function",
        function: {
          name: options.toolNames.toUpstream(block.name),
          arguments: JSON.stringify(block.input ?? {}),
        },
      });
    }
    // redacted_thinking is opaque to anyone but Anthropic; server-tool blocks have no
    // OpenAI counterpart. Both are left out.
  }
  const text = texts.join("");
  const message: OpenAIAssistantMessage = {
    role: "assistant",
    // A tool-only turn says `null`, not "" (edge 14).
    content: text === "" && toolCalls.length > 0 ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (options.keepReasoning && reasoning.length > 0) message.reasoning_content = reasoning.join("\n\n");
  return message;
}

function translateOne(
  entry: AnthropicMessageParam,
  i: number,
  options: ConversationOptions,
): OpenAIMessage[] {
  const param = `messages.${i}`;
  if (typeof entry !== "object" || entry === null) {
    throw new InvalidRequestError({ message: `${param} must be an object with role and content`, param });
  }
  const content = entry.content as unknown;
  if (typeof content !== "string" && !Array.isArray(content)) {
    throw new InvalidRequestError({
      message: `${param}.content must be a string or an array of content blocks`,
      param: `${param}.content`,
    });
  }
  switch (entry.role) {
    case "system": {
      const text = systemText(entry.content, `${param}.content`);
      return text === "" ? [] : [{ role: "system", content: text }];
    }
    case "user":
      if (typeof content === "string") return [{ role: "user", content }];
      return userTurn(content as AnthropicBlockParam[], `${param}.content`);
    case "assistant":
      if (typeof content === "string") return [{ role: "assistant", content }];
      return [assistantTurn(content as AnthropicBlockParam[], options)];
    default:
      throw new InvalidRequestError({
        message: `${param}.role must be "user", "assistant" or "system", not ${JSON.stringify((entry as { role?: unknown }).role)}`,
        param: `${param}.role`,
      });
  }
}

/** The OpenAI `messages` for an Anthropic `system` and `messages`. */
export function translateConversation(
  system: string | TextBlockParam[] | undefined,
  messages: unknown,
  options: ConversationOptions,
): OpenAIMessage[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InvalidRequestError({ message: "messages must be a non-empty array", param: "messages" });
  }
  const out: OpenAIMessage[] = [];
  if (system !== undefined && system !== null) {
    const text = systemText(system, "system");
    if (text !== "") out.push({ role: "system", content: text });
  }
  messages.forEach((entry: AnthropicMessageParam, i) => {
    out.push(...translateOne(entry, i, options));
  });
  return out;
}
