// The chunk sequence an OpenAI stream would have carried for a complete ChatCompletion.
// Used when an upstream ignores `stream: true` and answers with one JSON body: the client
// still gets the stream it asked for, shaped as OpenAI sends it (role first, tool calls
// as a header chunk then their arguments, finish reason, then usage when asked for).
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageToolCall,
} from "openai/resources/chat/completions";

/** What the synthesizer needs besides the completion. */
export interface SynthesizeOpenAIOptions {
  /** The client asked for `stream_options.include_usage`: add the final usage chunk. */
  includeUsage: boolean;
}

type Delta = ChatCompletionChunk.Choice.Delta & Record<string, unknown>;
type FinishReason = ChatCompletionChunk.Choice["finish_reason"];

/** Reasoning fields OpenAI-compatible servers add to a message (DeepSeek/vLLM, OpenRouter). */
const REASONING_FIELDS = ["reasoning_content", "reasoning"] as const;

/** The chunks of a stream equivalent to `completion`. Never modifies `completion`. */
export function synthesizeOpenAIStream(
  completion: ChatCompletion,
  options: SynthesizeOpenAIOptions,
): object[] {
  const base = {
    id: completion.id,
    object: "chat.completion.chunk" as const,
    created: completion.created,
    model: completion.model,
    ...(completion.system_fingerprint ? { system_fingerprint: completion.system_fingerprint } : {}),
  };
  const chunk = (index: number, delta: Delta, finishReason: FinishReason = null): ChatCompletionChunk => ({
    ...base,
    choices: [{ index, delta, logprobs: null, finish_reason: finishReason }],
    // With include_usage, OpenAI sends `usage: null` on every chunk but the last.
    ...(options.includeUsage ? { usage: null } : {}),
  });
  const out: ChatCompletionChunk[] = [];
  for (const [position, choice] of (Array.isArray(completion.choices) ? completion.choices : []).entries()) {
    const index = typeof choice.index === "number" ? choice.index : position;
    const message = (choice.message ?? {}) as ChatCompletion.Choice["message"] & Record<string, unknown>;
    out.push(chunk(index, { role: "assistant", content: "" }));
    for (const field of REASONING_FIELDS) {
      const text = message[field];
      if (typeof text === "string" && text !== "") out.push(chunk(index, { [field]: text }));
    }
    if (typeof message.content === "string" && message.content !== "") {
      out.push(chunk(index, { content: message.content }));
    }
    if (typeof message.refusal === "string" && message.refusal !== "") {
      out.push(chunk(index, { refusal: message.refusal }));
    }
    (message.tool_calls ?? []).forEach((call, j) => {
      out.push(...toolCallChunks(call, j).map((delta) => chunk(index, delta)));
    });
    out.push(chunk(index, {}, choice.finish_reason ?? "stop"));
  }
  if (options.includeUsage && completion.usage) out.push({ ...base, choices: [], usage: completion.usage });
  return out;
}

/** A tool call as OpenAI streams it: id and name first, then the arguments. */
function toolCallChunks(call: ChatCompletionMessageToolCall, index: number): Delta[] {
  // A custom (free-form) tool call has no streamed form to imitate: it goes out whole.
  if (call.type !== "function")
    return [{ tool_calls: [{ index, ...call }] as unknown as Delta["tool_calls"] }];
  const header: Delta = {
    tool_calls: [
      { index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } },
    ],
  };
  const args = call.function.arguments;
  if (typeof args !== "string" || args === "") return [header];
  return [header, { tool_calls: [{ index, function: { arguments: args } }] }];
}
