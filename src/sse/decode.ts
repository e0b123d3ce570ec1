// Decodes a byte stream into server-sent events with eventsource-parser. Bytes are
// decoded as a UTF-8 stream, so a multi-byte character split across network reads
// survives, and lines split across reads are joined by the parser.
import { createParser } from "eventsource-parser";
import type { SseEvent } from "./event.js";

/** Yields each event of an SSE byte stream as soon as its terminating blank line arrives. */
export async function* decodeSse(
  body: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder("utf-8");
  let pending: SseEvent[] = [];
  const parser = createParser({
    onEvent(event) {
      pending.push({ event: event.event, data: event.data, id: event.id });
    },
  });
  for await (const chunk of body) {
    parser.feed(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    if (pending.length > 0) {
      const ready = pending;
      pending = [];
      yield* ready;
    }
  }
  const tail = decoder.decode();
  // A stream that ends without its final blank line still delivers its last event.
  parser.feed(`${tail}\n\n`);
  yield* pending;
}
