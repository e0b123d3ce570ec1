// The contract every stream accumulator keeps, run against each one: whatever the
// upstream sends, push() never throws and finish() answers a body or a typed failure.
import { describe, expect, it } from "vitest";
import { ParleyError } from "../../../../src/core/errors.js";
import {
  createAnthropicMessageAccumulator,
  createOpenAICompletionAccumulator,
  type StreamAccumulator,
} from "../../../../src/translate/accumulate/index.js";
import { accumulate, bodyOf } from "./fixtures.js";

interface Implementation {
  name: string;
  create: () => StreamAccumulator;
  /** The events of a short, complete answer "Hello". */
  complete: unknown[];
  /** An error the upstream sends inside its stream. */
  error: unknown;
}

const implementations: Implementation[] = [
  {
    name: "Anthropic Messages",
    create: createAnthropicMessageAccumulator,
    complete: [
      {
        type: "message_start",
        message: {
          id: "msg_c",
          type: "message",
          role: "assistant",
          model: "claude-haiku-4-5",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 5, output_tokens: 1 },
        },
      },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello" } },
      { type: "content_block_stop", index: 0 },
      {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: 2 },
      },
      { type: "message_stop" },
    ],
    error: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
  },
  {
    name: "OpenAI Chat Completions",
    create: createOpenAICompletionAccumulator,
    complete: [
      {
        id: "chatcmpl-c",
        object: "chat.completion.chunk",
        created: 1,
        model: "gpt-4.1-mini",
        choices: [{ index: 0, delta: { role: "assistant", content: "Hello" }, finish_reason: null }],
      },
      {
        id: "chatcmpl-c",
        object: "chat.completion.chunk",
        created: 1,
        model: "gpt-4.1-mini",
        choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
      },
    ],
    error: { error: { message: "Overloaded", type: "server_error" } },
  },
];

describe.each(implementations)("$name accumulator", ({ create, complete, error }) => {
  it("answers a complete stream with JSON text", () => {
    const body = bodyOf(accumulate(create, complete));
    expect(typeof body).toBe("string");
    expect(JSON.stringify(JSON.parse(body))).toContain("Hello");
  });

  it("never throws on payloads that are not events, and ignores them", () => {
    const junk = [null, 42, true, "[DONE]", [], {}, { choices: "no" }];
    expect(() => accumulate(create, junk)).not.toThrow();
    expect(bodyOf(accumulate(create, [...junk, ...complete, ...junk]))).toBe(
      bodyOf(accumulate(create, complete)),
    );
  });

  it("answers the same from a repeated finish()", () => {
    const accumulator = create();
    for (const event of complete) accumulator.push(event);
    expect(accumulator.finish()).toEqual(accumulator.finish());
  });

  it("ends in a ParleyError once the upstream sent an error, whatever follows", () => {
    const result = accumulate(create, [...complete.slice(0, 2), error, ...complete.slice(2)]);
    expect(result.ok ? undefined : result.error).toBeInstanceOf(ParleyError);
  });

  it("ends in a ParleyError for every prefix of a complete stream", () => {
    for (let n = 0; n < complete.length; n += 1) {
      const result = accumulate(create, complete.slice(0, n));
      expect(result.ok, `after ${n} of ${complete.length} events`).toBe(false);
    }
  });
});
