import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../../src/core/errors.js";
import {
  type OpenAIToAnthropicRequestOptions,
  translateRequest,
} from "../../../../src/translate/openai-to-anthropic/index.js";
import { fixtureJson } from "./fixtures.js";

const OPTIONS: OpenAIToAnthropicRequestOptions = { upstreamModel: "claude-sonnet-4-5" };
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/** Translates a request body written as a plain object (tests send shapes the SDK types forbid). */
function translate(body: Record<string, unknown>, options: Partial<OpenAIToAnthropicRequestOptions> = {}) {
  return translateRequest({ model: "gpt-4.1", ...body } as never, { ...OPTIONS, ...options });
}

function bodyOf(body: Record<string, unknown>, options: Partial<OpenAIToAnthropicRequestOptions> = {}) {
  return translate(body, options).body as unknown as Record<string, unknown> & {
    messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
  };
}

function invalidRequest(run: () => unknown): InvalidRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error("expected an InvalidRequestError");
}

const USER = { role: "user", content: "Hi" };

describe("translateRequest: a recorded multi-turn tool conversation", () => {
  it("becomes the Anthropic request with system, alternating turns and merged tool results", async () => {
    const request = await fixtureJson<Record<string, unknown>>("openai/request-multi-turn-tools.json");
    const snapshot = structuredClone(request);
    const { body, includeUsage } = translate(request);

    const sanitized = (body.messages[1]!.content as Array<{ id: string }>)[1]?.id;
    expect(sanitized).toMatch(/^functions_get_weather_1_[0-9a-f]{8}$/);
    expect(body).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      system: "You are a concise travel assistant.\n\nAlways answer in metric units.",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What's the weather like in the two cities on this postcard?" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
          ],
        },
        {
          role: "assistant",
          content: [
            {
              type: "tool_use",
              id: "call_Vx2mQ8pL4nR7tK1sY9wB3cZd",
              name: "get_weather",
              input: { location: "San Francisco, CA", unit: "celsius" },
            },
            {
              type: "tool_use",
              id: sanitized,
              name: "get_weather",
              input: { location: "Paris, France", unit: "celsius" },
            },
          ],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "call_Vx2mQ8pL4nR7tK1sY9wB3cZd",
              content: '{"temperature":18,"conditions":"fog"}',
            },
            {
              type: "tool_result",
              tool_use_id: sanitized,
              content: [{ type: "text", text: '{"temperature":24,"conditions":"sunny"}' }],
            },
            { type: "text", text: "Which one is warmer?" },
          ],
        },
      ],
      tools: [
        {
          name: "get_weather",
          description: "Get the current weather in a given location",
          input_schema: {
            type: "object",
            properties: {
              location: { type: "string", description: "The city and state, e.g. San Francisco, CA" },
              unit: { type: "string", enum: ["celsius", "fahrenheit"] },
            },
            required: ["location"],
            additionalProperties: false,
          },
        },
      ],
      tool_choice: { type: "auto" },
      temperature: 0.7,
      metadata: { user_id: "user-4821" },
      stream: true,
    });
    expect(includeUsage).toBe(true);
    expect(request).toEqual(snapshot);
  });
});

describe("translateRequest: system prompt", () => {
  it.each([
    {
      name: "a system string",
      messages: [{ role: "system", content: "Be brief." }, USER],
      system: "Be brief.",
    },
    {
      name: "system and developer messages joined with blank lines",
      messages: [
        { role: "system", content: "Be brief." },
        {
          role: "developer",
          content: [
            { type: "text", text: "Use metric." },
            { type: "text", text: "No emoji." },
          ],
        },
        USER,
      ],
      system: "Be brief.\n\nUse metric.\n\nNo emoji.",
    },
    {
      name: "a system message placed after the first user turn",
      messages: [USER, { role: "developer", content: "Answer in French." }],
      system: "Answer in French.",
    },
    { name: "no system message at all", messages: [USER], system: undefined },
    {
      name: "an empty system message",
      messages: [{ role: "system", content: "  " }, USER],
      system: undefined,
    },
  ])("$name", ({ messages, system }) => {
    const body = bodyOf({ messages });
    expect(body.system).toEqual(system);
    expect(body.messages.every((m) => m.role !== "system")).toBe(true);
  });

  it("keeps a prompt-cache breakpoint as cache_control on a system block", () => {
    const body = bodyOf({
      messages: [
        {
          role: "system",
          content: [{ type: "text", text: "Long manual.", prompt_cache_breakpoint: { mode: "explicit" } }],
        },
        { role: "system", content: "Be brief." },
        USER,
      ],
    });
    expect(body.system).toEqual([
      { type: "text", text: "Long manual.", cache_control: { type: "ephemeral" } },
      { type: "text", text: "Be brief." },
    ]);
  });

  it("keeps only the latest four cache breakpoints", () => {
    const marked = (text: string) => ({
      role: "user",
      content: [{ type: "text", text, prompt_cache_breakpoint: { mode: "explicit" } }],
    });
    const messages = ["a", "b", "c", "d", "e", "f"].flatMap((t) => [
      marked(t),
      { role: "assistant", content: "ok" },
    ]);
    const body = bodyOf({ messages: [...messages, USER] });
    const cached = body.messages.flatMap((m) => m.content.filter((b) => b.cache_control).map((b) => b.text));
    expect(cached).toEqual(["c", "d", "e", "f"]);
  });
});

