// Encodes events to SSE wire text. Field values that would break framing are refused;
// multi-line data becomes several `data:` lines, as the spec requires.
import type { SseEvent } from "./event.js";

function assertSingleLine(field: string, value: string): void {
  if (/[\r\n]/.test(value)) throw new TypeError(`SSE ${field} must not contain a newline`);
}

/** One event as wire text, ending with its blank line. */
export function encodeSse(event: SseEvent): string {
  let out = "";
  if (event.id !== undefined) {
    assertSingleLine("id", event.id);
    out += `id: ${event.id}\n`;
  }
  if (event.event !== undefined) {
    assertSingleLine("event", event.event);
    out += `event: ${event.event}\n`;
  }
  const { data } = event;
  // JSON data (every event Parley writes) has no line breaks: skip the split, paid per event.
  if (!data.includes("\n") && !data.includes("\r")) return `${out}data: ${data}\n\n`;
  for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** An Anthropic stream event: the event name is the payload's `type`. */
export function encodeAnthropicEvent(payload: { type: string }): string {
  return encodeSse({ event: payload.type, data: JSON.stringify(payload) });
}

/** An OpenAI stream chunk: data only. */
export function encodeOpenAIChunk(payload: unknown): string {
  return encodeSse({ data: JSON.stringify(payload) });
}

/** The terminator of every OpenAI stream. */
export const OPENAI_DONE = "data: [DONE]\n\n";

/** An SSE comment line; clients ignore it, proxies see traffic. */
export function encodeComment(text: string): string {
  assertSingleLine("comment", text);
  return `: ${text}\n\n`;
}
