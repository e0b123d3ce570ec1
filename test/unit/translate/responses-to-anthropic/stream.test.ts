import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createStreamTranslator,
  type ResponsesContext,
  type ResponsesStreamEvent,
  translateRequest,
} from "../../../../src/translate/responses-to-anthropic/index.js";
import * as chatDirection from "../../../../src/translate/responses-to-openai/index.js";
import { CTX, translateEvents, translateFixture } from "./fixtures.js";

const NOW = new Date("2026-12-01T12:00:00Z");

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

type Event = ResponsesStreamEvent;

/** Each event without its sequence number, lifecycle events cut down to what changes between them. */
function summarize(events: Event[]): unknown[] {
  return events.map(({ sequence_number: _, ...event }) =>
    "response" in event
      ? { type: event.type, status: event.response.status, output: event.response.output.length }
      : event,
  );
}

function ofType<T extends Event["type"]>(events: Event[], type: T): Array<Extract<Event, { type: T }>> {
  return events.filter((e): e is Extract<Event, { type: T }> => e.type === type);
}

function last(events: Event[]): Event {
  return events[events.length - 1]!;
}

/** The context of Codex's request, so the namespace's calls map back. */
const CODEX_CTX: ResponsesContext = translateRequest(
  {
    model: "gpt-5-codex",
    input: "Read the note and search the docs",
    tools: [
      { type: "function", name: "exec_command", parameters: { type: "object" } },
      {
        type: "namespace",
        name: "mcp__docs__",
        description: "Docs",
        tools: [{ type: "function", name: "search" }],
      },
    ],
  },
  { upstreamModel: "claude-sonnet-4-5" },
).ctx;

const messageStart = (
  id = "msg_01S",
  usage: Record<string, number> = { input_tokens: 9, output_tokens: 1 },
) => ({
  type: "message_start",
  message: { id, type: "message", role: "assistant", content: [], stop_reason: null, usage },
});
const blockStart = (index: number, content_block: Record<string, unknown>) => ({
  type: "content_block_start",
  index,
  content_block,
});
const blockDelta = (index: number, delta: Record<string, unknown>) => ({
  type: "content_block_delta",
  index,
  delta,
});
const blockStop = (index: number) => ({ type: "content_block_stop", index });
const messageDelta = (stop_reason: string, usage: Record<string, number> = { output_tokens: 7 }) => ({
  type: "message_delta",
  delta: { stop_reason, stop_sequence: null },
  usage,
});
const messageStop = { type: "message_stop" };
const text = (index: number, value: string) => [
  blockStart(index, { type: "text", text: "" }),
  blockDelta(index, { type: "text_delta", text: value }),
  blockStop(index),
];
const anthropicError = (type: string, message: string) => ({ type: "error", error: { type, message } });

