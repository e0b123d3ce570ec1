// Cross-dialect traffic through the real server, driven by the official SDKs, against
// mock upstreams that check requests as strictly as the real APIs do.
import type { ServerResponse } from "node:http";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import {
  anthropicSse,
  json,
  type MockUpstream,
  openaiSse,
  type RecordedRequest,
  sseChunks,
  startMockUpstream,
} from "../../helpers/mock-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";
import { anthropicRequestProblems, openaiRequestProblems } from "../../helpers/strict-upstreams.js";
import {
  anthropicMessage,
  anthropicTextEvents,
  openaiCompletion,
  openaiTextChunks,
} from "../../helpers/wire.js";

let upstream: MockUpstream | undefined;
let parley: TestParley | undefined;
afterEach(async () => {
  await parley?.close();
  await upstream?.close();
  parley = upstream = undefined;
});

type Answer = (req: RecordedRequest, res: ServerResponse, n: number) => void | Promise<void>;

/** A strict mock: refuses what the real API would refuse, otherwise answers. */
function strict(
  problems: (body: unknown) => string[],
  answer: Answer,
  dialect: "openai" | "anthropic",
): Answer {
  return (req, res, n) => {
    const found = problems(req.json);
    if (found.length > 0) {
      const message = found.join("; ");
      return json(
        res,
        400,
        dialect === "openai"
          ? { error: { message, type: "invalid_request_error", param: null, code: null } }
          : { type: "error", error: { type: "invalid_request_error", message } },
      );
    }
    return answer(req, res, n);
  };
}

const chunkBase = {
  id: "chatcmpl-tools",
  object: "chat.completion.chunk",
  created: 1741569952,
  model: "gpt-4.1",
};
const chunk = (delta: unknown, finish: string | null = null) => ({
  ...chunkBase,
  choices: [{ index: 0, delta, finish_reason: finish }],
});

