// The Anthropic Messages validator: everything the SDK types allow passes (typed against
// them, so a request the API would take cannot be refused by mistake), and each shape the
// translators could not read is a 400 naming the field in Anthropic's dotted notation.
import { readFileSync } from "node:fs";
import type { MessageCreateParamsBase } from "@anthropic-ai/sdk/resources/messages";
import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../../src/core/errors.js";
import { validateMessagesRequest } from "../../../../src/schemas/anthropic/index.js";

const PNG = "iVBORw0KGgo=";

/** Requests the API takes, typed against the SDK so they stay realistic. */
const ACCEPTED: Array<[string, MessageCreateParamsBase]> = [
  ["a string turn", { model: "m", max_tokens: 1, messages: [{ role: "user", content: "hi" }] }],
  [
    "every user-side block type",
    {
      model: "m",
      max_tokens: 1,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "a", cache_control: { type: "ephemeral" }, citations: null },
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
            { type: "image", source: { type: "url", url: "https://example.com/a.png" } },
            { type: "image", source: { type: "file", file_id: "file_1" } },
            {
              type: "document",
              source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
              title: "spec",
              context: "ctx",
              citations: { enabled: true },
            },
            {
              type: "document",
              source: { type: "text", media_type: "text/plain", data: "plain" },
              title: null,
            },
            { type: "document", source: { type: "content", content: "inline" } },
            {
              type: "document",
              source: {
                type: "content",
                content: [
                  { type: "text", text: "page" },
                  { type: "image", source: { type: "url", url: "https://example.com/b.png" } },
                ],
              },
            },
            { type: "document", source: { type: "url", url: "https://example.com/a.pdf" } },
            { type: "document", source: { type: "file", file_id: "file_2" } },
            {
              type: "search_result",
              source: "https://example.com",
              title: "Example",
              content: [{ type: "text", text: "result" }],
              citations: { enabled: true },
            },
            { type: "container_upload", file_id: "file_3" },
          ],
        },
      ],
    },
  ],
  [
    "assistant blocks and tool results of every content kind",
    {
      model: "m",
      max_tokens: 1,
      messages: [
        { role: "user", content: "go" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "hmm", signature: "sig" },
            { type: "redacted_thinking", data: "opaque" },
            { type: "text", text: "calling" },
            { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } },
            { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "q" } },
            {
              type: "web_search_tool_result",
              tool_use_id: "srvtoolu_1",
              content: [
                { type: "web_search_result", url: "https://example.com", title: "t", encrypted_content: "e" },
              ],
            },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: "out", is_error: false },
            { type: "tool_result", tool_use_id: "toolu_2" },
            {
              type: "tool_result",
              tool_use_id: "toolu_3",
              is_error: true,
              content: [
                { type: "text", text: "failed" },
                { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
                { type: "search_result", source: "s", title: "t", content: [{ type: "text", text: "r" }] },
                {
                  type: "document",
                  source: { type: "content", content: [{ type: "text", text: "nested page" }] },
                },
                { type: "tool_reference", tool_name: "Bash" },
              ],
            },
          ],
        },
        { role: "system", content: [{ type: "text", text: "mid-conversation instruction" }] },
      ],
    },
  ],
  [
    "system blocks, every tool kind, tool choices and metadata",
    {
      model: "m",
      max_tokens: 1,
      system: [{ type: "text", text: "be brief", cache_control: { type: "ephemeral", ttl: "1h" } }],
      messages: [{ role: "user", content: "hi" }],
      tools: [
        {
          name: "Bash",
          description: "runs a command",
          input_schema: {
            type: "object",
            properties: { command: { type: "string" } },
            required: ["command"],
          },
          cache_control: { type: "ephemeral" },
          strict: true,
        },
        { type: "custom", name: "Empty", input_schema: { type: "object" } },
        { type: "web_search_20250305", name: "web_search", max_uses: 3 },
        { type: "bash_20250124", name: "bash" },
        { type: "text_editor_20250728", name: "str_replace_based_edit_tool" },
      ],
      tool_choice: { type: "tool", name: "Bash", disable_parallel_tool_use: true },
      metadata: { user_id: "user_1" },
    },
  ],
  [
    "an any tool choice and a null user id",
    {
      model: "m",
      max_tokens: 1,
      messages: [{ role: "user", content: "hi" }],
      tool_choice: { type: "any" },
      metadata: { user_id: null },
    },
  ],
];