describe("createStreamTranslator: Codex's exec_command turn", () => {
  it("streams the whole Responses event sequence, the call's arguments in the upstream's fragments", async () => {
    const events = await translateFixture("responses/stream-exec-command-anthropic.sse", CODEX_CTX);
    const msg = "msg_01Jd4VqX8nTe2LwR6yPzK3Hc_0";
    const fc = "fc_01Gx7XkqW3ZpM9aVbN2cRt5Y";
    const call = {
      id: fc,
      type: "function_call",
      call_id: "toolu_01Gx7XkqW3ZpM9aVbN2cRt5Y",
      name: "exec_command",
    };
    expect(summarize(events)).toEqual([
      { type: "response.created", status: "in_progress", output: 0 },
      { type: "response.in_progress", status: "in_progress", output: 0 },
      {
        type: "response.output_item.added",
        output_index: 0,
        item: { id: msg, type: "message", status: "in_progress", role: "assistant", content: [] },
      },
      {
        type: "response.content_part.added",
        item_id: msg,
        output_index: 0,
        content_index: 0,
        part: { type: "output_text", text: "", annotations: [] },
      },
      {
        type: "response.output_text.delta",
        item_id: msg,
        output_index: 0,
        content_index: 0,
        delta: "I'll read",
        logprobs: [],
      },
      {
        type: "response.output_text.delta",
        item_id: msg,
        output_index: 0,
        content_index: 0,
        delta: " the file.",
        logprobs: [],
      },
      {
        type: "response.output_text.done",
        item_id: msg,
        output_index: 0,
        content_index: 0,
        text: "I'll read the file.",
        logprobs: [],
      },
      {
        type: "response.content_part.done",
        item_id: msg,
        output_index: 0,
        content_index: 0,
        part: { type: "output_text", text: "I'll read the file.", annotations: [] },
      },
      {
        type: "response.output_item.done",
        output_index: 0,
        item: {
          id: msg,
          type: "message",
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: "I'll read the file.", annotations: [] }],
        },
      },
      {
        type: "response.output_item.added",
        output_index: 1,
        item: { ...call, status: "in_progress", arguments: "" },
      },
      {
        type: "response.function_call_arguments.delta",
        item_id: fc,
        output_index: 1,
        delta: '{"cmd": "cat no',
      },
      { type: "response.function_call_arguments.delta", item_id: fc, output_index: 1, delta: 'te.txt"}' },
      {
        type: "response.function_call_arguments.done",
        item_id: fc,
        output_index: 1,
        name: "exec_command",
        arguments: '{"cmd": "cat note.txt"}',
      },
      {
        type: "response.output_item.done",
        output_index: 1,
        item: { ...call, status: "completed", arguments: '{"cmd": "cat note.txt"}' },
      },
      { type: "response.completed", status: "completed", output: 2 },
    ]);
  });

  it("ends with response.completed holding the whole response and its usage", async () => {
    const events = await translateFixture("responses/stream-exec-command-answer-anthropic.sse", CODEX_CTX);
    const completed = last(events);
    expect(completed.type).toBe("response.completed");
    if (completed.type !== "response.completed") return;
    expect(completed.response).toMatchObject({
      id: "resp_01Pw2RbT6cYh9KsM3vQxN8Lf",
      status: "completed",
      model: "gpt-5-codex",
      error: null,
      output: [
        {
          type: "message",
          status: "completed",
          content: [{ type: "output_text", text: "`note.txt` says: remember the milk" }],
        },
      ],
      usage: {
        input_tokens: 2490 + 2304,
        input_tokens_details: { cached_tokens: 2304, cache_write_tokens: 0 },
        output_tokens: 14,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 2490 + 2304 + 14,
      },
      tools: CODEX_CTX.echo?.tools,
    });
  });
});

