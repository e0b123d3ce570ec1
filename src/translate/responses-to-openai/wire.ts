// The wire shapes this direction reads and writes: Responses types from src/schemas/responses/
// (with the widenings both Responses directions share; the refusal types straight from the SDK,
// type-only), Chat Completions types from the Anthropic→OpenAI direction.
import type {
  ResponseOutputRefusal,
  ResponseRefusalDeltaEvent,
  ResponseRefusalDoneEvent,
} from "openai/resources/responses/responses";
import type {
  ResponseCreateParams,
  ResponseOutputText,
  ResponsesCommonStreamEvent,
  ResponseUsage,
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

/** One event of the Responses stream this direction emits: the common set and refusals. */
export type ResponsesStreamEvent =
  | ResponsesCommonStreamEvent
  | ResponseRefusalDeltaEvent
  | ResponseRefusalDoneEvent;

/** Chat usage with the details OpenAI adds (reasoning tokens) besides those the Anthropic direction reads. */
export type ChatUsage = OpenAIUsage & {
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
};

/** Token usage of a response. */
export type ResponsesUsage = ResponseUsage;
