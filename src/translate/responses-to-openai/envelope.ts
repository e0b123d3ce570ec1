// The Response object around the output: the request settings it echoes (as the Responses API
// does), fixed once per request, and the parts that change as the answer arrives.
import type {
  ResponsesBody,
  ResponsesError,
  ResponsesOutputItem,
  ResponsesRequest,
  ResponsesUsage,
} from "./wire.js";

/** The request settings every Response of one request echoes. */
export type ResponseEnvelope = Omit<
  ResponsesBody,
  "id" | "object" | "created_at" | "status" | "output" | "usage" | "error" | "incomplete_details"
>;

/** What the client asked for, with what was really offered to the model. */
export interface EnvelopeSource {
  request: ResponsesRequest;
  clientModel: string;
  /** The client's tools the upstream was offered (built-in ones it cannot run are left out). */
  tools: ResponsesBody["tools"];
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The echoed settings of a request. */
export function envelopeOf({ request, clientModel, tools }: EnvelopeSource): ResponseEnvelope {
  const reasoning = request.reasoning ?? null;
  const envelope: ResponseEnvelope = {
    background: false,
    instructions: typeof request.instructions === "string" ? request.instructions : null,
    max_output_tokens: numberOrNull(request.max_output_tokens),
    model: clientModel,
    parallel_tool_calls: request.parallel_tool_calls !== false,
    previous_response_id: null,
    reasoning: { effort: reasoning?.effort ?? null, summary: reasoning?.summary ?? null },
    temperature: numberOrNull(request.temperature),
    text: request.text ?? { format: { type: "text" } },
    tool_choice: (request.tool_choice ?? "auto") as ResponsesBody["tool_choice"],
    tools,
    top_p: numberOrNull(request.top_p),
    truncation: request.truncation === "auto" ? "auto" : "disabled",
    metadata: request.metadata ?? {},
  };
  if (typeof request.user === "string") envelope.user = request.user;
  if (typeof request.prompt_cache_key === "string") envelope.prompt_cache_key = request.prompt_cache_key;
  if (typeof request.safety_identifier === "string") envelope.safety_identifier = request.safety_identifier;
  if (typeof request.service_tier === "string") envelope.service_tier = request.service_tier;
  return envelope;
}

/** The parts of a Response that change while it is produced. */
export interface ResponseState {
  id: string;
  createdAt: number;
  status: "in_progress" | "completed" | "incomplete" | "failed";
  output: ResponsesOutputItem[];
  usage?: ResponsesUsage | undefined;
  error?: ResponsesError | undefined;
  incompleteDetails?: { reason: "max_output_tokens" | "content_filter" } | undefined;
}

/** A whole Response body: the fields in the order the Responses API writes them. */
export function responseBody(envelope: ResponseEnvelope, state: ResponseState): ResponsesBody {
  const { metadata, ...settings } = envelope;
  const body: ResponsesBody = {
    id: state.id,
    object: "response",
    created_at: state.createdAt,
    status: state.status,
    error: state.error ?? null,
    incomplete_details: state.incompleteDetails ?? null,
    ...settings,
    output: state.output,
    metadata,
  };
  if (state.usage) body.usage = state.usage;
  return body;
}
