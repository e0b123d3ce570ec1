// The wire shapes this direction reads and writes. The client's request and the request
// sent upstream come from the official SDKs (type-only imports); what an upstream sends
// back is typed loosely, since OpenAI-compatible servers differ in what they include.
import type {
  ContentBlockParam,
  MessageCreateParamsBase,
  MessageParam,
  StopReason,
} from "@anthropic-ai/sdk/resources/messages";
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";

/**
 * The Anthropic Messages request a client sends. The sampling fields are still accepted
 * by the live API for models that support them, although the SDK types lag behind.
 */
export type AnthropicRequest = MessageCreateParamsBase & {
  temperature?: number;
  top_p?: number;
  top_k?: number;
};

/** One entry of an Anthropic request's `messages` (user, assistant or mid-conversation system). */
export type AnthropicMessageParam = MessageParam;

/** One content block of an Anthropic turn. */
export type AnthropicBlockParam = ContentBlockParam;

/** An assistant message as DeepSeek, vLLM and others accept it: with the turn's reasoning. */
export type OpenAIAssistantMessage = ChatCompletionAssistantMessageParam & { reasoning_content?: string };

/** One entry of the upstream request's `messages`. */
export type OpenAIMessage = ChatCompletionMessageParam | OpenAIAssistantMessage;

/** One content part of an upstream user message. */
export type OpenAIContentPart = ChatCompletionContentPart;

/** The Chat Completions request Parley sends upstream. */
export type OpenAIChatRequest = Omit<ChatCompletionCreateParamsBase, "messages"> & {
  messages: OpenAIMessage[];
};

/** Token counts as OpenAI-compatible upstreams report them (DeepSeek adds its cache counters). */
export interface OpenAIUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
  prompt_cache_hit_tokens?: number | null;
}

/** One tool call of a complete assistant message. */
export interface OpenAIToolCall {
  id?: string | null;
  type?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

/** A complete assistant message; `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter). */
export interface OpenAIResponseMessage {
  role?: string | null;
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: OpenAIToolCall[] | null;
  function_call?: { name?: string | null; arguments?: string | null } | null;
}

/** A non-streaming Chat Completions response, or the error some upstreams send with a 200. */
export interface OpenAIChatCompletion {
  id?: string | null;
  object?: string | null;
  model?: string | null;
  choices?: Array<{
    index?: number;
    message?: OpenAIResponseMessage | null;
    finish_reason?: string | null;
  }> | null;
  usage?: OpenAIUsage | null;
  error?: unknown;
}

/** One fragment of a streamed tool call. */
export interface OpenAIToolCallDelta {
  index?: number | null;
  id?: string | null;
  type?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

/** The `delta` of a streamed choice. */
export interface OpenAIChunkDelta {
  role?: string | null;
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: OpenAIToolCallDelta[] | null;
  function_call?: { name?: string | null; arguments?: string | null } | null;
}

/** One parsed `chat.completion.chunk`, or an error object sent inside a 200 stream. */
export interface OpenAIChunk {
  id?: string | null;
  object?: string | null;
  model?: string | null;
  choices?: Array<{ index?: number; delta?: OpenAIChunkDelta | null; finish_reason?: string | null }> | null;
  usage?: OpenAIUsage | null;
  error?: unknown;
}

/** The Anthropic stop reasons Parley emits (a subset of the SDK's `StopReason`). */
export type AnthropicStopReason = Extract<StopReason, "end_turn" | "max_tokens" | "tool_use" | "refusal">;

/** Usage of an Anthropic message. */
export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
  [extra: string]: unknown;
}

/** A text block of a response. */
export interface AnthropicTextBlock {
  type: "text";
  text: string;
  citations?: unknown[] | null;
}

/** A thinking block; `signature` is empty when the upstream gave none (never invented). */
export interface AnthropicThinkingBlock {
  type: "thinking";
  thinking: string;
  signature: string;
}

/** A tool call of a response. */
export interface AnthropicToolUseBlock {
  type: "tool_use";
  id: string;
  name: string;
  input: unknown;
}

/** Any other block an Anthropic upstream may answer with (redacted thinking, server tools…). */
export interface AnthropicOtherBlock {
  type: "redacted_thinking" | "server_tool_use" | "web_search_tool_result" | (string & {});
  [field: string]: unknown;
}

/** One content block of an Anthropic response. */
export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicThinkingBlock
  | AnthropicToolUseBlock
  | AnthropicOtherBlock;

/** An Anthropic Messages response body. */
export interface AnthropicMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
  [extra: string]: unknown;
}

/** The usage a `message_delta` carries: cumulative totals for the whole message. */
export interface AnthropicDeltaUsage {
  input_tokens: number | null;
  output_tokens: number;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
  server_tool_use?: unknown;
}

/** The delta of a `content_block_delta` event. */
export type AnthropicBlockDelta =
  | { type: "text_delta"; text: string }
  | { type: "thinking_delta"; thinking: string }
  | { type: "signature_delta"; signature: string }
  | { type: "input_json_delta"; partial_json: string }
  | { type: "citations_delta"; citation: unknown };

/** One event of an Anthropic stream, including the error and ping events. */
export type AnthropicStreamEvent =
  | { type: "message_start"; message: AnthropicMessage }
  | { type: "content_block_start"; index: number; content_block: AnthropicContentBlock }
  | { type: "content_block_delta"; index: number; delta: AnthropicBlockDelta }
  | { type: "content_block_stop"; index: number }
  | {
      type: "message_delta";
      delta: { stop_reason: StopReason | null; stop_sequence: string | null; [extra: string]: unknown };
      usage: AnthropicDeltaUsage;
    }
  | { type: "message_stop" }
  | { type: "ping" }
  | { type: "error"; error: { type: string; message: string } };