describe("createStreamTranslator: events", () => {
  it.each([
    "anthropic/stream-tool-use.sse",
    "anthropic/stream-thinking.sse",
    "anthropic/stream-parallel-tool-use.sse",
    "anthropic/stream-error.sse",
    "anthropic/stream-cut.sse",
    "responses/stream-parallel-namespaced-anthropic.sse",
  ])("numbers the events of %s from 0, one by one", async (path) => {
    const events = await translateFixture(path);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.slice(0, 2).map((e) => e.type)).toEqual(["response.created", "response.in_progress"]);
  });

  it("streams parallel calls as items in order, each fragment under its own item id and output index", async () => {
    const events = await translateFixture("responses/stream-parallel-namespaced-anthropic.sse", CODEX_CTX);
    const deltas = ofType(events, "response.function_call_arguments.delta").map((e) => [
      e.output_index,
      e.item_id,
      e.delta,
    ]);
    expect(deltas).toEqual([
      [1, "fc_01Aa1Bb2Cc3Dd4Ee5Ff6Gg7H", '{"cmd":'],
      [1, "fc_01Aa1Bb2Cc3Dd4Ee5Ff6Gg7H", ' "cat note.txt"}'],
      [2, "fc_01Hh8Ii9Jj0Kk1Ll2Mm3Nn4O", '{"query": "milk'],
      [2, "fc_01Hh8Ii9Jj0Kk1Ll2Mm3Nn4O", ' policy"}'],
    ]);
    const done = ofType(events, "response.output_item.done").map((e) => e.item);
    expect(done[2]).toEqual({
      id: "fc_01Hh8Ii9Jj0Kk1Ll2Mm3Nn4O",
      type: "function_call",
      status: "completed",
      call_id: "toolu_01Hh8Ii9Jj0Kk1Ll2Mm3Nn4O",
      name: "search",
      namespace: "mcp__docs__",
      arguments: '{"query": "milk policy"}',
    });
    expect(ofType(events, "response.function_call_arguments.done").map((e) => e.name)).toEqual([
      "exec_command",
      "search",
    ]);
  });

  it("streams thinking as a reasoning item with summary events, the signature left out", async () => {
    const events = await translateFixture("anthropic/stream-thinking.sse");
    const rs = "rs_01B7nVZ3Jx9aQm4kLr8TcW2s_0";
    const ids = { item_id: rs, output_index: 0, summary_index: 0 };
    const whole = "27 * 453: 27 * 400 = 10800, 27 * 53 = 1431. 10800 + 1431 = 12231.";
    expect(summarize(events).slice(2, 9)).toEqual([
      {
        type: "response.output_item.added",
        output_index: 0,
        item: { id: rs, type: "reasoning", summary: [] },
      },
      { type: "response.reasoning_summary_part.added", ...ids, part: { type: "summary_text", text: "" } },
      {
        type: "response.reasoning_summary_text.delta",
        ...ids,
        delta: "27 * 453: 27 * 400 = 10800, 27 * 53 = 1431.",
      },
      { type: "response.reasoning_summary_text.delta", ...ids, delta: " 10800 + 1431 = 12231." },
      { type: "response.reasoning_summary_text.done", ...ids, text: whole },
      { type: "response.reasoning_summary_part.done", ...ids, part: { type: "summary_text", text: whole } },
      {
        type: "response.output_item.done",
        output_index: 0,
        item: { id: rs, type: "reasoning", summary: [{ type: "summary_text", text: whole }] },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain("EqQBCgIYAhIM");
  });

  it("gives a call without argument deltas the arguments {}", async () => {
    const events = await translateFixture("anthropic/stream-tool-no-arguments.sse");
    expect(ofType(events, "response.function_call_arguments.delta")).toEqual([]);
    expect(ofType(events, "response.function_call_arguments.done")[0]?.arguments).toBe("{}");
  });

  it("passes integers above 2^53 through as the upstream wrote them", async () => {
    const events = await translateFixture("anthropic/stream-big-integer-tool-input.sse");
    const args = ofType(events, "response.function_call_arguments.done")[0]?.arguments ?? "";
    const fragments = ofType(events, "response.function_call_arguments.delta").map((e) => e.delta);
    expect(args).toBe(fragments.join(""));
    expect(args).toMatch(/\d{17,}/);
  });

  it("takes a tool_use block's preset input as its arguments", () => {
    const events = translateEvents([
      messageStart(),
      blockStart(0, { type: "tool_use", id: "toolu_1", name: "exec", input: { cmd: "ls" } }),
      blockStop(0),
      messageDelta("tool_use"),
      messageStop,
    ]);
    expect(ofType(events, "response.function_call_arguments.done")[0]?.arguments).toBe('{"cmd":"ls"}');
  });

  it("keeps consecutive text blocks in one message item, a part each, and opens a new one after a call", () => {
    const events = translateEvents([
      messageStart(),
      ...text(0, "a"),
      ...text(1, "b"),
      blockStart(2, { type: "tool_use", id: "toolu_1", name: "exec", input: {} }),
      blockStop(2),
      ...text(3, "c"),
      messageDelta("end_turn"),
      messageStop,
    ]);
    const added = ofType(events, "response.content_part.added").map((e) => [e.output_index, e.content_index]);
    expect(added).toEqual([
      [0, 0],
      [0, 1],
      [2, 0],
    ]);
    expect(ofType(events, "response.output_item.done").map((e) => e.item.id)).toEqual([
      "msg_01S_0",
      "fc_1",
      "msg_01S_2",
    ]);
  });

  it("closes a block whose index comes again before starting the new one", () => {
    const events = translateEvents([
      messageStart(),
      blockStart(0, { type: "tool_use", id: "toolu_1", name: "a", input: {} }),
      blockDelta(0, { type: "input_json_delta", partial_json: '{"x":1}' }),
      blockStart(0, { type: "tool_use", id: "toolu_2", name: "b", input: {} }),
      blockDelta(0, { type: "input_json_delta", partial_json: '{"y":2}' }),
      blockStop(0),
      messageStop,
    ]);
    const done = ofType(events, "response.output_item.done").map((e) => e.item);
    expect(done).toMatchObject([
      { call_id: "toolu_1", arguments: '{"x":1}' },
      { call_id: "toolu_2", arguments: '{"y":2}' },
    ]);
  });

  it("reports usage from message_start and the cumulative message_delta", () => {
    const events = translateEvents([
      messageStart("msg_01S", {
        input_tokens: 30,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 20,
        output_tokens: 1,
      }),
      ...text(0, "hi"),
      messageDelta("end_turn", { output_tokens: 12 }),
      messageStop,
    ]);
    const completed = last(events);
    expect(completed.type === "response.completed" && completed.response.usage).toEqual({
      input_tokens: 150,
      input_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 },
      output_tokens: 12,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 162,
    });
  });

  it("ends a response cut by max_tokens with response.incomplete", () => {
    const events = translateEvents([
      messageStart(),
      ...text(0, "Once"),
      messageDelta("max_tokens"),
      messageStop,
    ]);
    const end = last(events);
    expect(end.type).toBe("response.incomplete");
    expect("response" in end && end.response).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "max_output_tokens" },
    });
  });

  it("starts with response.created even when message_start never came", () => {
    const events = translateEvents([...text(0, "hi"), messageStop]);
    expect(events[0]?.type).toBe("response.created");
    expect("response" in events[0]! && events[0].response.id).toMatch(/^resp_[0-9a-f]{24}$/);
    const itemId = ofType(events, "response.output_item.added")[0]?.item.id;
    expect(itemId).toMatch(/^msg_[0-9a-f]{24}_0$/);
  });

  it("never changes an event once emitted, so events the commit gate holds stay as they were", () => {
    const translator = createStreamTranslator(CTX);
    const preamble = translator.push(messageStart());
    const added = translator.push(
      blockStart(0, { type: "tool_use", id: "toolu_1", name: "exec", input: {} }),
    );
    const frozen = structuredClone([...preamble, ...added]);
    translator.push(blockDelta(0, { type: "input_json_delta", partial_json: '{"cmd":"ls"}' }));
    translator.push(blockStop(0));
    translator.push(messageStop);
    expect([...preamble, ...added]).toEqual(frozen);
  });

  it("ignores ping, unknown events and anything after the end", () => {
    const translator = createStreamTranslator(CTX);
    translator.push(messageStart());
    expect(translator.push({ type: "ping" })).toEqual([]);
    expect(
      translator.push({ type: "content_block_delta", index: 5, delta: { type: "text_delta", text: "x" } }),
    ).toEqual([]);
    expect(translator.push("garbage")).toEqual([]);
    translator.push(messageStop);
    expect(translator.push(messageStart("msg_02"))).toEqual([]);
    expect(translator.end()).toEqual([]);
  });
});

