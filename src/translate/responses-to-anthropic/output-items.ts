// The output items of a Responses body, built the same way by the response and stream
// translators: a message item holds a run of text blocks, a reasoning item one thinking
// block's text as its summary, a function_call or custom_tool_call item one tool_use block.
import type {
  ResponseFunctionToolCall,
  ResponseOutputMessage,
  ResponseReasoningItem,
} from "../../schemas/responses/wire.js";
import type { ClientToolName } from "./tool-names.js";
import type { ResponsesCustomToolCall, ResponsesOutputText } from "./wire.js";

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

/** What a custom_tool_call item is made from. */
export interface CustomToolCallParts {
  id: string;
  /** The tool_use id, which the client echoes back in custom_tool_call_output. */
  callId: string;
  tool: ClientToolName;
  /** The free-form input: the `input` string out of the tool_use block's input. */
  input: string;
}

/** A custom_tool_call item. It has no status: OpenAI's carries none either. */
export function customToolCallItem(parts: CustomToolCallParts): ResponsesCustomToolCall {
  return {
    id: parts.id,
    type: "custom_tool_call",
    call_id: parts.callId,
    name: parts.tool.name,
    ...(parts.tool.namespace ? { namespace: parts.tool.namespace } : {}),
    input: parts.input,
  };
}

/**
 * The free-form input out of a custom tool's tool_use input, `{"input": "…"}`. A model that
 * wrote other fields gets them back as JSON, so the tool's own error tells it what went wrong.
 */
export function customInputOf(toolInput: unknown): string {
  if (typeof toolInput !== "object" || toolInput === null) return "";
  const fields = toolInput as Record<string, unknown>;
  if (typeof fields.input === "string") return fields.input;
  return Object.keys(fields).length === 0 ? "" : JSON.stringify(fields);
}

/** The same, from the tool_use input's JSON as it streamed (partial_json fragments joined). */
export function customInputOfJson(json: string): string {
  if (json.trim() === "") return "";
  try {
    return customInputOf(JSON.parse(json));
  } catch {
    // Not whole JSON (a call cut off by max_tokens): passed on as it came, for the tool to refuse.
    return json;
  }
}
