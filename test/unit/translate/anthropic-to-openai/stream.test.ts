import { describe, expect, it } from "vitest";
import {
  type AnthropicResponseContext,
  type AnthropicStreamEvent,
  createStreamTranslator,
} from "../../../../src/translate/anthropic-to-openai/index.js";
import { sanitizeToolId, ToolNameMap } from "../../../../src/translate/tool-identity.js";
import { readSseChunks, rebuild, replay } from "./fixtures.js";

const LONG_NAME = "mcp__plugin_github_github__list_pull_request_review_comments_for_repository";

function context(overrides: Partial<AnthropicResponseContext> = {}): AnthropicResponseContext {
  const toolNames = new ToolNameMap();
  for (const name of ["Read", "Grep", "Bash", "GetTime", LONG_NAME]) toolNames.add(name);
  return {
    clientModel: "claude-sonnet-4-5",
    upstreamModel: "gpt-4.1",
    toolNames,
    inputTokensEstimate: 1500,
    ...overrides,
  };
}

async function run(fixture: string, ctx = context()) {
  return replay(createStreamTranslator(ctx), await readSseChunks(`openai/${fixture}`));
}

function chunk(delta: Record<string, unknown> | undefined, finish_reason: string | null = null, extra = {}) {
  return {
    id: "chatcmpl-t",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: delta === undefined ? [] : [{ index: 0, delta, finish_reason }],
    ...extra,
  };
}

const usageChunk = (prompt_tokens: number, completion_tokens: number) =>
  chunk(undefined, null, {
    usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
  });

function last(events: AnthropicStreamEvent[], type: AnthropicStreamEvent["type"]) {
  return events.filter((e) => e.type === type).at(-1);
}

