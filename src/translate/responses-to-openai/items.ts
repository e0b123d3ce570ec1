// The output items of a Response, built the same way for a whole answer and for a stream,
// so the SDK's accumulation of a stream equals the non-streaming body of the same answer.
import type { ResponseOutputMessage, ResponseReasoningItem } from "../../schemas/responses/wire.js";
import type { CallIds } from "./ids.js";
import type { ClientToolName } from "./tool-names.js";
import type { ResponsesOutputItem, ResponsesOutputPart } from "./wire.js";

/** The status of an item: done, cut short with the response, or still streaming. */
export type ItemStatus = "completed" | "incomplete" | "in_progress";

/** An `output_text` content part. */
export function outputTextPart(text: string): ResponsesOutputPart {
  return { type: "output_text", annotations: [], logprobs: [], text };
}

/** A `refusal` content part. */
export function refusalPart(refusal: string): ResponsesOutputPart {
  return { type: "refusal", refusal };
}

/** An assistant message item. */
export function messageItem(
  id: string,
  parts: ResponsesOutputPart[],
  status: ItemStatus,
): ResponseOutputMessage {
  return { id, type: "message", status, content: parts, role: "assistant" };
}

/** A reasoning item whose summary is the upstream's reasoning text (no encrypted content is invented). */
export function reasoningItem(id: string, text: string): ResponseReasoningItem {
  return { id, type: "reasoning", summary: text === "" ? [] : [{ type: "summary_text", text }] };
}

/** The input of a custom tool call, out of the `{input}` object its function form takes. */
export function customInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      "input" in parsed &&
      typeof parsed.input === "string"
    ) {
      return parsed.input;
    }
  } catch {
    // Not JSON: the upstream wrote the input itself, which is what the tool wants anyway.
  }
  return args;
}

/** A function or custom tool call item, named as the client declared it (with its namespace). */
export function callItem(
  ids: CallIds,
  tool: ClientToolName,
  args: string,
  status: ItemStatus,
): ResponsesOutputItem {
  const namespace = tool.namespace ? { namespace: tool.namespace } : {};
  if (tool.kind === "custom") {
    return {
      id: ids.id,
      type: "custom_tool_call",
      call_id: ids.callId,
      input: args,
      name: tool.name,
      ...namespace,
    };
  }
  return {
    id: ids.id,
    type: "function_call",
    status,
    arguments: args,
    call_id: ids.callId,
    name: tool.name,
    ...namespace,
  };
}

/** Marks the last item `incomplete`: it is the one a token limit or filter cut off. */
export function markLastIncomplete(output: ResponsesOutputItem[]): void {
  const last = output.at(-1);
  if (last && last.type !== "custom_tool_call" && "status" in last) last.status = "incomplete";
}
