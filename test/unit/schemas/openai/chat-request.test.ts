// The OpenAI Chat Completions validator: everything the SDK types allow passes (typed
// against them, so a request the API would take cannot be refused by mistake), and each
// shape the translators could not read is a 400 naming the field in OpenAI's notation.
import { readFileSync } from "node:fs";
import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../../src/core/errors.js";
import { validateChatRequest } from "../../../../src/schemas/openai/index.js";

/** Requests the API takes, typed against the SDK so they stay realistic. */
const ACCEPTED: Array<[string, ChatCompletionCreateParams]> = [
  ["a string turn", { model: "m", messages: [{ role: "user", content: "hi" }] }],
  [
    "every message role and content part",
    {
      model: "m",
      messages: [
        { role: "system", content: "be brief" },
        { role: "developer", content: [{ type: "text", text: "metric units" }], name: "ops" },
        {
          role: "user",
          content: [
            { type: "text", text: "look" },
            { type: "image_url", image_url: { url: "https://example.com/a.png", detail: "high" } },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
            { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" } },
            { type: "file", file: { file_id: "file-1" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          refusal: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "Bash", arguments: '{"command":"ls"}' } },
            { id: "call_2", type: "custom", custom: { name: "grammar", input: "x" } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: [{ type: "text", text: "out" }] },
        {
          role: "assistant",
          content: [
            { type: "text", text: "a" },
            { type: "refusal", refusal: "no" },
          ],
        },
        { role: "function", name: "legacy", content: null },
      ],
    },
  ],
  [
    "every tool kind, tool choice and response format",
    {
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      tools: [
        {
          type: "function",
          function: {
            name: "Bash",
            description: "runs a command",
            parameters: { type: "object", properties: { command: { type: "string" } } },
            strict: true,
          },
        },
        { type: "function", function: { name: "NoArgs" } },
        { type: "custom", custom: { name: "grammar" } },
      ],
      tool_choice: { type: "function", function: { name: "Bash" } },
      response_format: { type: "json_schema", json_schema: { name: "out", schema: { type: "object" } } },
      stream_options: { include_usage: true },
      stream: true,
    },
  ],
  [
    "a string tool choice",
    { model: "m", messages: [{ role: "user", content: "hi" }], tool_choice: "required" },
  ],
  [
    "an allowed_tools choice",
    {
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      tool_choice: {
        type: "allowed_tools",
        allowed_tools: { mode: "auto", tools: [{ type: "function", function: { name: "Bash" } }] },
      },
      response_format: { type: "json_object" },
    },
  ],
];

describe("validateChatRequest accepts", () => {
  for (const [name, body] of ACCEPTED) {
    it(name, () => {
      expect(() => validateChatRequest(body)).not.toThrow();
    });
  }

  it("parts and fields it has never heard of", () => {
    expect(() =>
      validateChatRequest({
        model: "m",
        messages: [{ role: "user", content: [{ type: "input_video", video: {} }] }],
        prediction: { type: "content", content: "x" },
        web_search_options: {},
        tools: [{ type: "mcp", server_label: "x" }],
      }),
    ).not.toThrow();
  });

  it("the recorded multi-turn tool conversation", () => {
    const body = JSON.parse(readFileSync("test/fixtures/openai/request-multi-turn-tools.json", "utf8"));
    expect(() => validateChatRequest(body)).not.toThrow();
  });
});

const turn = (content: unknown) => ({ model: "m", messages: [{ role: "user", content }] });
const assistant = (message: Record<string, unknown>) => ({
  model: "m",
  messages: [
    { role: "user", content: "hi" },
    { role: "assistant", ...message },
  ],
});
const withTools = (tools: unknown) => ({ model: "m", messages: [{ role: "user", content: "hi" }], tools });
const fn = (name: unknown, extra: Record<string, unknown> = {}) => ({
  type: "function",
  function: { name, ...extra },
});
const nested = (levels: number) => {
  let value: unknown = {};
  for (let i = 0; i < levels; i++) value = { type: "object", properties: { a: value } };
  return value;
};

/** [what, body, the field named, the start of what it says]. */
const REFUSED: Array<[string, unknown, string, string]> = [
  ["a null part", turn([null]), "messages[0].content[0]", "expected an object, got null"],
  ["a numeric content", turn(5), "messages[0].content", "expected a string or an array of content parts"],
  ["a part without a type", turn([{ text: "a" }]), "messages[0].content[0].type", "expected a string"],
  [
    "a text part without text",
    turn([{ type: "text" }]),
    "messages[0].content[0].text",
    "expected a string, got nothing",
  ],
  [
    "a numeric text",
    turn([{ type: "text", text: 3 }]),
    "messages[0].content[0].text",
    "expected a string, got a number",
  ],
  [
    "an image part without image_url",
    turn([{ type: "image_url" }]),
    "messages[0].content[0].image_url",
    "expected an object",
  ],
  [
    "a numeric image URL",
    turn([{ type: "image_url", image_url: { url: 1 } }]),
    "messages[0].content[0].image_url.url",
    "expected a string",
  ],
  [
    "a numeric file_data",
    turn([{ type: "file", file: { file_data: 1 } }]),
    "messages[0].content[0].file.file_data",
    "expected a string",
  ],
  [
    "a refusal part without refusal",
    assistant({ content: [{ type: "refusal" }] }),
    "messages[1].content[0].refusal",
    "expected a string",
  ],
  [
    "a null tool call",
    assistant({ tool_calls: [null] }),
    "messages[1].tool_calls[0]",
    "expected an object, got null",
  ],
  [
    "a numeric tool call id",
    assistant({ tool_calls: [{ id: 7, type: "function", function: { name: "Bash", arguments: "{}" } }] }),
    "messages[1].tool_calls[0].id",
    "expected a string, got a number",
  ],
  [
    "a tool call without an id",
    assistant({ tool_calls: [{ type: "function", function: { name: "Bash", arguments: "{}" } }] }),
    "messages[1].tool_calls[0].id",
    "expected a string, got nothing",
  ],
  [
    "a numeric function name",
    assistant({ tool_calls: [{ id: "c", type: "function", function: { name: 1, arguments: "{}" } }] }),
    "messages[1].tool_calls[0].function.name",
    "expected a string",
  ],
  [
    "arguments that are an object",
    assistant({ tool_calls: [{ id: "c", type: "function", function: { name: "Bash", arguments: {} } }] }),
    "messages[1].tool_calls[0].function.arguments",
    "expected a string, got an object",
  ],
  [
    "tool calls that are not an array",
    assistant({ tool_calls: {} }),
    "messages[1].tool_calls",
    "expected an array",
  ],
  ["a numeric refusal", assistant({ refusal: 1 }), "messages[1].refusal", "expected a string"],
  [
    "a numeric tool_call_id",
    { model: "m", messages: [{ role: "tool", tool_call_id: 7, content: "x" }] },
    "messages[0].tool_call_id",
    "expected a string, got a number",
  ],
  ["a null tool", withTools([null]), "tools[0]", "expected an object, got null"],
  ["a tool without a type", withTools([{ function: { name: "a" } }]), "tools[0].type", "expected a string"],
  [
    "a function without a name",
    withTools([fn(undefined)]),
    "tools[0].function.name",
    "expected a string, got nothing",
  ],
  [
    "parameters that are an array",
    withTools([fn("a", { parameters: [] })]),
    "tools[0].function.parameters",
    "expected an object, got an array",
  ],
  [
    "a numeric description",
    withTools([fn("a", { description: 1 })]),
    "tools[0].function.description",
    "expected a string",
  ],
  [
    "a numeric tool choice",
    { ...turn("hi"), tool_choice: 5 },
    "tool_choice",
    'expected "auto", "required", "none"',
  ],
  [
    "a function choice without a function",
    { ...turn("hi"), tool_choice: { type: "function" } },
    "tool_choice.function",
    "expected an object",
  ],
  [
    "a string response format",
    { ...turn("hi"), response_format: "json" },
    "response_format",
    "expected an object",
  ],
  [
    "a 10,000-level tool schema",
    withTools([fn("deep", { parameters: nested(10_000) })]),
    "tools[0].function.parameters",
    "nested more than 128 levels deep",
  ],
  [
    "a deeply nested response schema",
    {
      ...turn("hi"),
      response_format: { type: "json_schema", json_schema: { name: "x", schema: nested(1000) } },
    },
    "response_format.json_schema.schema",
    "nested more than 128 levels deep",
  ],
];

describe("validateChatRequest refuses", () => {
  for (const [name, body, field, message] of REFUSED) {
    it(`${name}, naming ${field}`, () => {
      let thrown: unknown;
      try {
        validateChatRequest(body);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidRequestError);
      const error = thrown as InvalidRequestError;
      expect(error.status).toBe(400);
      expect(error.param).toBe(field);
      expect(error.message.startsWith(`${field}: ${message}`)).toBe(true);
    });
  }
});