describe("streamed tool calls", () => {
  it("parallel tool calls with fragmented arguments become ordered tool_use blocks", async () => {
    const events = await run("stream-parallel-tool-calls.sse");
    expect(events).toEqual([
      {
        type: "message_start",
        message: {
          id: "msg_chatcmpl-C3kQ9tVbXyZ7aR2mN8pL4sW1eHfG",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-5",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: 1500,
            output_tokens: 0,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
          },
        },
      },
      {
        type: "content_block_start",
        index: 0,
        content_block: { type: "tool_use", id: "call_Wq3Rk8nZt2LmV5xB7yPd0sHc", name: "Read", input: {} },
      },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"fi' } },
      {
        type: "content_block_delta",
        index: 0,
        delta: { type: "input_json_delta", partial_json: 'le_path": "/repo/' },
      },
      {
        type: "content_block_delta",
        index: 0,
        delta: { type: "input_json_delta", partial_json: 'src/main.ts"}' },
      },
      { type: "content_block_stop", index: 0 },
      {
        type: "content_block_start",
        index: 1,
        content_block: { type: "tool_use", id: "call_Jd9Tf4hYc1QoE6uA3gKs8mXw", name: "Grep", input: {} },
      },
      {
        type: "content_block_delta",
        index: 1,
        delta: { type: "input_json_delta", partial_json: '{"pattern"' },
      },
      {
        type: "content_block_delta",
        index: 1,
        delta: { type: "input_json_delta", partial_json: ': "createServer", "pa' },
      },
      {
        type: "content_block_delta",
        index: 1,
        delta: { type: "input_json_delta", partial_json: 'th": "src"}' },
      },
      { type: "content_block_stop", index: 1 },
      {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: {
          input_tokens: 283,
          output_tokens: 61,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 2560,
        },
      },
      { type: "message_stop" },
    ]);
  });

  it("calls that all say index 0 are told apart by their ids", async () => {
    const events = await run("stream-colliding-index.sse");
    expect(rebuild(events)).toEqual([
      {
        type: "tool_use",
        id: "chatcmpl-tool-4e1f0d6a",
        name: "Bash",
        input: { command: "git status", description: "Show status" },
        json: '{"command": "git status", "description": "Show status"}',
      },
      {
        type: "tool_use",
        id: "chatcmpl-tool-9b2c7e13",
        name: "Bash",
        input: { command: "git log -3" },
        json: '{"command": "git log -3"}',
      },
    ]);
    expect(last(events, "message_delta")).toMatchObject({ delta: { stop_reason: "tool_use" } });
  });

  it("a call with no arguments gets {} and a finish_reason of stop after it still means tool_use", async () => {
    const events = await run(
      "stream-tool-no-arguments.sse",
      context({ upstreamModel: "openai/gpt-oss-120b" }),
    );
    expect(rebuild(events)).toEqual([
      { type: "thinking", thinking: "Need the time; call the tool.", signature: "" },
      { type: "tool_use", id: sanitizeToolId("functions.GetTime:0"), name: "GetTime", input: {}, json: "{}" },
    ]);
    expect(last(events, "message_delta")).toMatchObject({ delta: { stop_reason: "tool_use" } });
  });

  it("interleaved fragments of parallel calls are reassembled per call", () => {
    const translator = createStreamTranslator(context());
    const call = (index: number, fields: Record<string, unknown>) =>
      chunk({ tool_calls: [{ index, ...fields }] });
    const events = replay(translator, [
      chunk({ role: "assistant", content: null }),
      call(0, { id: "call_a", type: "function", function: { name: "Read", arguments: "" } }),
      call(1, { id: "call_b", type: "function", function: { name: "Grep", arguments: '{"pat' } }),
      call(0, { function: { arguments: '{"file_path":' } }),
      call(1, { function: { arguments: 'tern":"x"}' } }),
      call(0, { function: { arguments: '"/a"}' } }),
      chunk({}, "tool_calls"),
      usageChunk(100, 20),
    ]);
    expect(
      rebuild(events).map((b) => [(b as { name: string }).name, (b as { input: unknown }).input]),
    ).toEqual([
      ["Read", { file_path: "/a" }],
      ["Grep", { pattern: "x" }],
    ]);
  });

  it("a shortened tool name is mapped back to the client's name", () => {
    const short = context().toolNames.toUpstream(LONG_NAME);
    const events = replay(createStreamTranslator(context()), [
      chunk({
        tool_calls: [
          { index: 0, id: "call_1", type: "function", function: { name: short, arguments: "{}" } },
        ],
      }),
      chunk({}, "tool_calls"),
    ]);
    expect(rebuild(events)[0]).toMatchObject({ type: "tool_use", name: LONG_NAME });
  });

  it("text before a tool call is stopped before the tool block starts", () => {
    const events = replay(createStreamTranslator(context()), [
      chunk({ role: "assistant", content: "Checking." }),
      chunk({
        tool_calls: [
          {
            index: 0,
            id: "call_1",
            type: "function",
            function: { name: "Read", arguments: '{"file_path":"/x"}' },
          },
        ],
      }),
      chunk({}, "tool_calls"),
      usageChunk(10, 3),
    ]);
    expect(events.map((e) => `${e.type}${"index" in e ? e.index : ""}`)).toEqual([
      "message_start",
      "content_block_start0",
      "content_block_delta0",
      "content_block_stop0",
      "content_block_start1",
      "content_block_delta1",
      "content_block_stop1",
      "message_delta",
      "message_stop",
    ]);
  });
});

