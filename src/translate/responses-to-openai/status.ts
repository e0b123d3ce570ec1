// How a Chat Completions turn ended → the Response status: cut by the token limit or a content
// filter is `incomplete` with the Responses API's reason, anything else `completed`.

/** The status fields of a finished response. */
export type Outcome =
  | { status: "completed"; incomplete_details: null }
  | { status: "incomplete"; incomplete_details: { reason: "max_output_tokens" | "content_filter" } };

/** The outcome for an upstream `finish_reason`. */
export function outcomeOf(finishReason: string | null | undefined): Outcome {
  if (finishReason === "length")
    return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (finishReason === "content_filter") {
    return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  }
  return { status: "completed", incomplete_details: null };
}
