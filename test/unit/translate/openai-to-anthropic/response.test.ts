import type { Message } from "@anthropic-ai/sdk/resources/messages";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type OpenAIResponseContext,
  translateRequest,
  translateResponse,
} from "../../../../src/translate/openai-to-anthropic/index.js";
import { fixtureJson } from "./fixtures.js";

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

function message(overrides: Partial<Message> & Record<string, unknown>): Message {
  return {
    id: "msg_01XYZ",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5-20250929",
    content: [{ type: "text", text: "Hello!", citations: null }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
    ...overrides,
  } as unknown as Message;
}

describe("translateResponse", () => {
  it("turns a recorded parallel tool_use message into a chat.completion", async () => {
    const body = await fixtureJson<Message>("anthropic/message-parallel-tool-use.json");
    const snapshot = structuredClone(body);
    expect(translateResponse(body, CTX)).toEqual({
      id: "chatcmpl-01Aq9w938a90dw8q",
      object: "chat.completion",
      created: NOW.getTime() / 1000,
      model: "gpt-4.1",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "I'll look up the weather in San Francisco and Paris.",
            tool_calls: [
              {
                id: "toolu_01A09q90qw90lq917835lq9",
                type: "function",
                function: {
                  name: "get_weather",
                  arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
                },
              },
              {
                id: "toolu_01B8Xm2Kq7Lp3Nz5Vw6Rt4Yc",
                type: "function",
                function: { name: "get_weather", arguments: '{"location":"Paris, France","unit":"celsius"}' },
              },
            ],
            refusal: null,
          },
          logprobs: null,
          finish_reason: "tool_calls",
        },
      ],
      usage: {
        prompt_tokens: 402 + 2048 + 120,
        completion_tokens: 118,
        total_tokens: 402 + 2048 + 120 + 118,
        prompt_tokens_details: { cached_tokens: 2048, cache_write_tokens: 120 },
      },
    });
    expect(body).toEqual(snapshot);
  });

  it("exposes thinking as reasoning_content and drops the signature", async () => {
    const body = await fixtureJson<Message>("anthropic/message-thinking.json");
    const completion = translateResponse(body, CTX);
    const msg = completion.choices[0]?.message as unknown as Record<string, unknown>;
    expect(msg.reasoning_content).toBe("27 * 453 = 10800 + 1431 = 12231.");
    expect(msg.content).toBe("27 × 453 = **12,231**");
    expect(JSON.stringify(completion)).not.toContain("signature");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
  });

  it.each([
    { stop: "end_turn", tools: false, expected: "stop" },
    { stop: "stop_sequence", tools: false, expected: "stop" },
    { stop: "pause_turn", tools: false, expected: "stop" },
    { stop: "max_tokens", tools: false, expected: "length" },
    { stop: "model_context_window_exceeded", tools: false, expected: "length" },
    { stop: "tool_use", tools: true, expected: "tool_calls" },
    { stop: "refusal", tools: false, expected: "content_filter" },
    { stop: "end_turn", tools: true, expected: "tool_calls" },
    { stop: "max_tokens", tools: true, expected: "length" },
    { stop: "something_new", tools: false, expected: "stop" },
  ])("stop_reason $stop (tool calls: $tools) finishes as $expected", ({ stop, tools, expected }) => {
    const content = tools
      ? [{ type: "tool_use", id: "toolu_1", name: "f", input: {} }]
      : [{ type: "text", text: "x", citations: null }];
    const completion = translateResponse(message({ stop_reason: stop, content } as never), CTX);
    expect(completion.choices[0]?.finish_reason).toBe(expected);
  });

  it("gives a tool-only turn null content and {} arguments for empty input", () => {
    const completion = translateResponse(
      message({ content: [{ type: "tool_use", id: "toolu_1", name: "get_time", input: {} }] as never }),
      CTX,
    );
    const msg = completion.choices[0]?.message;
    expect(msg?.content).toBeNull();
    expect(msg?.tool_calls).toEqual([
      { id: "toolu_1", type: "function", function: { name: "get_time", arguments: "{}" } },
    ]);
  });

  it("joins several text blocks and leaves out tool_calls when there are none", () => {
    const completion = translateResponse(
      message({
        content: [
          { type: "text", text: "Hello, ", citations: null },
          { type: "text", text: "world.", citations: null },
        ],
      }),
      CTX,
    );
    expect(completion.choices[0]?.message).toEqual({
      role: "assistant",
      content: "Hello, world.",
      refusal: null,
    });
  });

  it("reports usage without cache fields as plain prompt tokens", () => {
    const completion = translateResponse(message({}), CTX);
    expect(completion.usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });

  it("maps a shortened tool name back to the client's name", () => {
    const long = `mcp__server__${"y".repeat(70)}`;
    const { toolNames } = translateRequest(
      {
        model: "m",
        messages: [{ role: "user", content: "hi" }],
        tools: [{ type: "function", function: { name: long } }],
      },
      { upstreamModel: "claude" },
    );
    const sent = toolNames.toUpstream(long);
    const completion = translateResponse(
      message({ content: [{ type: "tool_use", id: "toolu_1", name: sent, input: {} }] as never }),
      { ...CTX, toolNames },
    );
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === "function" ? call.function.name : undefined).toBe(long);
  });
});
