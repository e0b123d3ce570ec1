// Token counts read from raw passthrough bytes: a usage object is found by its key and
// decoded alone; anything that only looks like one is ignored.
import { describe, expect, it } from "vitest";
import { UsageMeter } from "../../../src/dataplane/usage-meter.js";

const raw = (text: string) => Buffer.from(text, "utf8");

describe("UsageMeter.fromRawChunk", () => {
  it("reads an OpenAI body's usage, whatever whitespace sits around the key", () => {
    const meter = new UsageMeter("openai");
    meter.fromRawChunk(
      raw(
        '{"id":"x","choices":[{"message":{"content":"héllo"}}],"usage" :\n { "prompt_tokens": 12, "completion_tokens": 3 }}',
      ),
    );
    expect([meter.input, meter.output]).toEqual([12, 3]);
  });

  it("reads Anthropic usage from a stream's events, cached input counted as input", () => {
    const meter = new UsageMeter("anthropic");
    meter.fromRawChunk(
      raw(
        'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":5,"cache_read_input_tokens":100,"output_tokens":1}}}\n\n',
      ),
    );
    meter.fromRawChunk(
      raw('event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":42}}\n\n'),
    );
    expect([meter.input, meter.output]).toEqual([105, 42]);
  });

  it("ignores the word as a value, a null usage, an escaped mention, and a usage object cut by the chunk's end", () => {
    const meter = new UsageMeter("openai");
    meter.fromRawChunk(raw('{"role":"usage","content":{"prompt_tokens":9}}'));
    meter.fromRawChunk(raw('data: {"usage":null}\n\ndata: {"x":{"prompt_tokens":6}}\n\n'));
    meter.fromRawChunk(raw('{"content":"say \\"usage\\": {\\"prompt_tokens\\": 7}"}'));
    meter.fromRawChunk(raw('data: {"usage":{"prompt_tokens":4,"completion_'));
    expect([meter.input, meter.output]).toEqual([undefined, undefined]);
  });

  it("takes the last of several usage objects in one chunk", () => {
    const meter = new UsageMeter("openai");
    meter.fromRawChunk(
      raw(
        'data: {"usage":{"prompt_tokens":1,"completion_tokens":1}}\n\ndata: {"usage":{"prompt_tokens":2,"completion_tokens":8}}\n\n',
      ),
    );
    expect([meter.input, meter.output]).toEqual([2, 8]);
  });
});
