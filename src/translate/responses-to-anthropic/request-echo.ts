// The request settings a Responses body repeats back, read once from the client's request.
// OpenAI echoes them in every response object (created, completed…); they are copied as
// the client sent them, with OpenAI's defaults where it sent none.
import type { RequestEcho } from "./context.js";
import type { ResponsesBody } from "./wire.js";

/** A Responses request, typed loosely. */
type LooseRequest = Record<string, unknown>;

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalString<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === "string" ? ({ [key]: value } as Record<K, string>) : {};
}

/** The echo of one request. */
export function requestEcho(request: LooseRequest): RequestEcho {
  return {
    instructions: typeof request.instructions === "string" ? request.instructions : null,
    metadata: isRecord(request.metadata) ? (request.metadata as ResponsesBody["metadata"]) : {},
    parallel_tool_calls: request.parallel_tool_calls !== false,
    temperature: numberOrNull(request.temperature),
    top_p: numberOrNull(request.top_p),
    tool_choice: (request.tool_choice ?? "auto") as ResponsesBody["tool_choice"],
    tools: Array.isArray(request.tools) ? (request.tools as ResponsesBody["tools"]) : [],
    max_output_tokens: numberOrNull(request.max_output_tokens),
    reasoning: isRecord(request.reasoning) ? (request.reasoning as ResponsesBody["reasoning"]) : null,
    text: isRecord(request.text) ? (request.text as ResponsesBody["text"]) : { format: { type: "text" } },
    truncation: "disabled",
    ...optionalString("user", request.user),
    ...optionalString("safety_identifier", request.safety_identifier),
    ...optionalString("prompt_cache_key", request.prompt_cache_key),
  };
}
