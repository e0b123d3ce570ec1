// The Anthropic stream a complete Message would have produced, for upstreams that
// ignore `stream: true` and answer with one JSON body. Every block is replayed as
// start, one delta per piece and stop; signatures are replayed only when the block has
// one (never invented), and unknown block kinds are sent whole in their start event.
import type {
  AnthropicContentBlock,
  AnthropicDeltaUsage,
  AnthropicMessage,
  AnthropicStreamEvent,
} from "../anthropic-to-openai/wire.js";

type Delta = Extract<AnthropicStreamEvent, { type: "content_block_delta" }>["delta"];

/** A block as it arrives: typed loosely, since an Anthropic upstream may add kinds. */
type LooseBlock = { type: string } & Record<string, unknown>;

/** The start block and the deltas that rebuild `block`. */
function replay(block: LooseBlock): { start: AnthropicContentBlock; deltas: Delta[] } {
  switch (block.type) {
    case "text": {
      const text = typeof block.text === "string" ? block.text : "";
      const citations = Array.isArray(block.citations) ? block.citations : undefined;
      const deltas: Delta[] = (citations ?? []).map((citation) => ({ type: "citations_delta", citation }));
      if (text !== "") deltas.push({ type: "text_delta", text });
      const start: AnthropicContentBlock = citations
        ? { type: "text", text: "", citations: [] }
        : { type: "text", text: "" };
      return { start, deltas };
    }
    case "thinking": {
      const deltas: Delta[] = [];
      if (typeof block.thinking === "string" && block.thinking !== "") {
        deltas.push({ type: "thinking_delta", thinking: block.thinking });
      }
      if (typeof block.signature === "string" && block.signature !== "") {
        deltas.push({ type: "signature_delta", signature: block.signature });
      }
      return { start: { type: "thinking", thinking: "", signature: "" }, deltas };
    }
    case "tool_use":
    case "server_tool_use":
      return {
        start: { ...block, input: {} },
        deltas: [{ type: "input_json_delta", partial_json: JSON.stringify(block.input ?? {}) }],
      };
    default:
      return { start: block, deltas: [] };
  }
}

function deltaUsage(usage: AnthropicMessage["usage"] | undefined): AnthropicDeltaUsage {
  const out: AnthropicDeltaUsage = {
    input_tokens: usage?.input_tokens ?? 0,
    output_tokens: usage?.output_tokens ?? 0,
    cache_creation_input_tokens: usage?.cache_creation_input_tokens ?? null,
    cache_read_input_tokens: usage?.cache_read_input_tokens ?? null,
  };
  if (usage?.server_tool_use !== undefined && usage.server_tool_use !== null)
    out.server_tool_use = usage.server_tool_use;
  return out;
}

/** The full event sequence of an Anthropic stream that carries `message`. */
export function synthesizeAnthropicStream(message: AnthropicMessage): AnthropicStreamEvent[] {
  const { content, stop_reason, stop_sequence, stop_details, usage, ...rest } = message;
  const events: AnthropicStreamEvent[] = [
    {
      type: "message_start",
      message: {
        ...rest,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        ...(stop_details !== undefined ? { stop_details: null } : {}),
        usage: { ...usage, output_tokens: 0 },
      },
    },
  ];
  (Array.isArray(content) ? content : []).forEach((block, index) => {
    const { start, deltas } = replay(block as LooseBlock);
    events.push({ type: "content_block_start", index, content_block: start });
    for (const delta of deltas) events.push({ type: "content_block_delta", index, delta });
    events.push({ type: "content_block_stop", index });
  });
  events.push({
    type: "message_delta",
    delta: {
      stop_reason: stop_reason ?? "end_turn",
      stop_sequence: stop_sequence ?? null,
      ...(stop_details !== undefined ? { stop_details } : {}),
    },
    usage: deltaUsage(usage),
  });
  events.push({ type: "message_stop" });
  return events;
}