describe("validateMessagesRequest accepts", () => {
  for (const [name, body] of ACCEPTED) {
    it(name, () => {
      expect(() => validateMessagesRequest(body)).not.toThrow();
    });
  }

  it("blocks, tools and fields it has never heard of", () => {
    expect(() =>
      validateMessagesRequest({
        model: "m",
        max_tokens: 1,
        messages: [
          { role: "user", content: [{ type: "hologram_2031", shape: [1, 2] }, { type: "browser_state" }] },
        ],
        tools: [{ type: "mcp_toolset", mcp_server_name: "files" }],
        context_management: { edits: [{ type: "clear_tool_uses_20250919" }] },
        output_config: { effort: "high", format: { type: "json_schema", schema: { type: "object" } } },
        mcp_servers: [{ type: "url", url: "https://example.com", name: "x" }],
        container: "ctr_1",
      }),
    ).not.toThrow();
  });

  it("every Claude Code request of the recorded session", () => {
    const capture = JSON.parse(readFileSync("test/fixtures/anthropic/claude-code-request.json", "utf8")) as {
      requests: Array<{ path: string; body: unknown }>;
    };
    const bodies = capture.requests.filter((r) => r.path === "/v1/messages").map((r) => r.body);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) expect(() => validateMessagesRequest(body)).not.toThrow();
    const older = JSON.parse(readFileSync("test/fixtures/anthropic/request-claude-code.json", "utf8"));
    expect(() => validateMessagesRequest(older)).not.toThrow();
  });

  it("a body nested exactly as deep as the limit allows", () => {
    // body (1) → tools (2) → tool (3) → input_schema (4) → 124 more levels = 128.
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 62; i++) schema = { type: "object", properties: { a: schema } };
    expect(() =>
      validateMessagesRequest({
        model: "m",
        messages: [{ role: "user", content: "hi" }],
        tools: [{ name: "deep", input_schema: schema }],
      }),
    ).not.toThrow();
  });
});

/** A body with one user turn of `content`. */
const turn = (content: unknown) => ({ model: "m", messages: [{ role: "user", content }] });
/** A body whose first turn is fine and whose second (assistant) turn has `content`. */
const reply = (content: unknown) => ({
  model: "m",
  messages: [
    { role: "user", content: "hi" },
    { role: "assistant", content },
  ],
});
const withTools = (tools: unknown) => ({ model: "m", messages: [{ role: "user", content: "hi" }], tools });
const nested = (levels: number, leaf: unknown = {}) => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { type: "object", properties: { a: value } };
  return value;
};

