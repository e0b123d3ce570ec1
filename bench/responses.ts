// What the mock upstream answers: an OpenAI chat completion or an Anthropic message, as one
// JSON body or as a stream of 64 content deltas of 16 bytes in the exact wire format of each API.
import { DELTA_MARK } from "./requests.js";

/** Deltas per stream: about what a short answer streams. */
export const DELTA_COUNT = 64;

const PROSE =
  "A circuit breaker counts consecutive failures per provider and opens after a threshold, so requests " +
  "skip that provider and fall over at once. After a cool-down it lets one probe through; success closes " +
  "it again, failure re-opens it. ";

/**
 * The content deltas of every answer, 16 bytes each: DELTA_MARK, a two-digit index, a space and 12
 * bytes of prose. The mark appears nowhere else in a response, so a client can count deltas in raw
 * bytes whatever framing the proxy in between re-encodes them into.
 */
export const DELTAS: readonly string[] = Array.from({ length: DELTA_COUNT }, (_, i) => {
  const text = PROSE.repeat(8).slice(i * 12, i * 12 + 12);
  return `${DELTA_MARK}${String(i).padStart(2, "0")} ${text}`;
});

const TEXT = DELTAS.join("");
const USAGE = { input: 58, output: DELTAS.length };
const CREATED = 1_750_000_000;

/** A non-streaming Chat Completions body; `lead` goes before the text (the mock's own time). */
export function openaiCompletion(model: string, lead = ""): string {
  return JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: CREATED,
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: lead + TEXT, refusal: null },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: {
      prompt_tokens: USAGE.input,
      completion_tokens: USAGE.output,
      total_tokens: USAGE.input + USAGE.output,
    },
  });
}

function openaiChunk(model: string, delta: object, finish: string | null): string {
  const chunk = {
    id: "chatcmpl-bench",
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The SSE frames of a Chat Completions stream: role, deltas, finish, usage if asked, [DONE]. */
export function openaiStream(
  model: string,
  includeUsage: boolean,
): { preamble: string[]; deltas: string[]; tail: string[] } {
  const usage = {
    id: "chatcmpl-bench",
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    choices: [],
    usage: {
      prompt_tokens: USAGE.input,
      completion_tokens: USAGE.output,
      total_tokens: USAGE.input + USAGE.output,
    },
  };
  return {
    preamble: [openaiChunk(model, { role: "assistant", content: "" }, null)],
    deltas: DELTAS.map((text) => openaiChunk(model, { content: text }, null)),
    tail: [
      openaiChunk(model, {}, "stop"),
      ...(includeUsage ? [`data: ${JSON.stringify(usage)}\n\n`] : []),
      "data: [DONE]\n\n",
    ],
  };
}

/** A non-streaming Messages body. */
export function anthropicMessage(model: string, lead = ""): string {
  return JSON.stringify({
    id: "msg_bench",
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text: lead + TEXT }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: USAGE.input, output_tokens: USAGE.output },
  });
}

function event(payload: { type: string } & Record<string, unknown>): string {
  return `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** The SSE events of a Messages stream: message_start … text deltas … message_stop. */
export function anthropicStream(model: string): { preamble: string[]; deltas: string[]; tail: string[] } {
  const start = {
    id: "msg_bench",
    type: "message",
    role: "assistant",
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: USAGE.input, output_tokens: 1 },
  };
  return {
    preamble: [
      event({ type: "message_start", message: start }),
      event({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
      event({ type: "ping" }),
    ],
    deltas: DELTAS.map((text) =>
      event({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }),
    ),
    tail: [
      event({ type: "content_block_stop", index: 0 }),
      event({
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: USAGE.output },
      }),
      event({ type: "message_stop" }),
    ],
  };
}