describe("translateRequest: turns", () => {
  it("merges consecutive tool messages into one user turn, tool results first", () => {
    const body = bodyOf({
      messages: [
        USER,
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "a", arguments: "{}" } },
            { id: "call_2", type: "function", function: { name: "b", arguments: "{}" } },
          ],
        },
        { role: "user", content: "Also, hurry." },
        { role: "tool", tool_call_id: "call_1", content: "one" },
        { role: "tool", tool_call_id: "call_2", content: "two" },
      ],
    });
    expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(body.messages[2]?.content).toEqual([
      { type: "tool_result", tool_use_id: "call_1", content: "one" },
      { type: "tool_result", tool_use_id: "call_2", content: "two" },
      { type: "text", text: "Also, hurry." },
    ]);
  });

  it("merges consecutive same-role messages so the turns alternate", () => {
    const body = bodyOf({
      messages: [
        { role: "user", content: "First." },
        { role: "user", content: [{ type: "text", text: "Second." }] },
        { role: "assistant", content: "A." },
        { role: "assistant", content: "B." },
        { role: "user", content: "Third." },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "First." },
          { type: "text", text: "Second." },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: "A." },
          { type: "text", text: "B." },
        ],
      },
      { role: "user", content: [{ type: "text", text: "Third." }] },
    ]);
  });

  it.each([
    { name: "null content", content: null },
    { name: "empty content", content: "" },
    { name: "whitespace content", content: " \n" },
    { name: "an empty text part", content: [{ type: "text", text: "" }] },
  ])("a tool-only assistant turn with $name has no text block", ({ content }) => {
    const body = bodyOf({
      messages: [
        USER,
        {
          role: "assistant",
          content,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "ls", arguments: '{"path":"."}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "a.txt" },
      ],
    });
    expect(body.messages[1]?.content).toEqual([
      { type: "tool_use", id: "call_1", name: "ls", input: { path: "." } },
    ]);
  });

  it("drops an empty user message instead of sending an empty text block", () => {
    const body = bodyOf({
      messages: [USER, { role: "assistant", content: "Yes?" }, { role: "user", content: "" }],
    });
    expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("drops assistant reasoning_content, which carries no signature", () => {
    const body = bodyOf({
      messages: [
        USER,
        { role: "assistant", content: "Hello!", reasoning_content: "The user greets me." },
        { role: "user", content: "Bye" },
      ],
    });
    expect(body.messages[1]).toEqual({ role: "assistant", content: [{ type: "text", text: "Hello!" }] });
    expect(JSON.stringify(body)).not.toContain("thinking");
  });

  it("trims trailing whitespace from a final assistant prefill", () => {
    const body = bodyOf({ messages: [USER, { role: "assistant", content: "The answer is " }] });
    expect(body.messages[1]?.content).toEqual([{ type: "text", text: "The answer is" }]);
  });

  it.each([
    { name: "empty arguments", args: "", input: {} },
    { name: "whitespace arguments", args: "  ", input: {} },
    { name: "an empty object", args: "{}", input: {} },
    { name: "nested arguments", args: '{"a":{"b":[1,2]}}', input: { a: { b: [1, 2] } } },
  ])("tool call with $name becomes its input object", ({ args, input }) => {
    const body = bodyOf({
      messages: [
        USER,
        {
          role: "assistant",
          tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: args } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "done" },
      ],
    });
    expect(body.messages[1]?.content[0]?.input).toEqual(input);
  });

  it("sanitizes foreign tool ids the same way in tool_use and tool_result", () => {
    const ids = ["functions.Bash:0", "call 1/2", "toolu_01ABC"];
    const body = bodyOf({
      messages: [
        USER,
        {
          role: "assistant",
          tool_calls: ids.map((id) => ({
            id,
            type: "function",
            function: { name: "Bash", arguments: "{}" },
          })),
        },
        ...ids.map((id) => ({ role: "tool", tool_call_id: id, content: "ok" })),
      ],
    });
    const useIds = body.messages[1]?.content.map((b) => b.id);
    const resultIds = body.messages[2]?.content.map((b) => b.tool_use_id);
    expect(useIds).toEqual(resultIds);
    expect(useIds?.[2]).toBe("toolu_01ABC");
    for (const id of useIds ?? []) expect(id).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(new Set(useIds).size).toBe(3);
  });

  it("omits the content of an empty tool result", () => {
    const body = bodyOf({
      messages: [
        USER,
        {
          role: "assistant",
          tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "c", content: "" },
      ],
    });
    expect(body.messages[2]?.content).toEqual([{ type: "tool_result", tool_use_id: "c" }]);
  });
});

