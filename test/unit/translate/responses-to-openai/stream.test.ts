import { describe, expect, it } from "vitest";
import {
  createStreamTranslator,
  type ResponsesContext,
  type ResponsesRequest,
  type ResponsesStreamEvent,
} from "../../../../src/translate/responses-to-openai/index.js";
import { contextFor, readFixture, readJsonFixture, readSseChunks, replay, toSse } from "./fixtures.js";

const codex = () => readJsonFixture<ResponsesRequest>("responses/request-codex.json");

async function run(fixture: string, ctx?: ResponsesContext) {
  return replay(createStreamTranslator(ctx ?? contextFor(await codex())), await readSseChunks(fixture));
}

type Event<T extends ResponsesStreamEvent["type"]> = Extract<ResponsesStreamEvent, { type: T }>;

function ofType<T extends ResponsesStreamEvent["type"]>(events: ResponsesStreamEvent[], type: T): Event<T>[] {
  return events.filter((event): event is Event<T> => event.type === type);
}

function terminal(events: ResponsesStreamEvent[]) {
  const last = events.at(-1);
  if (!last || !("response" in last))
    throw new Error(`the stream ends with ${last?.type}, not a response event`);
  return last;
}

function chunk(delta: Record<string, unknown> | undefined, finish_reason: string | null = null, extra = {}) {
  return {
    id: "chatcmpl-s1",
    object: "chat.completion.chunk",
    created: 1_764_626_400,
    model: "m",
    choices: delta === undefined ? [] : [{ index: 0, delta, finish_reason }],
    ...extra,
  };
}

const usageChunk = chunk(undefined, null, {
  usage: { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107 },
});

