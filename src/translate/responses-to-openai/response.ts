// A whole Chat Completion → a Response: reasoning text as a reasoning item's summary, text and
// refusal as a message item, tool calls as function_call items named as the client declared them.
import { UpstreamHttpError, UpstreamProtocolError } from "../../core/errors.js";
import { isRecord } from "../accumulate/json-record.js";
import { reasoningText } from "../anthropic-to-openai/response.js";
import { errorMessageOf } from "../anthropic-to-openai/upstream-error.js";
import type { ResponsesContext } from "./context.js";
import { responseBody } from "./envelope.js";
import { ResponseIds } from "./ids.js";
import {
  callItem,
  customInput,
  markLastIncomplete,
  messageItem,
  outputTextPart,
  reasoningItem,
  refusalPart,
} from "./items.js";
import { outcomeOf } from "./status.js";
import { hasUsage, responsesUsage } from "./usage.js";
import type {
  ChatUsage,
  OpenAIChatCompletion,
  OpenAIResponseMessage,
  ResponsesBody,
  ResponsesOutputItem,
  ResponsesOutputPart,
} from "./wire.js";

function errorInBody(body: OpenAIChatCompletion): UpstreamHttpError {
  const error = isRecord(body.error) ? body.error : {};
  const status = typeof error.code === "number" && error.code >= 400 && error.code < 600 ? error.code : 502;
  return new UpstreamHttpError({
    status,
    message: errorMessageOf(body) ?? "the upstream answered with an error",
    ...(typeof error.type === "string" ? { upstreamType: error.type } : {}),
  });
}

function outputOf(
  message: OpenAIResponseMessage,
  ctx: ResponsesContext,
  ids: ResponseIds,
): ResponsesOutputItem[] {
  const output: ResponsesOutputItem[] = [];
  const reasoning = reasoningText(message);
  if (reasoning.trim() !== "") output.push(reasoningItem(ids.item("rs"), reasoning));
  const parts: ResponsesOutputPart[] = [];
  if (typeof message.content === "string" && message.content.trim() !== "") {
    parts.push(outputTextPart(message.content));
  }
  if (typeof message.refusal === "string" && message.refusal.trim() !== "")
    parts.push(refusalPart(message.refusal));
  if (parts.length > 0) output.push(messageItem(ids.item("msg"), parts, "completed"));
  const calls = [...(message.tool_calls ?? [])];
  if (message.function_call) calls.push({ function: message.function_call });
  calls.forEach((call, ordinal) => {
    const tool = ctx.toolNames.toClient(call.function?.name ?? "");
    const args = call.function?.arguments ?? "";
    const kind = tool.kind ?? "function";
    const callIds = ids.call(call.id, ordinal, kind);
    const value = kind === "custom" ? customInput(args) : args.trim() === "" ? "{}" : args;
    output.push(callItem(callIds, tool, value, "completed"));
  });
  return output;
}

/** Translates a non-streaming upstream answer into the Response the client expects. */
export function translateResponse(body: OpenAIChatCompletion, ctx: ResponsesContext): ResponsesBody {
  if (!isRecord(body)) {
    throw new UpstreamProtocolError({ message: "the upstream response is not a JSON object" });
  }
  const choice = Array.isArray(body.choices) ? body.choices.find((c) => (c?.index ?? 0) === 0) : undefined;
  if (!choice) {
    if (body.error !== undefined && body.error !== null) throw errorInBody(body);
    throw new UpstreamProtocolError({ message: "the upstream response has no choices" });
  }
  const ids = new ResponseIds(body.id);
  const output = outputOf(choice.message ?? {}, ctx, ids);
  const outcome = outcomeOf(choice.finish_reason);
  if (outcome.status === "incomplete") markLastIncomplete(output);
  const created = (body as { created?: unknown }).created;
  const usage = body.usage as ChatUsage | null | undefined;
  return responseBody(ctx.envelope, {
    id: ids.response,
    createdAt: typeof created === "number" ? created : ctx.createdAt,
    status: outcome.status,
    incompleteDetails: outcome.incomplete_details ?? undefined,
    output,
    usage: hasUsage(usage) ? responsesUsage(usage) : undefined,
  });
}