describe("translateRequest: user content parts", () => {
  it.each([
    {
      name: "a data URL image becomes a base64 source",
      part: { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
      block: { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
    },
    {
      name: "an image/jpg data URL is sent as image/jpeg",
      part: { type: "image_url", image_url: { url: "data:image/jpg;base64,/9j/4AAQ" } },
      block: { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } },
    },
    {
      name: "an https image becomes a url source",
      part: { type: "image_url", image_url: { url: "https://example.com/cat.webp", detail: "low" } },
      block: { type: "image", source: { type: "url", url: "https://example.com/cat.webp" } },
    },
    {
      name: "a PDF file becomes a base64 document with its title",
      part: {
        type: "file",
        file: { filename: "report.pdf", file_data: "data:application/pdf;base64,JVBERi0x" },
      },
      block: {
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: "JVBERi0x" },
        title: "report.pdf",
      },
    },
    {
      name: "bare base64 file data is taken as a PDF",
      part: { type: "file", file: { file_data: "JVBERi0x" } },
      block: {
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: "JVBERi0x" },
      },
    },
    {
      name: "a plain-text file becomes a text document",
      part: { type: "file", file: { file_data: "data:text/plain;base64,aGVsbG8=" } },
      block: { type: "document", source: { type: "text", media_type: "text/plain", data: "hello" } },
    },
  ])("$name", ({ part, block }) => {
    const body = bodyOf({ messages: [{ role: "user", content: [{ type: "text", text: "Look:" }, part] }] });
    expect(body.messages[0]?.content).toEqual([{ type: "text", text: "Look:" }, block]);
  });

  it.each([
    {
      name: "audio input",
      part: { type: "input_audio", input_audio: { data: "UklGR", format: "wav" } },
      param: "messages[0].content[1].input_audio",
    },
    {
      name: "an OpenAI file id",
      part: { type: "file", file: { file_id: "file-abc123" } },
      param: "messages[0].content[1].file.file_data",
    },
    {
      name: "an SVG image",
      part: { type: "image_url", image_url: { url: "data:image/svg+xml;base64,PHN2Zz4=" } },
      param: "messages[0].content[1].image_url.url",
    },
    {
      name: "an ftp image URL",
      part: { type: "image_url", image_url: { url: "ftp://example.com/cat.png" } },
      param: "messages[0].content[1].image_url.url",
    },
    {
      name: "an unknown part type",
      part: { type: "video_url", video_url: { url: "https://example.com/v.mp4" } },
      param: "messages[0].content[1].type",
    },
  ])("refuses $name, naming the field", ({ part, param }) => {
    const error = invalidRequest(() =>
      translate({ messages: [{ role: "user", content: [{ type: "text", text: "Hi" }, part] }] }),
    );
    expect(error.param).toBe(param);
    expect(error.message).toContain(param);
    expect(error.status).toBe(400);
  });
});

