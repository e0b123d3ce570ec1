// The wire shapes this direction reads and writes: Responses types from src/schemas/responses/
// (with the widenings both Responses directions share; the refusal types straight from the SDK,
// type-only), Chat Completions types from the Anthropic→OpenAI direction.
import type {
  ResponseOutputRefusal,
  ResponseRefusalDeltaEvent,
  ResponseRefusalDoneEvent,
} from "openai/resources/responses/responses";
import type {
  ResponseCompletedEvent,
  ResponseContentPartAddedEvent,
  ResponseContentPartDoneEvent,
  ResponseCreatedEvent,
  ResponseCreateParams,
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
  ResponsesOutputItem,
  ResponseTextDeltaEvent,
  ResponseTextDoneEvent,
  ResponseUsage,
  WithResponsesBody,
} from "../../schemas/responses/wire.js";
import type { OpenAIUsage } from "../anthropic-to-openai/wire.js";

export type {
  ResponsesBody,
  ResponsesError,
  ResponsesErrorEvent,
  ResponsesOutputItem,
} from "../../schemas/responses/wire.js";
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

/** A content part of an output message. */
export type ResponsesOutputPart = ResponseOutputText | ResponseOutputRefusal;

type WithItem<Event> = Omit<Event, "item"> & { item: ResponsesOutputItem };

/** One event of the Responses stream this direction emits. */
export type ResponsesStreamEvent =
  | WithResponsesBody<ResponseCreatedEvent>
  | WithResponsesBody<ResponseInProgressEvent>
  | WithResponsesBody<ResponseCompletedEvent>
  | WithResponsesBody<ResponseIncompleteEvent>
  | WithResponsesBody<ResponseFailedEvent>
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