/** [what, body, the field named, the start of what it says]. */
const REFUSED: Array<[string, unknown, string, string]> = [
  ["a null block", turn([null]), "messages.0.content.0", "expected an object, got null"],
  ["a numeric content", turn(5), "messages.0.content", "expected a string or an array of content blocks"],
  [
    "a block without a type",
    turn([{ text: "a" }]),
    "messages.0.content.0.type",
    "expected a string, got nothing",
  ],
  ["a numeric type", turn([{ type: 3 }]), "messages.0.content.0.type", "expected a string, got a number"],
  ["a text block without text", turn([{ type: "text" }]), "messages.0.content.0.text", "expected a string"],
  ["a numeric text", turn([{ type: "text", text: 1 }]), "messages.0.content.0.text", "expected a string"],
  [
    "an image without a source",
    turn([{ type: "image" }]),
    "messages.0.content.0.source",
    "expected an object",
  ],
  [
    "a base64 image without data",
    turn([{ type: "image", source: { type: "base64", media_type: "image/png" } }]),
    "messages.0.content.0.source.data",
    "expected a string",
  ],
  [
    "a URL image without a URL",
    turn([{ type: "image", source: { type: "url" } }]),
    "messages.0.content.0.source.url",
    "expected a string",
  ],
  [
    "a null block inside a document",
    turn([{ type: "document", source: { type: "content", content: [null] } }]),
    "messages.0.content.0.source.content.0",
    "expected an object, got null",
  ],
  [
    "a numeric document title",
    turn([{ type: "document", source: { type: "text", data: "x" }, title: 5 }]),
    "messages.0.content.0.title",
    "expected a string",
  ],
  [
    "a search result entry without text",
    turn([{ type: "search_result", source: "s", title: "t", content: [{ type: "text" }] }]),
    "messages.0.content.0.content.0.text",
    "expected a string",
  ],
  [
    "a thinking block without thinking",
    reply([{ type: "thinking" }]),
    "messages.1.content.0.thinking",
    "expected a string",
  ],
  [
    "a numeric tool_use id",
    reply([{ type: "tool_use", id: 7, name: "Bash", input: {} }]),
    "messages.1.content.0.id",
    "expected a string, got a number",
  ],
  [
    "a tool_use without a name",
    reply([{ type: "tool_use", id: "t", input: {} }]),
    "messages.1.content.0.name",
    "expected a string",
  ],
  [
    "a tool_use whose input is an array",
    reply([{ type: "tool_use", id: "t", name: "Bash", input: [1] }]),
    "messages.1.content.0.input",
    "expected an object, got an array",
  ],
  [
    "a tool_use whose input is a string",
    reply([{ type: "tool_use", id: "t", name: "Bash", input: "{}" }]),
    "messages.1.content.0.input",
    "expected an object, got a string",
  ],
  [
    "a numeric tool_use_id",
    turn([{ type: "tool_result", tool_use_id: 7 }]),
    "messages.0.content.0.tool_use_id",
    "expected a string, got a number",
  ],
  [
    "a null block inside a tool result",
    turn([{ type: "tool_result", tool_use_id: "t", content: [null] }]),
    "messages.0.content.0.content.0",
    "expected an object, got null",
  ],
  [
    "a text block without text inside a tool result",
    turn([{ type: "tool_result", tool_use_id: "t", content: [{ type: "text" }] }]),
    "messages.0.content.0.content.0.text",
    "expected a string",
  ],
  [
    "a tool result whose content is a number",
    turn([{ type: "tool_result", tool_use_id: "t", content: 5 }]),
    "messages.0.content.0.content",
    "expected a string or an array of content blocks",
  ],
  [
    "an is_error that is a string",
    turn([{ type: "tool_result", tool_use_id: "t", is_error: "yes" }]),
    "messages.0.content.0.is_error",
    "expected a boolean",
  ],
  [
    "a tool reference without a tool name",
    turn([{ type: "tool_result", tool_use_id: "t", content: [{ type: "tool_reference" }] }]),
    "messages.0.content.0.content.0.tool_name",
    "expected a string",
  ],
  [
    "blocks nested deeper than the API nests them",
    turn([
      {
        type: "tool_result",
        tool_use_id: "t",
        content: [
          {
            type: "document",
            source: { type: "content", content: [{ type: "tool_result", tool_use_id: "u", content: [] }] },
          },
        ],
      },
    ]),
    "messages.0.content.0.content.0.source.content.0.content",
    "expected a string, got an array",
  ],
  ["a null system block", { ...turn("hi"), system: [null] }, "system.0", "expected an object, got null"],
  [
    "a numeric system",
    { ...turn("hi"), system: 5 },
    "system",
    "expected a string or an array of text blocks",
  ],
  [
    "a system block without text",
    { ...turn("hi"), system: [{ type: "text" }] },
    "system.0.text",
    "expected a string",
  ],
  ["a null tool", withTools([null]), "tools.0", "expected an object, got null"],
  ["a numeric tool name", withTools([{ name: 5, input_schema: {} }]), "tools.0.name", "expected a string"],
  [
    "an input schema that is an array",
    withTools([{ name: "a", input_schema: [] }]),
    "tools.0.input_schema",
    "expected an object, got an array",
  ],
  [
    "a numeric tool description",
    withTools([{ name: "a", description: 1, input_schema: {} }]),
    "tools.0.description",
    "expected a string",
  ],
  ["tools that are not an array", withTools({ name: "a" }), "tools", "expected an array"],
  [
    "a string tool choice",
    { ...turn("hi"), tool_choice: "auto" },
    "tool_choice",
    "expected an object, got a string",
  ],
  [
    "a tool choice naming no tool",
    { ...turn("hi"), tool_choice: { type: "tool" } },
    "tool_choice.name",
    "expected a string",
  ],
  ["a numeric user id", { ...turn("hi"), metadata: { user_id: 5 } }, "metadata.user_id", "expected a string"],
  ["a null message", { model: "m", messages: [null] }, "messages.0", "expected an object, got null"],
  [
    "a 10,000-level tool schema",
    withTools([{ name: "deep", input_schema: nested(10_000) }]),
    "tools.0.input_schema",
    "nested more than 128 levels deep",
  ],
  [
    "a tool schema one level past the limit",
    withTools([{ name: "deep", input_schema: nested(62, { type: "object", properties: {} }) }]),
    "tools.0.input_schema",
    "nested more than 128 levels deep",
  ],
  [
    "a deeply nested tool input in the history",
    reply([{ type: "tool_use", id: "t", name: "Bash", input: nested(1000) }]),
    "messages.1.content.0.input",
    "nested more than 128 levels deep",
  ],
  [
    "a deeply nested structured-output schema",
    { ...turn("hi"), output_config: { format: { type: "json_schema", schema: nested(1000) } } },
    "output_config.format.schema",
    "nested more than 128 levels deep",
  ],
  [
    "deep nesting in a field nobody reads",
    { ...turn("hi"), extra: [[[[[[nested(1000)]]]]]] },
    "extra.0.0.0",
    "nested more than 128 levels deep",
  ],
];

describe("validateMessagesRequest refuses", () => {
  for (const [name, body, field, message] of REFUSED) {
    it(`${name}, naming ${field}`, () => {
      let thrown: unknown;
      try {
        validateMessagesRequest(body);
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

  it("a body nested a million levels deep without overflowing the stack", () => {
    const body = JSON.parse(
      `{"model":"m","messages":[{"role":"user","content":"hi"}],"x":${"[".repeat(1e6)}${"]".repeat(1e6)}}`,
    );
    expect(() => validateMessagesRequest(body)).toThrow(/^x\.0\.0\.0: nested more than 128 levels deep/);
  });
});