/** Two parallel tool calls with arguments in fragments, as OpenAI streams them. */
const parallelToolCallChunks = [
  chunk({ role: "assistant", content: null }),
  chunk({
    tool_calls: [
      { index: 0, id: "call_weather_1", type: "function", function: { name: "get_weather", arguments: "" } },
    ],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
  chunk({
    tool_calls: [
      { index: 1, id: "call_time_2", type: "function", function: { name: "get_time", arguments: "" } },
    ],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty": "Par' } }] }),
  chunk({ tool_calls: [{ index: 1, function: { arguments: '{"tz":"CET"}' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: 'is"}' } }] }),
  chunk({}, "tool_calls"),
  { ...chunkBase, choices: [], usage: { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 } },
];

const anthropicTools: Anthropic.Tool[] = [
  {
    name: "get_weather",
    description: "Weather for a city",
    input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    cache_control: { type: "ephemeral" },
  },
  {
    name: "get_time",
    description: "Time in a zone",
    input_schema: { type: "object", properties: { tz: { type: "string" } } },
  },
];

describe("Anthropic client → OpenAI-compatible provider", () => {
  async function setup(answer: Answer) {
    upstream = await startMockUpstream(strict(openaiRequestProblems, answer, "openai"));
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-provider",
      PARLEY_MODEL_MAP: "claude-*=openai/gpt-4.1",
    });
    return new Anthropic({ baseURL: parley.url, apiKey: "client", maxRetries: 0 });
  }

  it("answers messages.create with translated text and usage", async () => {
    const client = await setup((_req, res) => json(res, 200, openaiCompletion()));
    const message = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      system: [{ type: "text", text: "You are terse.", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "hi" }],
      stop_sequences: ["END"],
      metadata: { user_id: "u-1" },
    });
    expect(message).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      content: [{ type: "text", text: "Hello from OpenAI" }],
      stop_reason: "end_turn",
      usage: { input_tokens: 19, output_tokens: 10 },
    });
    const sent = upstream!.requests[0]!.json;
    expect(sent.model).toBe("gpt-4.1");
    expect(sent.messages[0]).toEqual({ role: "system", content: "You are terse." });
    expect(sent.stop).toEqual(["END"]);
    expect(sent.user).toBe("u-1");
  });

  it("streams text with messages.stream().finalMessage()", async () => {
    const client = await setup((_req, res) => sseChunks(res, openaiSse(openaiTextChunks("Hello there"))));
    const message = await client.messages
      .stream({ model: "claude-haiku-4-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] })
      .finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "Hello there" }]);
    expect(message.usage.output_tokens).toBe(10);
    expect(message.usage.input_tokens).toBe(19);
    expect(upstream!.requests[0]!.json.stream_options).toEqual({ include_usage: true });
  });

  it("runs a multi-turn conversation with parallel streamed tool calls", async () => {
    const client = await setup((_req, res, n) => {
      if (n === 1) return sseChunks(res, openaiSse(parallelToolCallChunks), 2);
      return sseChunks(res, openaiSse(openaiTextChunks("Paris is sunny at 10:00")));
    });
    const first = await client.messages
      .stream({
        model: "claude-sonnet-4-5",
        max_tokens: 256,
        tools: anthropicTools,
        tool_choice: { type: "auto", disable_parallel_tool_use: false },
        messages: [{ role: "user", content: "Weather and time in Paris?" }],
      })
      .finalMessage();
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content).toEqual([
      { type: "tool_use", id: "call_weather_1", name: "get_weather", input: { city: "Paris" } },
      { type: "tool_use", id: "call_time_2", name: "get_time", input: { tz: "CET" } },
    ]);

    const second = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 256,
      tools: anthropicTools,
      messages: [
        { role: "user", content: "Weather and time in Paris?" },
        { role: "assistant", content: first.content as Anthropic.ContentBlockParam[] },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "call_weather_1", content: "sunny, 21°C" },
            { type: "tool_result", tool_use_id: "call_time_2", content: "clock unavailable", is_error: true },
            { type: "text", text: "Answer briefly." },
          ],
        },
      ],
      stream: true,
    });
    let text = "";
    for await (const event of second) {
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
    }
    expect(text).toBe("Paris is sunny at 10:00");
    const history = upstream!.requests[1]!.json.messages;
    expect(history.map((m: { role: string }) => m.role)).toEqual([
      "user",
      "assistant",
      "tool",
      "tool",
      "user",
    ]);
    expect(history[1]).toMatchObject({
      content: null,
      tool_calls: [{ id: "call_weather_1" }, { id: "call_time_2" }],
    });
    expect(JSON.parse(history[1].tool_calls[0].function.arguments)).toEqual({ city: "Paris" });
    expect(history[2]).toEqual({ role: "tool", tool_call_id: "call_weather_1", content: "sunny, 21°C" });
    expect(history[3].content).toMatch(/^Error: clock unavailable/);
  });

  it("synthesizes an Anthropic stream when the upstream ignores stream:true", async () => {
    const client = await setup((_req, res) => json(res, 200, openaiCompletion()));
    const message = await client.messages
      .stream({ model: "claude-x", max_tokens: 64, messages: [{ role: "user", content: "hi" }] })
      .finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "Hello from OpenAI" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBe(10);
  });

  it("keeps the upstream status and message on errors, in Anthropic's shape", async () => {
    const client = await setup((_req, res) =>
      json(res, 429, {
        error: {
          message: "Rate limit reached for gpt-4.1",
          type: "requests",
          param: null,
          code: "rate_limit_exceeded",
        },
      }),
    );
    const failure = await client.messages
      .create({ model: "claude-x", max_tokens: 5, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    expect((failure as InstanceType<typeof Anthropic.RateLimitError>).error).toMatchObject({
      type: "error",
      error: { type: "rate_limit_error", message: expect.stringContaining("Rate limit reached for gpt-4.1") },
    });
  });

  it("ends a stream cut mid-way with an Anthropic error event", async () => {
    const client = await setup((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`data: ${JSON.stringify(openaiTextChunks("partial")[1])}\n\n`);
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const stream = client.messages.stream({
      model: "claude-x",
      max_tokens: 5,
      messages: [{ role: "user", content: "hi" }],
    });
    await expect(stream.finalMessage()).rejects.toThrow();
    const raw = await fetch(`${parley!.url}/v1/messages`, {
      method: "POST",
      body: JSON.stringify({
        model: "claude-x",
        max_tokens: 5,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
    }).then((r) => r.text());
    expect(raw).toContain("event: error");
    expect(raw).not.toContain("event: message_stop");
  });

  it("turns an error object inside a 200 stream into an Anthropic error event", async () => {
    const client = await setup((_req, res) =>
      sseChunks(res, [
        'data: {"error":{"message":"model overloaded","type":"server_error","code":null}}\n\n',
      ]),
    );
    const failure = await client.messages
      .stream({ model: "claude-x", max_tokens: 5, messages: [{ role: "user", content: "hi" }] })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(String(failure)).toContain("model overloaded");
  });

  it("counts tokens locally for an OpenAI-compatible provider and says it is an estimate", async () => {
    const client = await setup((_req, res) => json(res, 500, {}));
    const res = await client.messages
      .countTokens({
        model: "claude-x",
        messages: [{ role: "user", content: "The quick brown fox jumps over the lazy dog" }],
      })
      .withResponse();
    expect(res.data.input_tokens).toBeGreaterThan(8);
    expect(res.data.input_tokens).toBeLessThan(30);
    expect(res.response.headers.get("x-parley-token-count")).toBe("estimate");
    expect(upstream!.requests).toHaveLength(0);
  });
});

describe("OpenAI client → Anthropic provider", () => {
  async function setup(answer: Answer) {
    upstream = await startMockUpstream(strict(anthropicRequestProblems, answer, "anthropic"));
    parley = await startTestParley({
      PARLEY_ANTHROPIC_BASE_URL: upstream.url,
      PARLEY_ANTHROPIC_API_KEY: "sk-ant-provider",
      PARLEY_MODEL_MAP: "gpt-*=anthropic/claude-sonnet-4-5",
    });
    return new OpenAI({ baseURL: `${parley.url}/v1`, apiKey: "client", maxRetries: 0 });
  }

  it("answers chat.completions.create with translated text and usage", async () => {
    const client = await setup((_req, res) => json(res, 200, anthropicMessage()));
    const completion = await client.chat.completions.create({
      model: "gpt-4.1",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "developer", content: "Use English." },
        { role: "user", content: "hi" },
      ],
      max_completion_tokens: 100,
      stop: "END",
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("gpt-4.1");
    expect(completion.choices[0]!.message.content).toBe("Hello from Anthropic");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 });
    const sent = upstream!.requests[0]!;
    expect(sent.url).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe("sk-ant-provider");
    expect(sent.json).toMatchObject({ model: "claude-sonnet-4-5", max_tokens: 100, stop_sequences: ["END"] });
    expect(sent.json.system).toContain("You are terse.");
    expect(sent.json.system).toContain("Use English.");
  });

  it("streams with chat.completions.stream().finalChatCompletion() and usage", async () => {
    const client = await setup((_req, res) =>
      sseChunks(res, anthropicSse(anthropicTextEvents("Hello there"))),
    );
    const completion = await client.chat.completions
      .stream({
        model: "gpt-4.1",
        messages: [{ role: "user", content: "hi" }],
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    expect(completion.choices[0]!.message.content).toBe("Hello there");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage?.completion_tokens).toBe(6);
  });

  it("runs a multi-turn conversation with parallel streamed tool calls", async () => {
    const toolEvents = [
      {
        type: "message_start",
        message: {
          ...anthropicMessage({ content: [], stop_reason: null }),
          usage: { input_tokens: 30, output_tokens: 1 },
        },
      },
      {
        type: "content_block_start",
        index: 0,
        content_block: { type: "tool_use", id: "toolu_01A", name: "get_weather", input: {} },
      },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: "" } },
      {
        type: "content_block_delta",
        index: 0,
        delta: { type: "input_json_delta", partial_json: '{"city": "Pa' },
      },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: 'ris"}' } },
      { type: "content_block_stop", index: 0 },
      {
        type: "content_block_start",
        index: 1,
        content_block: { type: "tool_use", id: "toolu_01B", name: "get_time", input: {} },
      },
      {
        type: "content_block_delta",
        index: 1,
        delta: { type: "input_json_delta", partial_json: '{"tz":"CET"}' },
      },
      { type: "content_block_stop", index: 1 },
      {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { output_tokens: 40 },
      },
      { type: "message_stop" },
    ];
    const client = await setup((_req, res, n) => {
      if (n === 1) return sseChunks(res, anthropicSse(toolEvents), 2);
      return json(res, 200, anthropicMessage({ content: [{ type: "text", text: "Sunny, 10:00" }] }));
    });
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: "function",
        function: {
          name: "get_weather",
          parameters: { type: "object", properties: { city: { type: "string" } } },
        },
      },
      {
        type: "function",
        function: {
          name: "get_time",
          parameters: { type: "object", properties: { tz: { type: "string" } } },
        },
      },
    ];
    const first = await client.chat.completions
      .stream({
        model: "gpt-4.1",
        tools,
        messages: [{ role: "user", content: "Weather and time in Paris?" }],
      })
      .finalChatCompletion();
    const calls = first.choices[0]!.message.tool_calls!;
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    expect(
      calls.map((c) => c.type === "function" && [c.id, c.function.name, JSON.parse(c.function.arguments)]),
    ).toEqual([
      ["toolu_01A", "get_weather", { city: "Paris" }],
      ["toolu_01B", "get_time", { tz: "CET" }],
    ]);

    const second = await client.chat.completions.create({
      model: "gpt-4.1",
      tools,
      messages: [
        { role: "user", content: "Weather and time in Paris?" },
        { role: "assistant", content: null, tool_calls: calls },
        { role: "tool", tool_call_id: "toolu_01A", content: "sunny" },
        { role: "tool", tool_call_id: "toolu_01B", content: "10:00" },
        { role: "user", content: "Answer briefly." },
      ],
    });
    expect(second.choices[0]!.message.content).toBe("Sunny, 10:00");
    const history = upstream!.requests[1]!.json.messages;
    expect(history.map((m: { role: string }) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(history[2].content.map((b: { type: string }) => b.type)).toEqual([
      "tool_result",
      "tool_result",
      "text",
    ]);
    expect(history[1].content[0]).toEqual({
      type: "tool_use",
      id: "toolu_01A",
      name: "get_weather",
      input: { city: "Paris" },
    });
  });

  it("synthesizes an OpenAI stream when the upstream ignores stream:true", async () => {
    const client = await setup((_req, res) => json(res, 200, anthropicMessage()));
    const completion = await client.chat.completions
      .stream({
        model: "gpt-4.1",
        messages: [{ role: "user", content: "hi" }],
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    expect(completion.choices[0]!.message.content).toBe("Hello from Anthropic");
    expect(completion.usage?.completion_tokens).toBe(6);
  });

  it("refuses n > 1 with a 400 that names the field", async () => {
    const client = await setup((_req, res) => json(res, 200, anthropicMessage()));
    const failure = await client.chat.completions
      .create({ model: "gpt-4.1", n: 2, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("n");
    expect(upstream!.requests).toHaveLength(0);
  });

  it("keeps the upstream status and message on errors, in OpenAI's shape", async () => {
    const client = await setup((_req, res) =>
      json(res, 529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }),
    );
    const failure = await client.chat.completions
      .create({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(529);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message).toContain("Overloaded");
  });

  it("ends a stream with an error chunk and [DONE] when Anthropic sends an error event", async () => {
    await setup((_req, res) =>
      sseChunks(
        res,
        anthropicSse([
          ...anthropicTextEvents("partial").slice(0, 4),
          { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
        ]),
      ),
    );
    const raw = await fetch(`${parley!.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "gpt-4.1", stream: true, messages: [{ role: "user", content: "hi" }] }),
    }).then((r) => r.text());
    const dataLines = raw.split("\n").filter((l) => l.startsWith("data: "));
    expect(JSON.parse(dataLines.at(-2)!.slice(6)).error.message).toContain("Overloaded");
    expect(dataLines.at(-1)).toBe("data: [DONE]");
  });
});