describe("streamed reasoning and text", () => {
  it("DeepSeek reasoning_content streams as a thinking block before the text", async () => {
    const events = await run("stream-reasoning.sse", context({ upstreamModel: "deepseek-reasoner" }));
    expect(events[1]).toEqual({
      type: "content_block_start",
      index: 0,
      content_block: { type: "thinking", thinking: "", signature: "" },
    });
    expect(events.some((e) => e.type === "content_block_delta" && e.delta.type === "signature_delta")).toBe(
      false,
    );
    expect(rebuild(events)).toEqual([
      { type: "thinking", thinking: "The user asks for 2+2. That is 4.", signature: "" },
      { type: "text", text: "\n\n2 + 2 = 4." },
    ]);
    expect(last(events, "message_delta")).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: {
        input_tokens: 28,
        output_tokens: 37,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 384,
      },
    });
  });

  it("usage on the finish chunk ends the message at once", async () => {
    const translator = createStreamTranslator(context());
    const chunks = await readSseChunks("openai/stream-reasoning.sse");
    const events = chunks.flatMap((c) => translator.push(c));
    expect(events.at(-1)).toEqual({ type: "message_stop" });
    expect(translator.end()).toEqual([]);
  });

  it("OpenRouter's reasoning field, text and a tool call come out as three blocks", async () => {
    const events = await run("stream-openrouter-reasoning.sse");
    expect(rebuild(events)).toEqual([
      { type: "thinking", thinking: "**Checking the file**\n\nI should read it first.", signature: "" },
      { type: "text", text: "I'll read it." },
      {
        type: "tool_use",
        id: "tool_0_Read_uYc2d",
        name: "Read",
        input: { file_path: "/repo/README.md" },
        json: '{"file_path":"/repo/README.md"}',
      },
    ]);
    expect(last(events, "message_delta")).toMatchObject({
      delta: { stop_reason: "tool_use" },
      usage: { input_tokens: 1024, output_tokens: 210, cache_read_input_tokens: 4096 },
    });
  });

  it("a text block made only of whitespace is never sent", () => {
    const events = replay(createStreamTranslator(context()), [
      chunk({ role: "assistant", content: "\n" }),
      chunk({ content: "  " }),
      chunk({}, "stop"),
      usageChunk(5, 1),
    ]);
    expect(events.filter((e) => e.type.startsWith("content_block"))).toEqual([]);
  });

  it("a refusal is streamed as text and stops with refusal", () => {
    const events = replay(createStreamTranslator(context()), [
      chunk({ role: "assistant", content: null, refusal: "I can't help with that." }),
      chunk({}, "stop"),
      usageChunk(5, 6),
    ]);
    expect(rebuild(events)).toEqual([{ type: "text", text: "I can't help with that." }]);
    expect(last(events, "message_delta")).toMatchObject({ delta: { stop_reason: "refusal" } });
  });

  it("only the first choice is translated", () => {
    const events = replay(createStreamTranslator(context()), [
      {
        id: "c",
        choices: [
          { index: 1, delta: { content: "other" }, finish_reason: null },
          { index: 0, delta: { content: "mine" }, finish_reason: null },
        ],
      },
      chunk({}, "stop"),
    ]);
    expect(rebuild(events)).toEqual([{ type: "text", text: "mine" }]);
  });
});

describe("usage and stop reasons", () => {
  it("message_delta waits for the usage chunk that follows the finish chunk", () => {
    const translator = createStreamTranslator(context());
    translator.push(chunk({ role: "assistant", content: "Hi" }));
    const atFinish = translator.push(chunk({}, "stop"));
    expect(atFinish.map((e) => e.type)).toEqual(["content_block_stop"]);
    const atUsage = translator.push(
      chunk(undefined, null, {
        usage: {
          prompt_tokens: 900,
          completion_tokens: 12,
          total_tokens: 912,
          prompt_tokens_details: { cached_tokens: 800 },
        },
      }),
    );
    expect(atUsage).toEqual([
      {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: {
          input_tokens: 100,
          output_tokens: 12,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 800,
        },
      },
      { type: "message_stop" },
    ]);
    expect(translator.push(chunk({ content: "late" }))).toEqual([]);
    expect(translator.end()).toEqual([]);
  });

  it("cache writes reported by the upstream are moved out of input_tokens", () => {
    const events = replay(createStreamTranslator(context()), [
      chunk({ content: "x" }, "stop"),
      chunk(undefined, null, {
        usage: {
          prompt_tokens: 5000,
          completion_tokens: 3,
          prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 3500 },
        },
      }),
    ]);
    expect(last(events, "message_delta")).toMatchObject({
      usage: { input_tokens: 500, cache_read_input_tokens: 1000, cache_creation_input_tokens: 3500 },
    });
  });

  it("a stream that never reports usage ends with estimates, not zeros", () => {
    const events = replay(createStreamTranslator(context({ inputTokensEstimate: 777 })), [
      chunk({ content: "12345678" }),
      chunk({}, "stop"),
    ]);
    expect(last(events, "message_delta")).toMatchObject({ usage: { input_tokens: 777, output_tokens: 2 } });
    expect(events.at(-1)).toEqual({ type: "message_stop" });
  });

  it("message_start reports 0 input tokens when no estimate is given", () => {
    const [start] = createStreamTranslator(context({ inputTokensEstimate: undefined })).push(
      chunk({ content: "" }),
    );
    expect(start).toMatchObject({
      type: "message_start",
      message: { usage: { input_tokens: 0, output_tokens: 0 } },
    });
  });

  it.each([
    ["stop", "end_turn"],
    ["length", "max_tokens"],
    ["tool_calls", "tool_use"],
    ["function_call", "tool_use"],
    ["content_filter", "refusal"],
    ["something_new", "end_turn"],
  ])("finish_reason %s → stop_reason %s", (finish, expected) => {
    const events = replay(createStreamTranslator(context()), [chunk({ content: "x" }), chunk({}, finish)]);
    expect(last(events, "message_delta")).toMatchObject({ delta: { stop_reason: expected } });
  });

  it("the legacy function_call stream becomes a tool_use block", () => {
    const events = replay(createStreamTranslator(context()), [
      chunk({ role: "assistant", function_call: { name: "Read", arguments: "" } }),
      chunk({ function_call: { arguments: '{"file_path":"/z"}' } }),
      chunk({}, "function_call"),
    ]);
    expect(rebuild(events)).toMatchObject([{ type: "tool_use", name: "Read", input: { file_path: "/z" } }]);
  });
});

