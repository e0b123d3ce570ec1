// The wire shapes this direction reads and writes. Responses types come from
// src/schemas/responses, with the widenings both Responses directions share (an error code
// outside the SDK's enum, the error event's nested `error`); the event set it streams is its own.
import type {
  MessageCreateParamsBase,
  MessageParam,
  TextBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import type {
  ResponseCompletedEvent,
  ResponseContentPartAddedEvent,
  ResponseContentPartDoneEvent,
  ResponseCreatedEvent,
  ResponseCustomToolCall,
  ResponseCustomToolCallInputDeltaEvent,
  ResponseCustomToolCallInputDoneEvent,
  ResponseFailedEvent,
  ResponseFunctionCallArgumentsDeltaEvent,
  ResponseFunctionCallArgumentsDoneEvent,
  ResponseIncompleteEvent,
  ResponseInProgressEvent,
  ResponseOutputItemAddedEvent,
  ResponseOutputItemDoneEvent,
  ResponseOutputText,
  ResponseReasoningSummaryPartAddedEvent,
  ResponseReasoningSummaryPartDoneEvent,
  ResponseReasoningSummaryTextDeltaEvent,
  ResponseReasoningSummaryTextDoneEvent,
  ResponsesErrorEvent,
  ResponseTextDeltaEvent,
  ResponseTextDoneEvent,
  WithResponsesBody,
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

/** Every event this direction streams to the client. */
export type ResponsesStreamEvent =
  | WithResponsesBody<ResponseCreatedEvent>
  | WithResponsesBody<ResponseInProgressEvent>
  | WithResponsesBody<ResponseCompletedEvent>
  | WithResponsesBody<ResponseIncompleteEvent>
  | WithResponsesBody<ResponseFailedEvent>
  | ResponseOutputItemAddedEvent
  | ResponseOutputItemDoneEvent
  | ResponseContentPartAddedEvent
  | ResponseContentPartDoneEvent
  | ResponseTextDeltaEvent
  | ResponseTextDoneEvent
  | ResponseFunctionCallArgumentsDeltaEvent
  | ResponseFunctionCallArgumentsDoneEvent
  | ResponseCustomToolCallInputDeltaEvent
  | ResponseCustomToolCallInputDoneEvent
  | ResponseReasoningSummaryPartAddedEvent
  | ResponseReasoningSummaryPartDoneEvent
  | ResponseReasoningSummaryTextDeltaEvent
  | ResponseReasoningSummaryTextDoneEvent
  | ResponsesErrorEvent;