describe("translateRequest: refusals that name the field", () => {
  it.each([
    {
      name: "unparseable tool-call arguments",
      body: {
        messages: [
          USER,
          { role: "assistant", content: "x" },
          { role: "user", content: "y" },
          {
            role: "assistant",
            tool_calls: [
              { id: "a", type: "function", function: { name: "f", arguments: "{}" } },
              { id: "b", type: "function", function: { name: "f", arguments: '{"path": "/tm' } },
            ],
          },
        ],
      },
      param: "messages[3].tool_calls[1].function.arguments",
    },
    {
      name: "arguments that are not an object",
      body: {
        messages: [
          USER,
          { role: "assistant", tool_calls: [{ id: "a", function: { name: "f", arguments: "[1]" } }] },
        ],
      },
      param: "messages[1].tool_calls[0].function.arguments",
    },
    { name: "n above 1", body: { messages: [USER], n: 3 }, param: "n" },
    {
      name: "the deprecated function role",
      body: { messages: [USER, { role: "function", name: "f", content: "x" }] },
      param: "messages[1].role",
    },
    {
      name: "the deprecated functions list",
      body: { messages: [USER], functions: [{ name: "f", parameters: {} }] },
      param: "functions",
    },
    {
      name: "a custom tool",
      body: { messages: [USER], tools: [{ type: "custom", custom: { name: "grammar" } }] },
      param: "tools[0].type",
    },
    {
      name: "a tool message without tool_call_id",
      body: { messages: [USER, { role: "tool", content: "x" }] },
      param: "messages[1].tool_call_id",
    },
    { name: "a negative max_tokens", body: { messages: [USER], max_tokens: -5 }, param: "max_tokens" },
    {
      name: "no messages with content",
      body: { messages: [{ role: "system", content: "x" }] },
      param: "messages",
    },
  ])("$name", ({ body, param }) => {
    const error = invalidRequest(() => translate(body));
    expect(error.param).toBe(param);
  });

  it("tells a client asking for several choices to send several requests", () => {
    const error = invalidRequest(() => translate({ messages: [USER], n: 2 }));
    expect(error.message).toMatch(/one choice/);
    expect(error.message).toMatch(/send 2 requests/);
  });

  it("accepts n = 1", () => {
    expect(bodyOf({ messages: [USER], n: 1 }).messages).toHaveLength(1);
  });
});