describe("broken streams", () => {
  it("an error inside a 200 stream becomes one error event and nothing after it", async () => {
    const translator = createStreamTranslator(context());
    const events = replay(translator, await readSseChunks("openai/stream-error-in-200.sse"));
    expect(events.at(-1)).toEqual({
      type: "error",
      error: {
        type: "api_error",
        message: "Provider returned error (upstream connect error or disconnect/reset before headers)",
      },
    });
    expect(events.filter((e) => e.type === "error")).toHaveLength(1);
    expect(events.some((e) => e.type === "message_stop" || e.type === "message_delta")).toBe(false);
    expect(translator.push(chunk({ content: "more" }))).toEqual([]);
  });

  it("an error chunk maps its status-like code to the Anthropic type", () => {
    const events = replay(createStreamTranslator(context()), [
      { error: { message: "Rate limit exceeded", code: 429 } },
    ]);
    expect(events).toEqual([
      { type: "error", error: { type: "rate_limit_error", message: "Rate limit exceeded" } },
    ]);
  });

  it("a stream cut before its finish_reason ends with an api_error, not a fake message_stop", async () => {
    const events = await run("stream-cut.sse");
    expect(rebuild(events)).toEqual([{ type: "text", text: "The answer is" }]);
    expect(events.at(-1)).toEqual({
      type: "error",
      error: {
        type: "api_error",
        message: expect.stringContaining("ended before the response was complete"),
      },
    });
    expect(events.some((e) => e.type === "message_stop")).toBe(false);
  });

  it("an empty stream ends with an error event", () => {
    expect(createStreamTranslator(context()).end()).toEqual([
      { type: "error", error: { type: "api_error", message: expect.any(String) } },
    ]);
  });

  it.each([
    ["no choices", { id: "x", object: "chat.completion.chunk" }],
    ["a choice without delta", { id: "x", choices: [{ index: 0 }] }],
    ["a null delta", { id: "x", choices: [{ index: 0, delta: null, finish_reason: null }] }],
    ["null", null],
    ["a string", "keep-alive"],
  ])("a chunk with %s is tolerated", (_name, odd) => {
    const translator = createStreamTranslator(context());
    translator.push(chunk({ content: "a" }));
    expect(() => translator.push(odd)).not.toThrow();
    const events = [...translator.push(chunk({ content: "b" }, "stop")), ...translator.end()];
    expect(events.at(-1)).toEqual({ type: "message_stop" });
  });
});

describe("well-formed streams, whatever the upstream sent", () => {
  const fixtures = [
    "stream-parallel-tool-calls.sse",
    "stream-colliding-index.sse",
    "stream-reasoning.sse",
    "stream-openrouter-reasoning.sse",
    "stream-error-in-200.sse",
    "stream-cut.sse",
    "stream-tool-no-arguments.sse",
  ];

  it.each(fixtures)(
    "%s: blocks open and close in order and the stream ends exactly once",
    async (fixture) => {
      const events = await run(fixture);
      expect(events[0]?.type).toBe("message_start");
      const endings = events.filter((e) => e.type === "message_stop" || e.type === "error");
      expect(endings).toHaveLength(1);
      expect(endings[0]).toBe(events.at(-1));
      let open: number | undefined;
      let next = 0;
      for (const event of events) {
        if (event.type === "content_block_start") {
          expect(open).toBeUndefined();
          expect(event.index).toBe(next++);
          open = event.index;
        } else if (event.type === "content_block_delta") {
          expect(event.index).toBe(open);
        } else if (event.type === "content_block_stop") {
          expect(event.index).toBe(open);
          open = undefined;
        } else if (event.type === "message_delta") {
          expect(open).toBeUndefined();
          expect(["end_turn", "max_tokens", "tool_use", "refusal"]).toContain(event.delta.stop_reason);
        }
      }
      for (const block of rebuild(events)) {
        if (block.type === "tool_use") expect(block.input).toBeTypeOf("object");
      }
    },
  );
});
