// The wire shapes this direction reads and writes. Responses types come from the SDK (via
// src/schemas/responses; the custom tool call's straight from it); where Parley says more than
// they allow (an error code outside the SDK's enum, the error event's nested `error`) they widen here.
import type {
  MessageCreateParamsBase,
  MessageParam,
  TextBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import type {
  ResponseCustomToolCall,
  ResponseCustomToolCallInputDeltaEvent,
  ResponseCustomToolCallInputDoneEvent,
} from "openai/resources/responses/responses";
import type {
  Response,
  ResponseCompletedEvent,
  ResponseContentPartAddedEvent,
  ResponseContentPartDoneEvent,
  ResponseCreatedEvent,
  ResponseErrorEvent,
  ResponseFailedEvent,
  ResponseFunctionCallArgumentsDeltaEvent,
  ResponseFunctionCallArgumentsDoneEvent,
  ResponseFunctionToolCall,
  ResponseIncompleteEvent,
  ResponseInProgressEvent,
  ResponseOutputItemAddedEvent,
  ResponseOutputItemDoneEvent,
  ResponseOutputMessage,
  ResponseOutputText,
  ResponseReasoningItem,
  ResponseReasoningSummaryPartAddedEvent,
  ResponseReasoningSummaryPartDoneEvent,
  ResponseReasoningSummaryTextDeltaEvent,
  ResponseReasoningSummaryTextDoneEvent,
  ResponseTextDeltaEvent,
  ResponseTextDoneEvent,
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

/**
 * Why a response failed. The SDK types `code` as an enum, but OpenAI itself sends codes
 * outside it (`context_length_exceeded`), which Codex reads to decide what to do next.
 */
export interface ResponsesFailure {
  code: string;
  message: string;
}

/**
 * A Responses body as it goes on the wire. `output_text` is left out: the SDK computes it
 * on the client from `output`; the API never sends it.
 */
export type ResponsesBody = Omit<Response, "output_text" | "error"> & { error: ResponsesFailure | null };

/** The output items this direction produces. */
export type ResponsesOutputItem =
  | ResponseOutputMessage
  | ResponseFunctionToolCall
  | ResponseCustomToolCall
  | ResponseReasoningItem;

/** A call of a `custom` (free-form input) tool. */
export type ResponsesCustomToolCall = ResponseCustomToolCall;

/** One `output_text` part of a message item. */
export type ResponsesOutputText = ResponseOutputText;

type WithBody<E> = Omit<E, "response"> & { response: ResponsesBody };

/**
 * The `error` stream event: the documented top-level fields, and the nested `error`
 * object the live API sends, which is what makes the openai SDK's stream reader throw.
 */
export type ResponsesErrorEvent = ResponseErrorEvent & {
  error: { type: string; code: string; message: string; param: string | null };
};

/** Every event this direction streams to the client. */
export type ResponsesStreamEvent =
  | WithBody<ResponseCreatedEvent>
  | WithBody<ResponseInProgressEvent>
  | WithBody<ResponseCompletedEvent>
  | WithBody<ResponseIncompleteEvent>
  | WithBody<ResponseFailedEvent>
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
