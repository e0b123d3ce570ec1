// Decodes a byte stream into server-sent events with eventsource-parser. Bytes are
// decoded with a StringDecoder, so a multi-byte character split across network reads
// survives, and lines split across reads are joined by the parser.
import { StringDecoder } from "node:string_decoder";
import { createParser, type EventSourceParser } from "eventsource-parser";
import type { SseEvent } from "./event.js";

type Chunk = Uint8Array | string;

/**
 * The decoding iterator. A class, not an async generator: a generator suspended between
 * reads keeps its last chunk, text and events alive in its saved registers (about 2 KB
 * per open stream), and each yield costs it an extra promise; here, what a read leaves
 * behind is only what the parser still needs.
 */
class SseDecoder implements AsyncIterableIterator<SseEvent> {
  // Not TextDecoder: its streaming mode (an ICU converter) costs about a microsecond more
  // per chunk, paid on every event of every translated stream.
  private readonly decoder = new StringDecoder("utf8");
  private readonly parser: EventSourceParser;
  private readonly source: AsyncIterator<Chunk> | Iterator<Chunk>;
  /** Events parsed and not yet taken, from `head` on. */
  private readonly ready: SseEvent[] = [];
  private head = 0;
  private ended = false;

  constructor(body: AsyncIterable<Chunk> | Iterable<Chunk>) {
    this.source = Symbol.asyncIterator in body ? body[Symbol.asyncIterator]() : body[Symbol.iterator]();
    this.parser = createParser({
      onEvent: (event) => {
        this.ready.push({ event: event.event, data: event.data, id: event.id });
      },
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<SseEvent, undefined>> {
    for (;;) {
      if (this.head < this.ready.length) return { value: this.take(), done: false };
      if (this.ended) return { value: undefined, done: true };
      const read = await this.source.next();
      if (read.done) {
        this.ended = true;
        // A stream that ends without its final blank line still delivers its last event.
        this.parser.feed(`${this.decoder.end()}\n\n`);
      } else {
        this.parser.feed(typeof read.value === "string" ? read.value : this.decoder.write(read.value));
      }
    }
  }

  /** Ends early (a `break` in `for await`): the source is released, as a generator's loop would. */
  async return(): Promise<IteratorResult<SseEvent, undefined>> {
    this.ended = true;
    this.ready.length = 0;
    this.head = 0;
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  private take(): SseEvent {
    const event = this.ready[this.head++]!;
    if (this.head === this.ready.length) {
      this.ready.length = 0;
      this.head = 0;
    }
    return event;
  }
}

/** Yields each event of an SSE byte stream as soon as its terminating blank line arrives. */
export function decodeSse(body: AsyncIterable<Chunk> | Iterable<Chunk>): AsyncIterableIterator<SseEvent> {
  return new SseDecoder(body);
}
