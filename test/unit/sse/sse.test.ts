import { describe, expect, it } from "vitest";
import { decodeSse } from "../../../src/sse/decode.js";
import { encodeSse } from "../../../src/sse/encode.js";
import type { SseEvent } from "../../../src/sse/event.js";

async function decodeAll(chunks: Array<string | Uint8Array>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const e of decodeSse(source())) out.push(e);
  return out;
}

describe("decodeSse", () => {
  it("joins lines split across reads and keeps event names", async () => {
    const events = await decodeAll(["event: message_st", 'art\ndata: {"a"', ":1}\n", "\n", "data: x\n\n"]);
    expect(events).toEqual([
      { event: "message_start", data: '{"a":1}', id: undefined },
      { event: undefined, data: "x", id: undefined },
    ]);
  });

  it("decodes a multi-byte character split across reads", async () => {
    const bytes = Buffer.from("data: héllo 🌍\n\n", "utf8");
    const cut = bytes.indexOf(0xf0) + 2;
    const events = await decodeAll([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(events.map((e) => e.data)).toEqual(["héllo 🌍"]);
  });

  it("skips comments and delivers a final event without its blank line", async () => {
    const events = await decodeAll([": keep-alive\n\n", "data: 1\n\n", "data: 2"]);
    expect(events.map((e) => e.data)).toEqual(["1", "2"]);
  });
});

describe("encodeSse", () => {
  it("splits multi-line data into several data lines", () => {
    expect(encodeSse({ event: "x", data: "a\nb" })).toBe("event: x\ndata: a\ndata: b\n\n");
  });

  it("refuses a newline in the event name", () => {
    expect(() => encodeSse({ event: "a\nb", data: "" })).toThrow(/newline/);
  });

  it("round-trips through the decoder", async () => {
    const event = { event: "delta", data: '{"t":"line1\\nline2"}', id: "7" };
    expect(await decodeAll([encodeSse(event)])).toEqual([event]);
  });
});