describe("createStreamTranslator: custom tool calls", () => {
  const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+Grüße "quoted"\n*** End Patch\n';
  const request = {
    model: "gpt-5.5",
    input: "Add hello.txt",
    tools: [
      { type: "custom", name: "apply_patch", format: { type: "grammar", syntax: "lark", definition: "x" } },
      { type: "namespace", name: "ed", description: "Editing", tools: [{ type: "custom", name: "patch" }] },
    ],
  };
  const ctx = translateRequest(request, { upstreamModel: "claude-sonnet-4-5" }).ctx;
  /** The tool input's JSON in fragments of 7 characters: escapes and multi-byte text split across them. */
  const fragments = (json: string) =>
    Array.from({ length: Math.ceil(json.length / 7) }, (_, i) =>
      blockDelta(1, { type: "input_json_delta", partial_json: json.slice(i * 7, i * 7 + 7) }),
    );
  const callTurn = (name: string, json: string, input: Record<string, unknown> = {}) => [
    messageStart("msg_01C"),
    ...text(0, "Adding it."),
    blockStart(1, { type: "tool_use", id: "toolu_01P", name, input }),
    blockDelta(1, { type: "input_json_delta", partial_json: "" }),
    ...fragments(json),
    blockStop(1),
    messageDelta("tool_use"),
    messageStop,
  ];
  const call = { id: "ctc_01P", type: "custom_tool_call", call_id: "toolu_01P", name: "apply_patch" };

  it("streams a custom call's input once whole, decoded from the partial JSON, as custom_tool_call_input events", () => {
    const events = translateEvents(callTurn("apply_patch", JSON.stringify({ input: PATCH })), ctx);
    const ids = { item_id: "ctc_01P", output_index: 1 };
    expect(summarize(events).slice(-5)).toEqual([
      { type: "response.output_item.added", output_index: 1, item: { ...call, input: "" } },
      { type: "response.custom_tool_call_input.delta", ...ids, delta: PATCH },
      { type: "response.custom_tool_call_input.done", ...ids, input: PATCH },
      { type: "response.output_item.done", output_index: 1, item: { ...call, input: PATCH } },
      { type: "response.completed", status: "completed", output: 2 },
    ]);
    expect(events.some((e) => e.type.startsWith("response.function_call_arguments"))).toBe(false);
    const completed = last(events);
    if (completed.type !== "response.completed") throw new Error(completed.type);
    expect(completed.response.output[1]).toEqual({ ...call, input: PATCH });
  });

  it("streams a custom call with the same events the Chat Completions direction sends", () => {
    const args = JSON.stringify({ input: PATCH });
    const chatChunk = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({
      id: "chatcmpl-c",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta, finish_reason }],
    });
    const chat = chatDirection.createStreamTranslator(
      chatDirection.translateRequest(request as chatDirection.ResponsesRequest, { upstreamModel: "m" }).ctx,
    );
    const chatEvents = [
      chatChunk({ content: "Adding it." }),
      chatChunk({
        tool_calls: [
          {
            index: 0,
            id: "call_01P",
            type: "function",
            function: { name: "apply_patch", arguments: args.slice(0, 9) },
          },
        ],
      }),
      chatChunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(9) } }] }),
      chatChunk({}, "tool_calls"),
      { ...chatChunk({}), choices: [], usage: { prompt_tokens: 9, completion_tokens: 7, total_tokens: 16 } },
    ].flatMap((c) => chat.push(c));
    const anthropicEvents = translateEvents(callTurn("apply_patch", args), ctx);
    // The call's events, its ids aside (each direction derives them from its upstream's call id).
    const callEvents = (events: Array<Event | chatDirection.ResponsesStreamEvent>) =>
      events.flatMap(({ sequence_number: _, ...e }) => {
        if (!("output_index" in e) || e.output_index !== 1) return [];
        const { item_id: _id, ...rest } = e as Record<string, unknown>;
        const item = rest.item as Record<string, unknown> | undefined;
        return [item ? { ...rest, item: { ...item, id: "", call_id: "" } } : rest];
      });
    expect(callEvents(anthropicEvents)).toEqual(callEvents(chatEvents));
    expect(callEvents(anthropicEvents).map((e) => e.type)).toEqual([
      "response.output_item.added",
      "response.custom_tool_call_input.delta",
      "response.custom_tool_call_input.done",
      "response.output_item.done",
    ]);
  });

  it.each([
    [
      "a namespaced custom call by its name and namespace",
      "ed__patch",
      '{"input":"p"}',
      {},
      { name: "patch", namespace: "ed", input: "p" },
    ],
    [
      "the preset input of a tool_use block",
      "apply_patch",
      "",
      { input: "p" },
      { name: "apply_patch", input: "p" },
    ],
    [
      "a custom call without input an empty input, and no delta",
      "apply_patch",
      "",
      {},
      { name: "apply_patch", input: "" },
    ],
  ])("streams %s", (_, name, json, preset, expected) => {
    const events = translateEvents(callTurn(name, json, preset), ctx);
    expect(ofType(events, "response.output_item.done")[1]?.item).toMatchObject({
      type: "custom_tool_call",
      ...expected,
    });
    expect(ofType(events, "response.custom_tool_call_input.done")[0]?.input).toBe(expected.input);
    expect(ofType(events, "response.custom_tool_call_input.delta").map((e) => e.delta)).toEqual(
      expected.input === "" ? [] : [expected.input],
    );
  });
});