describe("the Responses event sequence", () => {
  it("Codex's exec_command turn streams exactly as the fixture transcript", async () => {
    // Codex's first tool alone keeps the transcript readable: every Response in it echoes the tools.
    const request = {
      model: "gpt-5.1-codex",
      input: "read note.txt",
      stream: true,
      store: false,
      reasoning: { summary: "auto" },
      tools: [(await codex()).tools?.[0]],
      tool_choice: "auto",
      parallel_tool_calls: true,
    } as ResponsesRequest;
    const events = await run("responses/chat-stream-exec-command.sse", contextFor(request, "Qwen"));
    expect(toSse(events)).toBe(await readFixture("responses/responses-stream-exec-command.sse"));
  });

  it("numbers every event from 0 up, one by one", async () => {
    for (const fixture of [
      "responses/chat-stream-exec-command.sse",
      "responses/chat-stream-parallel-namespace.sse",
      "openai/stream-error-in-200.sse",
      "openai/stream-cut.sse",
    ]) {
      const events = await run(fixture);
      expect(
        events.map((e) => e.sequence_number),
        fixture,
      ).toEqual(events.map((_, i) => i));
    }
  });

  it("opens with response.created and response.in_progress, alone, before any content", async () => {
    const translator = createStreamTranslator(contextFor(await codex()));
    const first = translator.push(chunk({ role: "assistant", content: "" }));
    expect(first.map((e) => e.type)).toEqual(["response.created", "response.in_progress"]);
    for (const event of first) {
      expect(event).toMatchObject({
        response: { status: "in_progress", output: [], model: "gpt-5.1-codex" },
      });
    }
    expect(translator.push(chunk({ content: "Hi" }))[0]?.type).toBe("response.output_item.added");
  });

  it("parallel calls with fragments interleaved across indexes stream into their own items (edge 1)", async () => {
    const events = await run("responses/chat-stream-parallel-namespace.sse");
    const deltas = ofType(events, "response.function_call_arguments.delta").map((e) => [
      e.output_index,
      e.item_id,
      e.delta,
    ]);
    expect(deltas).toEqual([
      [0, "fc_Dq7Hs2Kx9Lm4Np6Rt8Vw0Yz", '{"query":'],
      [1, "fc_Fb3Jt5Mv7Pq9Sx1Uz3Wc5Ye7", '{"cmd":"ls'],
      [0, "fc_Dq7Hs2Kx9Lm4Np6Rt8Vw0Yz", ' "sandbox modes"}'],
      [1, "fc_Fb3Jt5Mv7Pq9Sx1Uz3Wc5Ye7", ' -la"}'],
    ]);
    expect(
      ofType(events, "response.function_call_arguments.done").map((e) => [
        e.output_index,
        e.name,
        e.arguments,
      ]),
    ).toEqual([
      [0, "search", '{"query": "sandbox modes"}'],
      [1, "exec_command", '{"cmd":"ls -la"}'],
    ]);
    // The namespaced call is named as the client declared it, from its first event on.
    expect(ofType(events, "response.output_item.added")[0]?.item).toMatchObject({
      type: "function_call",
      name: "search",
      namespace: "mcp__docs__",
      call_id: "call_Dq7Hs2Kx9Lm4Np6Rt8Vw0Yz",
    });
    expect(terminal(events)).toMatchObject({ type: "response.completed", response: { status: "completed" } });
  });

  it("calls that share index 0 are told apart by their ids (edge 2)", async () => {
    const events = await run("openai/stream-colliding-index.sse");
    const done = ofType(events, "response.output_item.done").map((e) => e.item);
    expect(done).toMatchObject([
      {
        type: "function_call",
        call_id: "chatcmpl-tool-4e1f0d6a",
        arguments: '{"command": "git status", "description": "Show status"}',
      },
      { type: "function_call", call_id: "chatcmpl-tool-9b2c7e13", arguments: '{"command": "git log -3"}' },
    ]);
    expect(done.map((item) => item.id)).toEqual(["fc_chatcmpl-tool-4e1f0d6a", "fc_chatcmpl-tool-9b2c7e13"]);
  });

  it("a call with no arguments gets {} as its one delta, and its odd id is kept as call_id (edges 3, 18)", async () => {
    const events = await run("openai/stream-tool-no-arguments.sse");
    const call = ofType(events, "response.output_item.done").at(-1)?.item;
    expect(call).toMatchObject({
      type: "function_call",
      call_id: "functions.GetTime:0",
      id: "fc_functionsGetTime0",
      arguments: "{}",
    });
    expect(ofType(events, "response.function_call_arguments.delta").map((e) => e.delta)).toEqual(["{}"]);
    // finish_reason "stop" after tool calls still completes normally.
    expect(terminal(events).type).toBe("response.completed");
  });

  it.each([
    ["openai/stream-reasoning.sse", "DeepSeek's reasoning_content"],
    ["openai/stream-openrouter-reasoning.sse", "OpenRouter's reasoning"],
  ])("%s: %s becomes a reasoning item with summary events", async (fixture) => {
    const events = await run(fixture);
    const types = events.map((e) => e.type);
    const start = types.indexOf("response.reasoning_summary_part.added");
    expect(start).toBeGreaterThan(0);
    expect(types.slice(start - 1, start + 2)).toEqual([
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
    ]);
    const deltas = ofType(events, "response.reasoning_summary_text.delta")
      .map((e) => e.delta)
      .join("");
    const done = ofType(events, "response.reasoning_summary_text.done")[0];
    expect(done?.text).toBe(deltas);
    expect(terminal(events).response.output[0]).toEqual({
      id: done?.item_id,
      type: "reasoning",
      summary: [{ type: "summary_text", text: deltas }],
    });
  });

  it("a reply cut by the token limit ends in response.incomplete, with its UTF-8 text whole", async () => {
    const events = await run("responses/chat-stream-length.sse");
    const end = terminal(events);
    expect(end.type).toBe("response.incomplete");
    expect(end.response).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "max_output_tokens" },
    });
    expect(end.response.output).toEqual([
      {
        id: "msg_chatcmpl-4f7a2c9e0b1d3e5f",
        type: "message",
        status: "incomplete",
        content: [
          {
            type: "output_text",
            annotations: [],
            logprobs: [],
            text: "note.txt says: “Parley says hello from note.txt” — that’s all 👋",
          },
        ],
        role: "assistant",
      },
    ]);
    expect(end.response.usage).toMatchObject({
      input_tokens: 5230,
      input_tokens_details: { cached_tokens: 5120 },
    });
  });

  it("response.completed carries usage with cached and reasoning tokens (edges 5, 30)", async () => {
    const events = await run("responses/chat-stream-exec-command.sse");
    expect(terminal(events).response.usage).toEqual({
      input_tokens: 5120,
      input_tokens_details: { cached_tokens: 4096, cache_write_tokens: 0 },
      output_tokens: 42,
      output_tokens_details: { reasoning_tokens: 17 },
      total_tokens: 5162,
    });
  });

  it("waits after the finish chunk for the usage chunk, and completes without usage if none comes", async () => {
    const translator = createStreamTranslator(contextFor(await codex()));
    translator.push(chunk({ role: "assistant", content: "Done" }));
    const atFinish = translator.push(chunk({}, "stop"));
    expect(atFinish.map((e) => e.type)).not.toContain("response.completed");
    expect(atFinish.at(-1)?.type).toBe("response.output_item.done");
    const end = terminal(translator.end());
    expect(end.type).toBe("response.completed");
    expect(end.response).not.toHaveProperty("usage");
  });

  it("a finish chunk that carries usage completes at once", async () => {
    const translator = createStreamTranslator(contextFor(await codex()));
    translator.push(chunk({ content: "Done" }));
    const out = translator.push(
      chunk({}, "stop", { usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }),
    );
    expect(out.at(-1)).toMatchObject({
      type: "response.completed",
      response: { usage: { total_tokens: 4 } },
    });
    expect(translator.end()).toEqual([]);
    expect(translator.push(chunk({ content: "late" }))).toEqual([]);
  });

  it("whitespace before a tool call opens no message item", async () => {
    const translator = createStreamTranslator(contextFor(await codex()));
    const events = replay(translator, [
      chunk({ role: "assistant", content: "" }),
      chunk({ content: "\n\n" }),
      chunk({
        tool_calls: [
          {
            index: 0,
            id: "call_w",
            type: "function",
            function: { name: "exec_command", arguments: '{"cmd":"pwd"}' },
          },
        ],
      }),
      chunk({}, "tool_calls"),
      usageChunk,
    ]);
    expect(terminal(events).response.output.map((item) => item.type)).toEqual(["function_call"]);
  });

  it("a refusal streams as a refusal part", async () => {
    const events = replay(createStreamTranslator(contextFor(await codex())), [
      chunk({ role: "assistant", content: null, refusal: "I can't" }),
      chunk({ refusal: " help with that." }),
      chunk({}, "stop"),
      usageChunk,
    ]);
    expect(ofType(events, "response.refusal.delta").map((e) => e.delta)).toEqual([
      "I can't",
      " help with that.",
    ]);
    expect(ofType(events, "response.refusal.done")[0]?.refusal).toBe("I can't help with that.");
    expect(terminal(events).response.output[0]).toMatchObject({
      content: [{ type: "refusal", refusal: "I can't help with that." }],
    });
  });

  it("a custom tool's input is streamed once whole, out of its function form", async () => {
    const ctx = contextFor({
      model: "gpt-5.1-codex",
      input: "patch",
      tools: [{ type: "custom", name: "apply_patch" }],
    } as ResponsesRequest);
    const events = replay(createStreamTranslator(ctx), [
      chunk({
        tool_calls: [
          {
            index: 0,
            id: "call_p",
            type: "function",
            function: { name: "apply_patch", arguments: '{"input":"*** Begin' },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: ' Patch"}' } }] }),
      chunk({}, "tool_calls"),
      usageChunk,
    ]);
    expect(events.slice(2, -1).map((e) => e.type)).toEqual([
      "response.output_item.added",
      "response.custom_tool_call_input.delta",
      "response.custom_tool_call_input.done",
      "response.output_item.done",
    ]);
    expect(ofType(events, "response.output_item.done")[0]?.item).toEqual({
      id: "ctc_p",
      type: "custom_tool_call",
      call_id: "call_p",
      input: "*** Begin Patch",
      name: "apply_patch",
    });
  });

  it("a long namespaced tool name maps back to its name and namespace (edge 17)", async () => {
    const namespace = "mcp__plugin_github_enterprise_server__";
    const name = "list_pull_request_review_comments_for_repository";
    const ctx = contextFor({
      model: "m",
      input: "x",
      tools: [{ type: "namespace", name: namespace, tools: [{ type: "function", name }] }],
    } as ResponsesRequest);
    const upstream = ctx.toolNames.toUpstream({ name, namespace });
    expect(upstream.length).toBeLessThanOrEqual(64);
    const events = replay(createStreamTranslator(ctx), [
      chunk({
        tool_calls: [
          { index: 0, id: "call_g", type: "function", function: { name: upstream, arguments: "{}" } },
        ],
      }),
      chunk({}, "tool_calls"),
      usageChunk,
    ]);
    expect(ofType(events, "response.output_item.done")[0]?.item).toMatchObject({ name, namespace });
  });

  it("a call whose name never arrives is still shown when the turn ends, after the text", async () => {
    const events = replay(createStreamTranslator(contextFor(await codex())), [
      chunk({ content: "Running it." }),
      chunk({ tool_calls: [{ index: 0, id: "call_x", function: { arguments: '{"cmd":"ls"}' } }] }),
      chunk({}, "tool_calls"),
      usageChunk,
    ]);
    expect(terminal(events).response.output).toMatchObject([
      { type: "message", status: "completed" },
      { type: "function_call", name: "", call_id: "call_x", arguments: '{"cmd":"ls"}', status: "completed" },
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  });

  it("ignores payloads that are not chunks", async () => {
    const translator = createStreamTranslator(contextFor(await codex()));
    expect([null, 42, "[DONE]", []].flatMap((junk) => translator.push(junk))).toEqual([]);
  });
});

