// Anthropic Message → OpenAI ChatCompletion. Text blocks join into `content`, tool_use
// blocks become `tool_calls`, and thinking text is exposed as `reasoning_content` (the
// non-standard field DeepSeek and vLLM use), since OpenAI has no place for it.
import type { ContentBlock, Message } from "@anthropic-ai/sdk/resources/messages";
import type {
  ChatCompletion,
  ChatCompletionMessageFunctionToolCall,
} from "openai/resources/chat/completions";
import type { ToolNameMap } from "../tool-identity.js";
import type { TranslateContext } from "../types.js";
import { completionId, completionUsage, finishReason } from "./completion-fields.js";

/** What the response translators need to know about the request. */
export interface OpenAIResponseContext extends TranslateContext {
  /** The client asked for `stream_options.include_usage`. */
  includeUsage: boolean;
  /** Tool names as sent upstream, mapped back to the client's (optional: names pass unchanged without it). */
  toolNames?: ToolNameMap;
}

/** Translates a complete Anthropic response body. Never modifies `body`. */
export function translateResponse(body: Message, ctx: OpenAIResponseContext): ChatCompletion {
  const blocks: ContentBlock[] = Array.isArray(body.content) ? body.content : [];
  const texts = blocks.flatMap((b) => (b.type === "text" ? [b.text] : []));
  const thinking = blocks.flatMap((b) => (b.type === "thinking" ? [b.thinking] : []));
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = blocks.flatMap((b) =>
    b.type === "tool_use"
      ? [
          {
            id: b.id,
            type: "function" as const,
            function: {
              name: ctx.toolNames?.toClient(b.name) ?? b.name,
              arguments: JSON.stringify(b.input ?? {}),
            },
          },
        ]
      : [],
  );
  const message: ChatCompletion.Choice["message"] & { reasoning_content?: string } = {
    role: "assistant",
    content: texts.length > 0 ? texts.join("") : null,
    ...(thinking.length > 0 ? { reasoning_content: thinking.join("") } : {}),
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    refusal: null,
  };
  return {
    id: completionId(body.id),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: ctx.clientModel,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: finishReason(body.stop_reason, toolCalls.length > 0),
      },
    ],
    usage: completionUsage(body.usage),
  };
}
