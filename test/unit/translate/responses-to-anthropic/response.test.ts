import type { Message } from "@anthropic-ai/sdk/resources/messages";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type ResponsesContext,
  translateRequest,
  translateResponse,
} from "../../../../src/translate/responses-to-anthropic/index.js";
import { fixtureJson } from "../openai-to-anthropic/fixtures.js";

const NOW = new Date("2026-12-01T12:00:00Z");
const CREATED = Math.floor(NOW.getTime() / 1000);
const CTX: ResponsesContext = { clientModel: "gpt-5-codex", upstreamModel: "claude-sonnet-4-5" };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

/** A message with the given content and the fields every test shares. */
function message(content: unknown[], fields: Partial<Message> = {}): Message {
  return {
    id: "msg_01Test",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5-20250929",
    content,
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    ...fields,
  } as Message;
}

describe("translateResponse: recorded messages", () => {
  it("turns thinking, text and a tool call into a reasoning, a message and a function_call item", async () => {
    const body = await fixtureJson<Message>("anthropic/message-tool-use.json");
    const snapshot = structuredClone(body);
    const response = translateResponse(body, CTX);
    expect(body).toEqual(snapshot);
    expect(response).toEqual({
      id: "resp_01XFDUDYJgAACzvnptvVoYEL",
      object: "response",
      created_at: CREATED,
      completed_at: CREATED,
      status: "completed",
      background: false,
      error: null,
      incomplete_details: null,
      instructions: null,
      metadata: {},
      model: "gpt-5-codex",
      output: [
        {
          id: "rs_01XFDUDYJgAACzvnptvVoYEL_0",
          type: "reasoning",
          summary: [{ type: "summary_text", text: "I need the weather in Paris." }],
        },
        {
          id: "msg_01XFDUDYJgAACzvnptvVoYEL_1",
          type: "message",
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: "Let me check the weather.", annotations: [] }],
        },
        {
          id: "fc_01A09q90qw90lq917835lq9",
          type: "function_call",
          status: "completed",
          call_id: "toolu_01A09q90qw90lq917835lq9",
          name: "get_weather",
          arguments: '{"location":"Paris","unit":"celsius"}',
        },
      ],
      parallel_tool_calls: true,
      previous_response_id: null,
      temperature: null,
      tool_choice: "auto",
      tools: [],
      top_p: null,
      usage: {
        input_tokens: 472 + 2048,
        input_tokens_details: { cached_tokens: 2048, cache_write_tokens: 0 },
        output_tokens: 89,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 472 + 2048 + 89,
      },
    });
  });

  it("keeps parallel tool calls in order, each with the tool_use id as call_id", async () => {
    const response = translateResponse(
      await fixtureJson<Message>("anthropic/message-parallel-tool-use.json"),
      CTX,
    );
    expect(
      response.output.map((item) => [item.type, item.type === "function_call" ? item.call_id : item.id]),
    ).toEqual([
      ["message", "msg_01Aq9w938a90dw8q_0"],
      ["function_call", "toolu_01A09q90qw90lq917835lq9"],
      ["function_call", "toolu_01B8Xm2Kq7Lp3Nz5Vw6Rt4Yc"],
    ]);
  });

  it("counts cache writes and reads into input_tokens, reads as cached_tokens", async () => {
    const response = translateResponse(
      await fixtureJson<Message>("anthropic/message-parallel-tool-use.json"),
      CTX,
    );
    expect(response.usage).toEqual({
      input_tokens: 402 + 120 + 2048,
      input_tokens_details: { cached_tokens: 2048, cache_write_tokens: 120 },
      output_tokens: 118,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 402 + 120 + 2048 + 118,
    });
  });

  it("shows a web search's answer as text, its server-tool blocks as nothing to run", async () => {
    const response = translateResponse(await fixtureJson<Message>("anthropic/message-web-search.json"), CTX);
    expect(response.output).toHaveLength(1);
    expect(response.output[0]).toMatchObject({ type: "message" });
    expect(response.output[0]?.type === "message" && response.output[0].content).toHaveLength(2);
  });

  it("writes cited text blocks as the parts of one message item", async () => {
    const response = translateResponse(await fixtureJson<Message>("anthropic/message-citations.json"), CTX);
    expect(response.output).toHaveLength(1);
    expect(response.output[0]?.type === "message" && response.output[0].content).toHaveLength(5);
  });
});