describe("translateRequest: tools and tool_choice", () => {
  const TOOLS = [
    { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } },
    { type: "function", function: { name: "get_time" } },
  ];

  it("gives a tool without parameters an empty object schema", () => {
    const body = bodyOf({ messages: [USER], tools: TOOLS });
    expect(body.tools).toEqual([
      { name: "get_weather", input_schema: { type: "object", properties: {} } },
      { name: "get_time", input_schema: { type: "object", properties: {} } },
    ]);
  });

  it.each([
    { name: "absent", choice: undefined, parallel: undefined, expected: undefined },
    { name: "auto", choice: "auto", parallel: undefined, expected: { type: "auto" } },
    { name: "required", choice: "required", parallel: undefined, expected: { type: "any" } },
    { name: "none", choice: "none", parallel: undefined, expected: { type: "none" } },
    {
      name: "a named function",
      choice: { type: "function", function: { name: "get_time" } },
      parallel: undefined,
      expected: { type: "tool", name: "get_time" },
    },
    {
      name: "absent with parallel_tool_calls false",
      choice: undefined,
      parallel: false,
      expected: { type: "auto", disable_parallel_tool_use: true },
    },
    {
      name: "required with parallel_tool_calls false",
      choice: "required",
      parallel: false,
      expected: { type: "any", disable_parallel_tool_use: true },
    },
    {
      name: "a named function with parallel_tool_calls false",
      choice: { type: "function", function: { name: "get_time" } },
      parallel: false,
      expected: { type: "tool", name: "get_time", disable_parallel_tool_use: true },
    },
    {
      name: "none with parallel_tool_calls false",
      choice: "none",
      parallel: false,
      expected: { type: "none" },
    },
    {
      name: "auto with parallel_tool_calls true",
      choice: "auto",
      parallel: true,
      expected: { type: "auto" },
    },
  ])("tool_choice $name", ({ choice, parallel, expected }) => {
    const body = bodyOf({
      messages: [USER],
      tools: TOOLS,
      tool_choice: choice,
      parallel_tool_calls: parallel,
    });
    expect(body.tool_choice).toEqual(expected);
  });

  it("narrows the tools to an allowed_tools choice", () => {
    const body = bodyOf({
      messages: [USER],
      tools: TOOLS,
      tool_choice: {
        type: "allowed_tools",
        allowed_tools: { mode: "required", tools: [{ type: "function", function: { name: "get_time" } }] },
      },
    });
    expect((body.tools as Array<{ name: string }>).map((t) => t.name)).toEqual(["get_time"]);
    expect(body.tool_choice).toEqual({ type: "any" });
  });

  it("sends no tool_choice when no tool is offered", () => {
    const body = bodyOf({ messages: [USER], tool_choice: "required", parallel_tool_calls: false });
    expect(body).not.toHaveProperty("tools");
    expect(body).not.toHaveProperty("tool_choice");
  });

  it("shortens a tool name Anthropic would reject, the same way everywhere it appears", () => {
    const long = `mcp__server__${"x".repeat(70)}`;
    const { body, toolNames } = translate({
      messages: [
        USER,
        {
          role: "assistant",
          tool_calls: [{ id: "c", type: "function", function: { name: long, arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "c", content: "ok" },
      ],
      tools: [{ type: "function", function: { name: long } }],
      tool_choice: { type: "function", function: { name: long } },
    });
    const sent = (body.tools as Array<{ name: string }>)[0]?.name ?? "";
    expect(sent.length).toBeLessThanOrEqual(64);
    expect((body.messages[1]!.content as Array<{ name: string }>)[0]?.name).toBe(sent);
    expect(body.tool_choice).toEqual({ type: "tool", name: sent });
    expect(toolNames.toClient(sent)).toBe(long);
  });
});

describe("translateRequest: scalar options", () => {
  it.each([
    { name: "no limit gets the default", body: {}, options: {}, expected: 4096 },
    { name: "a configured default", body: {}, options: { defaultMaxTokens: 8192 }, expected: 8192 },
    { name: "max_tokens", body: { max_tokens: 300 }, options: {}, expected: 300 },
    {
      name: "max_completion_tokens over max_tokens",
      body: { max_tokens: 300, max_completion_tokens: 700 },
      options: {},
      expected: 700,
    },
    {
      name: "a limit above the mapping's clamp",
      body: { max_tokens: 64000 },
      options: { maxOutputTokens: 8192 },
      expected: 8192,
    },
    { name: "the default above the clamp", body: {}, options: { maxOutputTokens: 1000 }, expected: 1000 },
  ])("max_tokens: $name", ({ body, options, expected }) => {
    expect(bodyOf({ messages: [USER], ...body }, options).max_tokens).toBe(expected);
  });

  it.each([
    { name: "a string", stop: "END", expected: ["END"] },
    { name: "an array", stop: ["\n\nHuman:", "END"], expected: ["\n\nHuman:", "END"] },
    { name: "null", stop: null, expected: undefined },
    { name: "an array with an empty string", stop: ["", "END"], expected: ["END"] },
  ])("stop as $name", ({ stop, expected }) => {
    expect(bodyOf({ messages: [USER], stop }).stop_sequences).toEqual(expected);
  });

  it.each([
    { name: "temperature within 0..1", body: { temperature: 0.3 }, expected: { temperature: 0.3 } },
    { name: "temperature above 1 is clamped", body: { temperature: 1.8 }, expected: { temperature: 1 } },
    { name: "top_p alone", body: { top_p: 0.9 }, expected: { top_p: 0.9 } },
    {
      name: "temperature and top_p: temperature wins",
      body: { temperature: 0, top_p: 1 },
      expected: { temperature: 0 },
    },
    { name: "nulls", body: { temperature: null, top_p: null }, expected: {} },
  ])("sampling: $name", ({ body, expected }) => {
    const out = bodyOf({ messages: [USER], ...body });
    expect({ temperature: out.temperature, top_p: out.top_p }).toEqual({
      temperature: undefined,
      top_p: undefined,
      ...expected,
    });
  });

  it("sends user as metadata.user_id", () => {
    expect(bodyOf({ messages: [USER], user: "u-1" }).metadata).toEqual({ user_id: "u-1" });
    expect(bodyOf({ messages: [USER], safety_identifier: "hash-9" }).metadata).toEqual({ user_id: "hash-9" });
  });

  it("leaves OpenAI-only options out", () => {
    const body = bodyOf({
      messages: [USER],
      logprobs: true,
      top_logprobs: 3,
      seed: 7,
      frequency_penalty: 0.5,
      presence_penalty: 0.5,
      logit_bias: { "50256": -100 },
      store: true,
      modalities: ["text"],
      prediction: { type: "content", content: "x" },
      stream_options: { include_usage: true },
      metadata: { team: "a" },
      service_tier: "flex",
      verbosity: "low",
      prompt_cache_key: "k",
    });
    expect(Object.keys(body).sort()).toEqual(["max_tokens", "messages", "model"]);
  });

  it.each([
    {
      name: "streaming with include_usage",
      body: { stream: true, stream_options: { include_usage: true } },
      stream: true,
      usage: true,
    },
    { name: "streaming without stream_options", body: { stream: true }, stream: true, usage: false },
    { name: "not streaming", body: { stream: false }, stream: undefined, usage: false },
  ])("stream: $name", ({ body, stream, usage }) => {
    const out = translate({ messages: [USER], ...body });
    expect(out.body.stream).toBe(stream);
    expect(out.includeUsage).toBe(usage);
  });
});

describe("translateRequest: response_format", () => {
  it("asks for a JSON object in the system prompt", () => {
    const body = bodyOf({
      messages: [{ role: "system", content: "You extract data." }, USER],
      response_format: { type: "json_object" },
    });
    expect(body.system).toMatch(/^You extract data\.\n\n.*one valid JSON object/s);
  });

  it("gives the schema of a json_schema format", () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    const body = bodyOf({
      messages: [USER],
      response_format: { type: "json_schema", json_schema: { name: "place", schema, strict: true } },
    });
    expect(body.system).toContain('"place"');
    expect(body.system).toContain(JSON.stringify(schema, null, 2));
  });

  it("adds nothing for text", () => {
    expect(bodyOf({ messages: [USER], response_format: { type: "text" } }).system).toBeUndefined();
  });
});

describe("translateRequest: reasoning_effort", () => {
  it.each([
    { effort: "low", maxTokens: 4096, expected: { budget: 1024, maxTokens: 4096 } },
    { effort: "medium", maxTokens: 4096, expected: { budget: 4096, maxTokens: 8192 } },
    { effort: "high", maxTokens: 4096, expected: { budget: 16384, maxTokens: 20480 } },
    { effort: "high", maxTokens: 32000, expected: { budget: 16384, maxTokens: 32000 } },
    { effort: "minimal", maxTokens: 500, expected: { budget: 1024, maxTokens: 1524 } },
  ])("$effort with max_tokens $maxTokens", ({ effort, maxTokens, expected }) => {
    const body = bodyOf({ messages: [USER], reasoning_effort: effort, max_tokens: maxTokens });
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: expected.budget });
    expect(body.max_tokens).toBe(expected.maxTokens);
  });

  it("fits the budget under the mapping's output limit", () => {
    const body = bodyOf({ messages: [USER], reasoning_effort: "high" }, { maxOutputTokens: 8192 });
    expect(body.max_tokens).toBe(8192);
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 4096 });
  });

  it("drops thinking when the output limit leaves no room for the minimum budget", () => {
    const body = bodyOf({ messages: [USER], reasoning_effort: "low" }, { maxOutputTokens: 1500 });
    expect(body.thinking).toBeUndefined();
    expect(body.max_tokens).toBe(1500);
  });

  it.each([
    { name: "none", extra: { reasoning_effort: "none" } },
    { name: "a forced tool", extra: { reasoning_effort: "high", tool_choice: "required" } },
  ])("sends no thinking for $name", ({ extra }) => {
    const body = bodyOf({
      messages: [USER],
      tools: [{ type: "function", function: { name: "f" } }],
      ...extra,
    });
    expect(body.thinking).toBeUndefined();
  });

  it("sends no thinking while the last assistant turn called tools without a signed thinking block", () => {
    const body = bodyOf({
      messages: [
        USER,
        {
          role: "assistant",
          tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "c", content: "ok" },
      ],
      tools: [{ type: "function", function: { name: "f" } }],
      reasoning_effort: "medium",
    });
    expect(body.thinking).toBeUndefined();
  });

  it("leaves out the sampling settings thinking does not accept", () => {
    const body = bodyOf({ messages: [USER], reasoning_effort: "low", temperature: 0.2, top_p: 0.5 });
    expect(body.thinking).toBeDefined();
    expect(body).not.toHaveProperty("temperature");
    expect(body).not.toHaveProperty("top_p");
  });
});