describe("createStreamTranslator: failures", () => {
  it("ends a stream with an upstream error in an error event, then response.failed", async () => {
    const events = await translateFixture("anthropic/stream-error.sse");
    const [error, failed] = events.slice(-2);
    expect(error).toEqual({
      type: "error",
      code: "server_error",
      message: "Overloaded",
      param: null,
      error: { type: "server_error", code: "server_error", message: "Overloaded", param: null },
      sequence_number: events.length - 2,
    });
    expect(failed?.type).toBe("response.failed");
    expect(failed && "response" in failed && failed.response).toMatchObject({
      id: "resp_01Hb3kGm7YzR5tVx2QpLs9Nc",
      status: "failed",
      error: { code: "server_error", message: "Overloaded" },
      output: [
        {
          type: "message",
          status: "in_progress",
          content: [{ type: "output_text", text: "Once upon a time" }],
        },
      ],
    });
  });

  it.each([
    ["overloaded_error", "Overloaded", "server_error", "server_error"],
    ["api_error", "Internal server error", "server_error", "server_error"],
    [
      "rate_limit_error",
      "Number of request tokens has exceeded your rate limit",
      "rate_limit_exceeded",
      "rate_limit_error",
    ],
    ["billing_error", "Your credit balance is too low", "insufficient_quota", "invalid_request_error"],
    [
      "invalid_request_error",
      "prompt is too long: 210000 tokens > 200000 maximum",
      "context_length_exceeded",
      "invalid_request_error",
    ],
    [
      "invalid_request_error",
      "messages.1: tool_use ids must be unique",
      "invalid_prompt",
      "invalid_request_error",
    ],
  ])("codes an Anthropic %s (%s) as %s", (anthropicType, message, code, type) => {
    const events = translateEvents([messageStart(), ...text(0, "x"), anthropicError(anthropicType, message)]);
    const [error, failed] = events.slice(-2);
    expect(error).toMatchObject({ type: "error", code, message, error: { type, code, message } });
    expect(failed && "response" in failed && failed.response.error).toEqual({ code, message });
  });

  it("ends a cut stream with response.failed at end()", async () => {
    const events = await translateFixture("anthropic/stream-cut.sse");
    expect(events.slice(-2).map((e) => e.type)).toEqual(["error", "response.failed"]);
    const failed = last(events);
    expect("response" in failed && failed.response.error?.message).toMatch(
      /ended before the response was complete/,
    );
  });

  it("fails a stream that errors before any content with a well-formed preamble first", () => {
    const events = translateEvents([anthropicError("overloaded_error", "Overloaded")]);
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "error",
      "response.failed",
    ]);
  });
});