describe("failures", () => {
  it("an error inside a 200 stream ends with an error event and response.failed (edge 21)", async () => {
    const events = await run("openai/stream-error-in-200.sse");
    expect(events.slice(-2)).toEqual([
      {
        type: "error",
        sequence_number: events.length - 2,
        code: "server_error",
        message: "Provider returned error (upstream connect error or disconnect/reset before headers)",
        param: null,
        error: {
          type: "server_error",
          code: "server_error",
          message: "Provider returned error (upstream connect error or disconnect/reset before headers)",
          param: null,
        },
      },
      expect.objectContaining({ type: "response.failed" }),
    ]);
    const failed = terminal(events).response;
    expect(failed).toMatchObject({
      status: "failed",
      error: { code: "server_error", message: expect.stringContaining("Provider returned error") },
    });
    // The text streamed so far never became a finished item: nothing claims completion.
    expect(failed.output).toEqual([]);
    expect(events.map((e) => e.type)).not.toContain("response.completed");
  });

  it.each([
    {
      name: "a code string",
      error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" },
      code: "rate_limit_exceeded",
      type: "requests",
    },
    {
      name: "a numeric code read as a status",
      error: { message: "Too many requests", code: 429 },
      code: "rate_limit_exceeded",
      type: "rate_limit_error",
    },
    {
      name: "OpenAI's context-length code",
      error: { message: "context too long", type: "invalid_request_error", code: "context_length_exceeded" },
      code: "context_length_exceeded",
      type: "invalid_request_error",
    },
    {
      name: "a type and no code",
      error: { message: "quota", type: "insufficient_quota" },
      code: "insufficient_quota",
      type: "insufficient_quota",
    },
  ])("an upstream error with $name names the code Codex acts on: $code", async ({ error, code, type }) => {
    const translator = createStreamTranslator(contextFor(await codex()));
    const events = translator.push({ error });
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "error",
      "response.failed",
    ]);
    expect(events[2]).toMatchObject({ code, error: { code, type } });
    expect(terminal(events).response.error).toEqual({ code, message: error.message });
  });

  it("a stream that stops without a finish reason fails instead of completing (truncated stream)", async () => {
    const events = await run("openai/stream-cut.sse");
    expect(events.slice(-2).map((e) => e.type)).toEqual(["error", "response.failed"]);
    expect(terminal(events).response.error).toEqual({
      code: "server_error",
      message: expect.stringContaining("ended before the response was complete"),
    });
  });

  it("a failure the caller reports (timeout, dropped connection) ends the stream the same way, once", async () => {
    const translator = createStreamTranslator(contextFor(await codex()));
    translator.push(chunk({ content: "partial" }));
    const events = translator.fail({ status: 504, message: "the upstream stopped sending (idle 300 s)" });
    expect(events.map((e) => e.type)).toEqual(["error", "response.failed"]);
    expect(events[0]).toMatchObject({ code: "server_error", error: { type: "timeout" } });
    expect(translator.fail({ status: 500, message: "again" })).toEqual([]);
    expect(translator.end()).toEqual([]);
  });

  it("an upstream that sends nothing still gets a well-formed failed stream", async () => {
    const events = createStreamTranslator(contextFor(await codex())).end();
    expect(events.map((e) => [e.sequence_number, e.type])).toEqual([
      [0, "response.created"],
      [1, "response.in_progress"],
      [2, "error"],
      [3, "response.failed"],
    ]);
  });
});
