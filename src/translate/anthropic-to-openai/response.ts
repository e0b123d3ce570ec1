// A whole OpenAI Chat Completion → an Anthropic Message. Reasoning text becomes a thinking
// block ahead of the text (with an empty signature: one is never invented), tool calls
// become tool_use blocks with their names mapped back, and usage moves cached tokens out
// of input_tokens.
import { UpstreamHttpError, UpstreamProtocolError } from "../../core/errors.js";
import type { AnthropicResponseContext } from "./context.js";
import { messageId, toolUseId } from "./message-id.js";
import { stopReason } from "./stop-reason.js";
import { toolInput } from "./tool-input.js";
import { anthropicTypeOfErrorObject, errorMessageOf } from "./upstream-error.js";
import { anthropicUsage, hasUsage } from "./usage.js";
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  OpenAIChatCompletion,
  OpenAIResponseMessage,
} from "./wire.js";

/** The upstream's reasoning text: `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter). */
export function reasoningText(source: {
  reasoning_content?: string | null;
  reasoning?: string | null;
}): string {
  if (typeof source.reasoning_content === "string" && source.reasoning_content !== "")
    return source.reasoning_content;
  return typeof source.reasoning === "string" ? source.reasoning : "";
}

function errorInBody(body: OpenAIChatCompletion): UpstreamHttpError {
  const code = (body.error as { code?: unknown } | null)?.code;
  const status = typeof code === "number" && code >= 400 && code < 600 ? code : 502;
  return new UpstreamHttpError({
    status,
    message: errorMessageOf(body) ?? "the upstream answered with an error",
    upstreamType: anthropicTypeOfErrorObject(body),
  });
}

function contentBlocks(message: OpenAIResponseMessage, ctx: AnthropicResponseContext, msgId: string) {
  const blocks: AnthropicContentBlock[] = [];
  const thinking = reasoningText(message);
  if (thinking !== "") blocks.push({ type: "thinking", thinking, signature: "" });
  if (typeof message.content === "string" && message.content !== "") {
    blocks.push({ type: "text", text: message.content });
  }
  if (typeof message.refusal === "string" && message.refusal !== "") {
    blocks.push({ type: "text", text: message.refusal });
  }
  const calls = [...(message.tool_calls ?? [])];
  if (message.function_call) calls.push({ function: message.function_call });
  calls.forEach((call, i) => {
    blocks.push({
      type: "tool_use",
      id: toolUseId(call.id, msgId, i),
      name: ctx.toolNames.toClient(call.function?.name ?? ""),
      input: toolInput(call.function?.arguments),
    });
  });
  return { blocks, sawToolCalls: calls.length > 0 };
}

/** Translates a non-streaming upstream response into the Anthropic Message the client expects. */
export function translateResponse(
  body: OpenAIChatCompletion,
  ctx: AnthropicResponseContext,
): AnthropicMessage {
  if (typeof body !== "object" || body === null) {
    throw new UpstreamProtocolError({ message: "the upstream response is not a JSON object" });
  }
  const choice = body.choices?.[0];
  if (!choice) {
    if (body.error !== undefined && body.error !== null) throw errorInBody(body);
    throw new UpstreamProtocolError({ message: "the upstream response has no choices" });
  }
  const message = choice.message ?? {};
  const id = messageId(body.id);
  const { blocks, sawToolCalls } = contentBlocks(message, ctx, id);
  const usage = hasUsage(body.usage)
    ? anthropicUsage(body.usage)
    : {
        input_tokens: ctx.inputTokensEstimate ?? 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      };
  return {
    id,
    type: "message",
    role: "assistant",
    model: ctx.clientModel,
    content: blocks,
    stop_reason: stopReason({
      finishReason: choice.finish_reason,
      sawToolCalls,
      sawRefusal: typeof message.refusal === "string" && message.refusal !== "",
    }),
    stop_sequence: null,
    usage,
  };
}
