import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createStreamTranslator,
  type OpenAIResponseContext,
} from "../../../../src/translate/openai-to-anthropic/index.js";
import { fixtureSse, fixtureSseEvents } from "./fixtures.js";

const NOW = new Date("2025-06-01T12:00:00Z");
const CTX: OpenAIResponseContext = {
  clientModel: "gpt-4.1",
  upstreamModel: "claude-sonnet-4-5",
  includeUsage: false,
};

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs a whole fixture through a fresh translator, end() included. */
async function translateFixture(name: string, ctx: Partial<OpenAIResponseContext> = {}): Promise<unknown[]> {
  const translator = createStreamTranslator({ ...CTX, ...ctx });
  const out: unknown[] = [];
  for (const event of await fixtureSse(`anthropic/${name}`)) out.push(...translator.push(event));
  out.push(...translator.end());
  return out;
}

type Chunk = ChatCompletionChunk & { choices: Array<{ delta: Record<string, unknown> }> };

function chunks(out: unknown[]): Chunk[] {
  return out.filter((o): o is Chunk => (o as { object?: unknown }).object === "chat.completion.chunk");
}

function deltas(out: unknown[]): Array<Record<string, unknown>> {
  return chunks(out).flatMap((c) => c.choices.map((ch) => ch.delta as Record<string, unknown>));
}

/** Rebuilds the tool calls as a client does: by index, concatenating argument fragments. */
function reassembleToolCalls(out: unknown[]): Array<{ id?: string; name?: string; arguments: string }> {
  const calls: Array<{ id?: string; name?: string; arguments: string }> = [];
  for (const delta of deltas(out)) {
    for (const call of (delta.tool_calls ?? []) as ChatCompletionChunk.Choice.Delta.ToolCall[]) {
      calls[call.index] ??= { arguments: "" };
      const entry = calls[call.index]!;
      if (call.id) entry.id = call.id;
      if (call.function?.name) entry.name = call.function.name;
      entry.arguments += call.function?.arguments ?? "";
    }
  }
  return calls;
}

describe("fixtures", () => {
  it.each([
    "stream-parallel-tool-use.sse",
    "stream-thinking.sse",
    "stream-error.sse",
    "stream-cut.sse",
    "stream-tool-no-arguments.sse",
  ])("%s names each event after its data type", async (name) => {
    for (const event of await fixtureSseEvents(`anthropic/${name}`)) {
      expect(event.event).toBe((JSON.parse(event.data) as { type: string }).type);
    }
  });
});

