// The wire shapes this direction reads and writes, named once so every file of the
// translator agrees on them. They come from the official SDKs (type-only imports); where
// the SDK lags the live API (sampling parameters) the gap is filled here.
import type {
  ContentBlockParam,
  MessageCreateParamsBase,
  MessageParam,
  TextBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";

/** The OpenAI Chat Completions request a client sends. */
export type OpenAIChatRequest = ChatCompletionCreateParams;

/** One entry of an OpenAI request's `messages`. */
export type OpenAIMessage = ChatCompletionMessageParam;

/** One content part of an OpenAI user message. */
export type OpenAIContentPart = ChatCompletionContentPart;

/**
 * The Anthropic Messages request Parley sends. `temperature` and `top_p` are still
 * accepted by the Messages API for the models that support sampling settings.
 */
export type AnthropicRequest = MessageCreateParamsBase & { temperature?: number; top_p?: number };

/** One turn of an Anthropic conversation (user or assistant). */
export type AnthropicMessage = MessageParam;

/** One content block of an Anthropic turn. */
export type AnthropicBlock = ContentBlockParam;

/** A text block (the only block Anthropic's `system` takes). */
export type AnthropicTextBlock = TextBlockParam;
