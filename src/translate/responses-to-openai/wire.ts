// The wire shapes this direction reads and writes: Responses types from src/schemas/responses/
// (a few more from the SDK, type-only), Chat Completions types from the Anthropic→OpenAI direction.
import type {
  ResponseCustomToolCall,
  ResponseCustomToolCallInputDeltaEvent,
  ResponseCustomToolCallInputDoneEvent,
  ResponseOutputRefusal,
  ResponseRefusalDeltaEvent,
  ResponseRefusalDoneEvent,
} from "openai/resources/responses/responses";
import type {
  Response,
  ResponseCompletedEvent,
  ResponseContentPartAddedEvent,
  ResponseContentPartDoneEvent,
  ResponseCreatedEvent,
  ResponseCreateParams,
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
  ResponseUsage,
} from "../../schemas/responses/wire.js";
import type { OpenAIUsage } from "../anthropic-to-openai/wire.js";

export type {
  OpenAIAssistantMessage,
  OpenAIChatCompletion,
  OpenAIChatRequest,
  OpenAIChunk,
  OpenAIChunkDelta,
  OpenAIContentPart,
  OpenAIMessage,
  OpenAIResponseMessage,
  OpenAIToolCallDelta,
} from "../anthropic-to-openai/wire.js";

/** The Responses request a client sends (`POST /v1/responses`). */
export type ResponsesRequest = ResponseCreateParams;

/** The error of a failed response. Upstream codes (`context_length_exceeded`…) are kept, so any string. */
export interface ResponsesError {
  code: string;
  message: string;
}

/**
 * A Responses body as the wire carries it. `output_text` is left out: the SDK computes it on
 * arrival and the API never sends it.
 */
export type ResponsesBody = Omit<Response, "output_text" | "error"> & { error: ResponsesError | null };

/** One output item this direction produces. */
export type ResponsesOutputItem =
  | ResponseOutputMessage
  | ResponseReasoningItem
  | ResponseFunctionToolCall
  | ResponseCustomToolCall;

/** A content part of an output message. */
export type ResponsesOutputPart = ResponseOutputText | ResponseOutputRefusal;

type WithBody<Event> = Omit<Event, "response"> & { response: ResponsesBody };
type WithItem<Event> = Omit<Event, "item"> & { item: ResponsesOutputItem };

/**
 * The `error` event as the API really sends it: the SDK's flat `code`/`message`/`param` and the
 * nested `error` object, which is what makes the SDK's stream reader raise.
 */
export type ResponsesErrorEvent = ResponseErrorEvent & {
  error: { type: string; code: string | null; message: string; param: string | null };
};

/** One event of the Responses stream this direction emits. */
export type ResponsesStreamEvent =
  | WithBody<ResponseCreatedEvent>
  | WithBody<ResponseInProgressEvent>
  | WithBody<ResponseCompletedEvent>
  | WithBody<ResponseIncompleteEvent>
  | WithBody<ResponseFailedEvent>
  | WithItem<ResponseOutputItemAddedEvent>
  | WithItem<ResponseOutputItemDoneEvent>
  | ResponseContentPartAddedEvent
  | ResponseContentPartDoneEvent
  | ResponseTextDeltaEvent
  | ResponseTextDoneEvent
  | ResponseRefusalDeltaEvent
  | ResponseRefusalDoneEvent
  | ResponseFunctionCallArgumentsDeltaEvent
  | ResponseFunctionCallArgumentsDoneEvent
  | ResponseCustomToolCallInputDeltaEvent
  | ResponseCustomToolCallInputDoneEvent
  | ResponseReasoningSummaryPartAddedEvent
  | ResponseReasoningSummaryPartDoneEvent
  | ResponseReasoningSummaryTextDeltaEvent
  | ResponseReasoningSummaryTextDoneEvent
  | ResponsesErrorEvent;

/** Chat usage with the details OpenAI adds (reasoning tokens) besides those the Anthropic direction reads. */
export type ChatUsage = OpenAIUsage & {
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
};

/** Token usage of a response. */
export type ResponsesUsage = ResponseUsage;