describe("createStreamTranslator", () => {
  it("turns a parallel tool-use stream into OpenAI chunks, tool calls in order", async () => {
    const out = await translateFixture("stream-parallel-tool-use.sse");
    expect(deltas(out)).toEqual([
      { role: "assistant", content: "" },
      { content: "I'll check the weather" },
      { content: " in both cities." },
      {
        tool_calls: [
          {
            index: 0,
            id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
            type: "function",
            function: { name: "get_weather", arguments: "" },
          },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"location": "San Fra' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'ncisco, CA", "unit": "celsius"}' } }] },
      {
        tool_calls: [
          {
            index: 1,
            id: "toolu_01PqLxm5T8fBzW6vNkr2E9aY",
            type: "function",
            function: { name: "get_weather", arguments: "" },
          },
        ],
      },
      { tool_calls: [{ index: 1, function: { arguments: '{"locati' } }] },
      { tool_calls: [{ index: 1, function: { arguments: 'on": "Paris, France"' } }] },
      { tool_calls: [{ index: 1, function: { arguments: ', "unit": "celsius"}' } }] },
      {},
    ]);
    const last = chunks(out).at(-1);
    expect(last?.choices[0]?.finish_reason).toBe("tool_calls");
    expect(out).toHaveLength(11);
  });

  it("reassembles fragmented arguments per call into valid JSON", async () => {
    const calls = reassembleToolCalls(await translateFixture("stream-parallel-tool-use.sse"));
    expect(calls.map((c) => [c.id, c.name, JSON.parse(c.arguments)])).toEqual([
      ["toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", { location: "San Francisco, CA", unit: "celsius" }],
      ["toolu_01PqLxm5T8fBzW6vNkr2E9aY", "get_weather", { location: "Paris, France", unit: "celsius" }],
    ]);
  });

  it("gives every chunk the same id, created and model, and no usage key without include_usage", async () => {
    const out = chunks(await translateFixture("stream-parallel-tool-use.sse"));
    for (const chunk of out) {
      expect(chunk).toMatchObject({
        id: "chatcmpl-01Q8Faay6Zs4s9QW1nLhJ3dR",
        object: "chat.completion.chunk",
        created: NOW.getTime() / 1000,
        model: "gpt-4.1",
      });
      expect(chunk).not.toHaveProperty("usage");
    }
  });

  it("ends with a usage chunk with no choices when the client asked for usage", async () => {
    const out = chunks(await translateFixture("stream-parallel-tool-use.sse", { includeUsage: true }));
    const last = out.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({
      prompt_tokens: 702 + 1536,
      completion_tokens: 121,
      total_tokens: 702 + 1536 + 121,
      prompt_tokens_details: { cached_tokens: 1536 },
    });
    for (const chunk of out.slice(0, -1)) expect(chunk.usage).toBeNull();
  });

  it("takes output tokens from the cumulative message_delta usage", async () => {
    const out = chunks(await translateFixture("stream-tool-no-arguments.sse", { includeUsage: true }));
    expect(out.at(-1)?.usage).toMatchObject({ prompt_tokens: 412, completion_tokens: 33, total_tokens: 445 });
  });

  it("streams thinking as reasoning_content and drops the signature", async () => {
    const out = await translateFixture("stream-thinking.sse");
    expect(deltas(out)).toEqual([
      { role: "assistant", content: "" },
      { reasoning_content: "27 * 453: 27 * 400 = 10800, 27 * 53 = 1431." },
      { reasoning_content: " 10800 + 1431 = 12231." },
      { content: "27 × 453 = **12,231**" },
      {},
    ]);
    expect(chunks(out).at(-1)?.choices[0]?.finish_reason).toBe("stop");
    expect(JSON.stringify(out)).not.toContain("signature");
  });

  it("sends {} as the arguments of a tool call that streamed none", async () => {
    const out = await translateFixture("stream-tool-no-arguments.sse");
    expect(reassembleToolCalls(out)).toEqual([
      { id: "toolu_01Jc7vQm3XrP9sLt5WbNk2Ga", name: "get_time", arguments: "{}" },
    ]);
  });

  it("turns a mid-stream error event into one OpenAI error object and nothing after it", async () => {
    const translator = createStreamTranslator(CTX);
    const out: unknown[] = [];
    for (const event of await fixtureSse("anthropic/stream-error.sse")) out.push(...translator.push(event));
    expect(out.at(-1)).toEqual({
      error: { message: "Overloaded", type: "server_error", param: null, code: null },
    });
    expect(deltas(out)).toEqual([{ role: "assistant", content: "" }, { content: "Once upon a time" }]);
    expect(
      translator.push({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "x" } }),
    ).toEqual([]);
    expect(translator.end()).toEqual([]);
  });

  it("ends a stream cut before message_stop with an error object", async () => {
    const out = await translateFixture("stream-cut.sse");
    expect(deltas(out)).toEqual([{ role: "assistant", content: "" }, { content: "The answer is" }]);
    const last = out.at(-1) as { error: { message: string; type: string } };
    expect(last.error.message).toMatch(/ended early/);
    expect(last.error.type).toBe("server_error");
  });

  it("ignores pings, unknown events and anything after message_stop", () => {
    const translator = createStreamTranslator(CTX);
    const start = {
      type: "message_start",
      message: { id: "msg_1", usage: { input_tokens: 1, output_tokens: 0 } },
    };
    expect(translator.push(start)).toHaveLength(1);
    expect(translator.push({ type: "ping" })).toEqual([]);
    expect(translator.push({ type: "brand_new_event", data: 1 })).toEqual([]);
    expect(translator.push("not an object")).toEqual([]);
    expect(translator.push({ type: "message_start", message: { id: "msg_2" } })).toEqual([]);
    expect(translator.push({ type: "message_stop" })).toHaveLength(1);
    expect(
      translator.push({
        type: "content_block_start",
        index: 0,
        content_block: { type: "text", text: "late" },
      }),
    ).toEqual([]);
    expect(translator.end()).toEqual([]);
  });

  it("still opens with a role chunk when content arrives before message_start", () => {
    const translator = createStreamTranslator(CTX);
    const out = translator.push({
      type: "content_block_delta",
      index: 0,
      delta: { type: "text_delta", text: "Hi" },
    });
    expect(deltas(out)).toEqual([{ role: "assistant", content: "" }, { content: "Hi" }]);
  });

  it.each([
    { stop: "end_turn", expected: "stop" },
    { stop: "max_tokens", expected: "length" },
    { stop: "stop_sequence", expected: "stop" },
    { stop: "refusal", expected: "content_filter" },
    { stop: "pause_turn", expected: "stop" },
  ])("message_delta $stop finishes as $expected", ({ stop, expected }) => {
    const translator = createStreamTranslator(CTX);
    translator.push({
      type: "message_start",
      message: { id: "msg_1", usage: { input_tokens: 1, output_tokens: 1 } },
    });
    const out = translator.push({
      type: "message_delta",
      delta: { stop_reason: stop },
      usage: { output_tokens: 2 },
    });
    expect(chunks(out)[0]?.choices[0]).toEqual({
      index: 0,
      delta: {},
      logprobs: null,
      finish_reason: expected,
    });
  });

  it("sends a finish chunk at message_stop when message_delta never said why", () => {
    const translator = createStreamTranslator(CTX);
    translator.push({ type: "message_start", message: { id: "msg_1" } });
    const out = translator.push({ type: "message_stop" });
    expect(chunks(out)[0]?.choices[0]?.finish_reason).toBe("stop");
  });
});