describe("translateResponse: items", () => {
  it("starts a new message item for text after a tool call", () => {
    const response = translateResponse(
      message([
        { type: "text", text: "First" },
        { type: "tool_use", id: "toolu_1", name: "exec", input: {} },
        { type: "text", text: "Then" },
      ]),
      CTX,
    );
    expect(response.output.map((item) => item.id)).toEqual(["msg_01Test_0", "fc_1", "msg_01Test_2"]);
  });

  it("gives a call without input the arguments {}", () => {
    const response = translateResponse(
      message([{ type: "tool_use", id: "toolu_1", name: "exec", input: {} }]),
      CTX,
    );
    expect(response.output[0]).toMatchObject({ arguments: "{}" });
  });

  it("leaves redacted thinking out and keeps an empty thinking's item without summary", () => {
    const response = translateResponse(
      message([
        { type: "redacted_thinking", data: "EmwKAhgB" },
        { type: "thinking", thinking: "", signature: "sig" },
        { type: "text", text: "Done" },
      ]),
      CTX,
    );
    expect(response.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    expect(response.output[0]).toEqual({ id: "rs_01Test_0", type: "reasoning", summary: [] });
  });

  it("names a namespaced call as the client declared it: its own name and its namespace", () => {
    const { ctx } = translateRequest(
      {
        model: "gpt-5-codex",
        input: "Search the docs",
        tools: [
          {
            type: "namespace",
            name: "mcp__docs__",
            description: "Docs",
            tools: [{ type: "function", name: "search" }],
          },
        ],
      },
      { upstreamModel: "claude-sonnet-4-5" },
    );
    const response = translateResponse(
      message([{ type: "tool_use", id: "toolu_1", name: "mcp__docs__search", input: { query: "milk" } }]),
      ctx,
    );
    expect(response.output[0]).toEqual({
      id: "fc_1",
      type: "function_call",
      status: "completed",
      call_id: "toolu_1",
      name: "search",
      namespace: "mcp__docs__",
      arguments: '{"query":"milk"}',
    });
    expect(response.tools).toHaveLength(1);
  });
});

describe("translateResponse: custom tool calls", () => {
  const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+Grüße "quoted"\n*** End Patch\n';
  const { ctx } = translateRequest(
    {
      model: "gpt-5.5",
      input: "Add hello.txt",
      tools: [
        { type: "function", name: "exec_command" },
        { type: "custom", name: "apply_patch", format: { type: "grammar", syntax: "lark", definition: "x" } },
        { type: "namespace", name: "ed", description: "Editing", tools: [{ type: "custom", name: "patch" }] },
      ],
    },
    { upstreamModel: "claude-sonnet-4-5" },
  );

  it("answers a custom tool's tool_use with a custom_tool_call item holding the input string", () => {
    const response = translateResponse(
      message(
        [
          { type: "text", text: "Adding it." },
          { type: "tool_use", id: "toolu_01P", name: "apply_patch", input: { input: PATCH } },
          { type: "tool_use", id: "toolu_01Q", name: "exec_command", input: { cmd: "ls" } },
        ],
        { stop_reason: "tool_use" },
      ),
      ctx,
    );
    expect(response.output.slice(1)).toEqual([
      { id: "ctc_01P", type: "custom_tool_call", call_id: "toolu_01P", name: "apply_patch", input: PATCH },
      {
        id: "fc_01Q",
        type: "function_call",
        status: "completed",
        call_id: "toolu_01Q",
        name: "exec_command",
        arguments: '{"cmd":"ls"}',
      },
    ]);
  });

  it("names a namespaced custom call by its own name and namespace", () => {
    const response = translateResponse(
      message([{ type: "tool_use", id: "toolu_01R", name: "ed__patch", input: { input: "p" } }]),
      ctx,
    );
    expect(response.output[0]).toEqual({
      id: "ctc_01R",
      type: "custom_tool_call",
      call_id: "toolu_01R",
      name: "patch",
      namespace: "ed",
      input: "p",
    });
  });

  it.each([
    ["no input at all", {}, ""],
    ["other fields than input, as JSON", { patch: "p" }, '{"patch":"p"}'],
  ])("gives a custom call with %s the input the tool can refuse", (_, input, expected) => {
    const response = translateResponse(
      message([{ type: "tool_use", id: "toolu_01S", name: "apply_patch", input }]),
      ctx,
    );
    expect(response.output[0]).toMatchObject({ type: "custom_tool_call", input: expected });
  });
});

describe("translateResponse: status", () => {
  it.each([
    ["end_turn", "completed", null],
    ["tool_use", "completed", null],
    ["stop_sequence", "completed", null],
    ["pause_turn", "completed", null],
    ["max_tokens", "incomplete", { reason: "max_output_tokens" }],
    ["model_context_window_exceeded", "incomplete", { reason: "max_output_tokens" }],
    ["refusal", "incomplete", { reason: "content_filter" }],
  ])("makes stop_reason %s a %s response", (stopReason, status, details) => {
    const response = translateResponse(
      message([{ type: "text", text: "x" }], { stop_reason: stopReason as Message["stop_reason"] }),
      CTX,
    );
    expect(response.status).toBe(status);
    expect(response.incomplete_details).toEqual(details);
    expect("completed_at" in response).toBe(status === "completed");
  });
});
