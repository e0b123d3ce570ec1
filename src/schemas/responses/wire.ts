// The OpenAI Responses wire shapes (`POST /v1/responses`) under the SDK's own names, named
// once for both Responses translators, and the few places both widen them to what the API
// really sends. Types only: no SDK code loads here.
import type {
  Response,
  ResponseCompletedEvent,
  ResponseContentPartAddedEvent,
  ResponseContentPartDoneEvent,
  ResponseCreatedEvent,
  ResponseCustomToolCall,
  ResponseCustomToolCallInputDeltaEvent,
  ResponseCustomToolCallInputDoneEvent,
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
  ResponseReasoningItem,
  ResponseReasoningSummaryPartAddedEvent,
  ResponseReasoningSummaryPartDoneEvent,
  ResponseReasoningSummaryTextDeltaEvent,
  ResponseReasoningSummaryTextDoneEvent,
  ResponseTextDeltaEvent,
  ResponseTextDoneEvent,
} from "openai/resources/responses/responses";

export type {
  EasyInputMessage,
  FunctionTool,
  NamespaceTool,
  Response,
  ResponseCompletedEvent,
  ResponseContentPartAddedEvent,
  ResponseContentPartDoneEvent,
  ResponseCreatedEvent,
  ResponseCreateParams,
  ResponseCustomToolCall,
  ResponseCustomToolCallInputDeltaEvent,
  ResponseCustomToolCallInputDoneEvent,
  ResponseError,
  ResponseErrorEvent,
  ResponseFailedEvent,
  ResponseFunctionCallArgumentsDeltaEvent,
  ResponseFunctionCallArgumentsDoneEvent,
  ResponseFunctionToolCall,
  ResponseIncompleteEvent,
  ResponseInProgressEvent,
  ResponseInputContent,
  ResponseInputImage,
  ResponseInputItem,
  ResponseInputText,
  ResponseOutputItem,
  ResponseOutputItemAddedEvent,
  ResponseOutputItemDoneEvent,
  ResponseOutputMessage,
  ResponseOutputText,
  ResponseReasoningItem,
  ResponseReasoningSummaryPartAddedEvent,
  ResponseReasoningSummaryPartDoneEvent,
  ResponseReasoningSummaryTextDeltaEvent,
  ResponseReasoningSummaryTextDoneEvent,
  ResponseStatus,
  ResponseStreamEvent,
  ResponseTextDeltaEvent,
  ResponseTextDoneEvent,
  ResponseUsage,
  Tool,
} from "openai/resources/responses/responses";

/**
 * Why a response failed. The SDK types `code` as an enum, but OpenAI itself sends codes
 * outside it (`context_length_exceeded`), which Codex reads to decide what to do next.
 */
export interface ResponsesError {
  code: string;
  message: string;
}

/**
 * A Responses body as it goes on the wire. `output_text` is left out: the SDK computes it
 * on the client from `output`; the API never sends it.
 */
export type ResponsesBody = Omit<Response, "output_text" | "error"> & { error: ResponsesError | null };

/** The output items both translators produce. */
export type ResponsesOutputItem =
  | ResponseOutputMessage
  | ResponseFunctionToolCall
  | ResponseCustomToolCall
  | ResponseReasoningItem;

type WithBody<Event> = Omit<Event, "response"> & { response: ResponsesBody };
type WithItem<Event> = Omit<Event, "item"> & { item: ResponsesOutputItem };

/**
 * The `error` stream event: the documented top-level fields, and the nested `error` object
 * the live API sends, which is what makes the openai SDK's stream reader throw.
 */
export type ResponsesErrorEvent = ResponseErrorEvent & {
  error: { type: string; code: string | null; message: string; param: string | null };
};

/**
 * The stream events both translators emit: the response's lifecycle, its items' events and
 * `error`. Only the Chat direction adds refusal events (Anthropic sends no refusal text).
 */
export type ResponsesCommonStreamEvent =
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
  | ResponseFunctionCallArgumentsDeltaEvent
  | ResponseFunctionCallArgumentsDoneEvent
  | ResponseCustomToolCallInputDeltaEvent
  | ResponseCustomToolCallInputDoneEvent
  | ResponseReasoningSummaryPartAddedEvent
  | ResponseReasoningSummaryPartDoneEvent
  | ResponseReasoningSummaryTextDeltaEvent
  | ResponseReasoningSummaryTextDoneEvent
  | ResponsesErrorEvent;
