// The wire shapes this direction reads and writes. Responses types come from
// src/schemas/responses, with the widenings both Responses directions share (an error code
// outside the SDK's enum, the error event's nested `error`) and the events both stream.
import type {
  MessageCreateParamsBase,
  MessageParam,
  TextBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import type {
  ResponseCustomToolCall,
  ResponseOutputText,
  ResponsesCommonStreamEvent,
} from "../../schemas/responses/wire.js";

export type {
  ResponsesBody,
  ResponsesError,
  ResponsesErrorEvent,
  ResponsesOutputItem,
} from "../../schemas/responses/wire.js";

/**
 * The Anthropic Messages request Parley sends. `temperature` and `top_p` are still
 * accepted by the Messages API for the models that support sampling settings.
 */
export type AnthropicRequest = MessageCreateParamsBase & { temperature?: number; top_p?: number };

/** One turn of the Anthropic conversation. */
export type AnthropicMessage = MessageParam;

/** A text block (the only block Anthropic's `system` takes). */
export type AnthropicTextBlock = TextBlockParam;

/** A call of a `custom` (free-form input) tool. */
export type ResponsesCustomToolCall = ResponseCustomToolCall;

/** One `output_text` part of a message item. */
export type ResponsesOutputText = ResponseOutputText;

/** Every event this direction streams to the client: the common set (no refusal events). */
export type ResponsesStreamEvent = ResponsesCommonStreamEvent;
