// Anthropic `tool_result` blocks → OpenAI `tool` messages. A tool message holds text
// only, so images and PDFs of a result travel in a user message right after the tool
// messages (edge 6), and `is_error`, which has no OpenAI field, becomes an "Error: "
// prefix the model still sees (edge 8).

import type { ToolResultBlockParam } from "@anthropic-ai/sdk/resources/messages";
import type { ChatCompletionToolMessageParam } from "openai/resources/chat/completions";
import { documentParts, imagePart, searchResultText } from "./content-parts.js";
import { upstreamToolCallId } from "./tool-call-id.js";
import type { OpenAIContentPart } from "./wire.js";

/** A tool result as a tool message, plus the parts that must follow in a user message. */
export interface TranslatedToolResult {
  message: ChatCompletionToolMessageParam;
  attachments: OpenAIContentPart[];
}

const ATTACHMENT_NOTE = "[the images or files of this tool result follow in the next user message]";

/** Translates one `tool_result` block; `param` names it for error messages. */
export function translateToolResult(block: ToolResultBlockParam, param: string): TranslatedToolResult {
  const texts: string[] = [];
  const attachments: OpenAIContentPart[] = [];
  const content = block.content ?? [];
  if (typeof content === "string") texts.push(content);
  else {
    content.forEach((inner, i) => {
      const innerParam = `${param}.content.${i}`;
      switch (inner.type) {
        case "text":
          texts.push(inner.text);
          break;
        case "image":
          attachments.push(imagePart(inner, innerParam));
          break;
        case "document":
          for (const part of documentParts(inner, innerParam)) {
            if (part.type === "text") texts.push(part.text);
            else attachments.push(part);
          }
          break;
        case "search_result":
          texts.push(searchResultText(inner));
          break;
        case "tool_reference":
          texts.push(`[tool reference: ${inner.tool_name}]`);
          break;
        default:
          break;
      }
    });
  }
  let text = texts.filter((t) => t !== "").join("\n\n");
  if (block.is_error) text = text === "" ? "Error" : `Error: ${text}`;
  if (attachments.length > 0) text = text === "" ? ATTACHMENT_NOTE : `${text}\n\n${ATTACHMENT_NOTE}`;
  return {
    message: { role: "tool", tool_call_id: upstreamToolCallId(block.tool_use_id), content: text },
    attachments,
  };
}
