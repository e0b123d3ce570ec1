// The output items of a Responses body, built the same way by the response and stream
// translators: a message item holds a run of text blocks, a reasoning item one thinking
// block's text as its summary, a function_call item one tool_use block.
import type {
  ResponseFunctionToolCall,
  ResponseOutputMessage,
  ResponseReasoningItem,
} from "../../schemas/responses/wire.js";
import type { ClientToolName } from "./tool-names.js";
import type { ResponsesOutputText } from "./wire.js";

/** An output_text part. Annotations are not translated: Anthropic citations carry no offsets. */
export function outputText(text: string): ResponsesOutputText {
  return { type: "output_text", text, annotations: [] };
}

/** An assistant message item. */
export function messageItem(
  id: string,
  content: ResponsesOutputText[],
  status: ResponseOutputMessage["status"],
): ResponseOutputMessage {
  return { id, type: "message", status, role: "assistant", content };
}

/**
 * A reasoning item whose summary is the thinking text. No encrypted_content: an Anthropic
 * signature is not OpenAI's encrypted reasoning, and would be refused if echoed to OpenAI.
 */
export function reasoningItem(id: string, thinking: string): ResponseReasoningItem {
  return {
    id,
    type: "reasoning",
    summary: thinking === "" ? [] : [{ type: "summary_text", text: thinking }],
  };
}

/** What a function_call item is made from. */
export interface FunctionCallParts {
  id: string;
  /** The tool_use id, which the client echoes back in function_call_output. */
  callId: string;
  /** The tool as the client declared it: a namespaced function keeps its own name and its namespace. */
  tool: ClientToolName;
  arguments: string;
  status: NonNullable<ResponseFunctionToolCall["status"]>;
}

/** A function_call item. */
export function functionCallItem(parts: FunctionCallParts): ResponseFunctionToolCall {
  return {
    id: parts.id,
    type: "function_call",
    status: parts.status,
    call_id: parts.callId,
    name: parts.tool.name,
    ...(parts.tool.namespace ? { namespace: parts.tool.namespace } : {}),
    arguments: parts.arguments,
  };
}
