import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../../src/core/errors.js";
import {
  type AnthropicRequest,
  type AnthropicToOpenAIRequestOptions,
  translateRequest,
} from "../../../../src/translate/anthropic-to-openai/index.js";
import { sanitizeToolId, shortenToolName } from "../../../../src/translate/tool-identity.js";
import { readJsonFixture } from "./fixtures.js";

const LONG_MCP_NAME = "mcp__plugin_github_github__list_pull_request_review_comments_for_repository";
const PNG_DATA_URL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

function request(overrides: Record<string, unknown> = {}): AnthropicRequest {
  return {
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    messages: [{ role: "user", content: "hi" }],
    ...overrides,
  } as AnthropicRequest;
}

function translate(
  overrides: Record<string, unknown>,
  options: Partial<AnthropicToOpenAIRequestOptions> = {},
) {
  return translateRequest(request(overrides), { upstreamModel: "gpt-4.1", ...options }).body;
}

function invalidParam(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return (error as InvalidRequestError).param;
  }
  throw new Error("expected an InvalidRequestError");
}

describe("a realistic Claude Code request", () => {
  it("translates every part of the conversation in order", async () => {
    const claudeCode = await readJsonFixture<AnthropicRequest>("anthropic/request-claude-code.json");
    const { body } = translateRequest(claudeCode, { upstreamModel: "deepseek-reasoner" });
    const grepId = sanitizeToolId("functions.Grep:2");
    expect(body.messages).toEqual([
      {
        role: "system",
        content:
          "You are Claude Code, Anthropic's official CLI for Claude.\n\nYou are an interactive CLI tool that helps users with software engineering tasks. Use the instructions below and the tools available to you to assist the user.",
      },
      {
        role: "user",
        content: [
          { type: "text", text: expect.stringContaining("<system-reminder>") },
          { type: "text", text: "The build fails, can you look? Screenshot attached." },
          { type: "image_url", image_url: { url: PNG_DATA_URL } },
        ],
      },
      {
        role: "assistant",
        content: "Let me run the build.",
        reasoning_content: "The user says the build fails. I should run the build to see the error.",
        tool_calls: [
          {
            id: "toolu_01D7FkZqWx3Yv8Lm2Np5Rs9T",
            type: "function",
            function: {
              name: "Bash",
              arguments: '{"command":"npm run build","description":"Run the build"}',
            },
          },
        ],
      },
      {
        role: "tool",
        tool_call_id: "toolu_01D7FkZqWx3Yv8Lm2Np5Rs9T",
        content: "Error: src/main.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "toolu_01Hc4Gt6Jy1Ku3Mw5Ox7Qz9B",
            type: "function",
            function: { name: "Read", arguments: '{"file_path":"/repo/docs/build-error.png"}' },
          },
          {
            id: grepId,
            type: "function",
            function: { name: "Grep", arguments: '{"pattern":"port","path":"/repo/src"}' },
          },
        ],
      },
      {
        role: "tool",
        tool_call_id: "toolu_01Hc4Gt6Jy1Ku3Mw5Ox7Qz9B",
        content: "[the images or files of this tool result follow in the next user message]",
      },
      { role: "tool", tool_call_id: grepId, content: "src/main.ts:3:const port: number = process.env.PORT;" },
      { role: "user", content: [{ type: "image_url", image_url: { url: PNG_DATA_URL } }] },
      {
        role: "system",
        content: "<system-reminder>The user switched the output style to Explanatory.</system-reminder>",
      },
      { role: "user", content: "Fix it please." },
    ]);
  });

  it("sends the request fields an OpenAI-compatible upstream understands and nothing Claude-only", async () => {
    const claudeCode = await readJsonFixture<AnthropicRequest>("anthropic/request-claude-code.json");
    const { body } = translateRequest(claudeCode, { upstreamModel: "deepseek-reasoner" });
    const { messages, tools, ...rest } = body;
    expect(rest).toEqual({
      model: "deepseek-reasoner",
      max_tokens: 32000,
      user: claudeCode.metadata?.user_id,
      reasoning_effort: "medium",
      stream: true,
      stream_options: { include_usage: true },
    });
    const wire = JSON.stringify(body);
    for (const key of [
      "cache_control",
      "context_management",
      "$schema",
      "propertyNames",
      "thinking",
      "metadata",
    ]) {
      expect(wire).not.toContain(`"${key}"`);
    }
  });

  it("declares the client tools as functions, drops server tools and shortens long names", async () => {
    const claudeCode = await readJsonFixture<AnthropicRequest>("anthropic/request-claude-code.json");
    const { body, toolNames } = translateRequest(claudeCode, { upstreamModel: "gpt-4.1" });
    const names = body.tools?.map((t) => (t.type === "function" ? t.function.name : t.type));
    const shortName = shortenToolName(LONG_MCP_NAME);
    expect(names).toEqual(["Bash", "Read", "Grep", "WebFetch", shortName]);
    expect(shortName.length).toBeLessThanOrEqual(64);
    expect(toolNames.toClient(shortName)).toBe(LONG_MCP_NAME);
    const webFetch = body.tools?.[3];
    expect(webFetch?.type === "function" && webFetch.function.parameters).toEqual({
      type: "object",
      properties: {
        url: { type: "string", format: "uri" },
        prompt: { type: "string" },
        headers: { type: "object", additionalProperties: { type: "string" } },
        format: { type: "string", enum: ["markdown", "html"], default: "markdown" },
      },
      required: ["url", "prompt"],
      additionalProperties: false,
    });
    const grep = body.tools?.[2];
    expect(grep?.type === "function" && grep.function.parameters?.properties).toEqual({
      pattern: { type: "string", description: "The regular expression pattern" },
      path: { type: "string" },
      output_mode: { type: "string", enum: ["content", "files_with_matches", "count"] },
    });
  });

  it("never modifies the client's body", async () => {
    const claudeCode = await readJsonFixture<AnthropicRequest>("anthropic/request-claude-code.json");
    const before = structuredClone(claudeCode);
    translateRequest(claudeCode, { upstreamModel: "o3", maxOutputTokens: 8000 });
    expect(claudeCode).toEqual(before);
  });

  it("leaves earlier thinking out for OpenAI's own models, which never take reasoning_content", async () => {
    const claudeCode = await readJsonFixture<AnthropicRequest>("anthropic/request-claude-code.json");
    const { body } = translateRequest(claudeCode, { upstreamModel: "gpt-4.1" });
    expect(JSON.stringify(body)).not.toContain("reasoning_content");
  });
});

describe("system prompt", () => {
  it.each([
    ["a string", "Be brief.", [{ role: "system", content: "Be brief." }]],
    [
      "text blocks, joined with blank lines",
      [
        { type: "text", text: "One.", cache_control: { type: "ephemeral" } },
        { type: "text", text: "Two." },
      ],
      [{ role: "system", content: "One.\n\nTwo." }],
    ],
    [
      "Claude Code's per-session billing line, dropped",
      [
        { type: "text", text: "x-anthropic-billing-header: cc_version=2.1.197.a1b; cc_entrypoint=sdk-cli;" },
        { type: "text", text: "You are Claude Code." },
      ],
      [{ role: "system", content: "You are Claude Code." }],
    ],
    ["an empty string", "", []],
    ["absent", undefined, []],
  ])("%s", (_name, system, expected) => {
    const body = translate(system === undefined ? {} : { system });
    expect(body.messages.slice(0, -1)).toEqual(expected);
    expect(body.messages.at(-1)).toEqual({ role: "user", content: "hi" });
  });
});

describe("tool_choice", () => {
  const tools = [
    { name: "Bash", input_schema: { type: "object", properties: { command: { type: "string" } } } },
  ];
  it.each([
    [{ type: "auto" }, { tool_choice: "auto" }],
    [{ type: "any" }, { tool_choice: "required" }],
    [{ type: "none" }, { tool_choice: "none" }],
    [{ type: "tool", name: "Bash" }, { tool_choice: { type: "function", function: { name: "Bash" } } }],
    [
      { type: "auto", disable_parallel_tool_use: true },
      { tool_choice: "auto", parallel_tool_calls: false },
    ],
    [{ type: "any", disable_parallel_tool_use: false }, { tool_choice: "required" }],
    [undefined, {}],
  ])("%j becomes %j", (choice, expected) => {
    const body = translate({ tools, ...(choice ? { tool_choice: choice } : {}) });
    expect({ tool_choice: body.tool_choice, parallel_tool_calls: body.parallel_tool_calls }).toEqual({
      tool_choice: undefined,
      parallel_tool_calls: undefined,
      ...expected,
    });
  });

  it("a forced tool with a long name uses the shortened name", () => {
    const body = translate({
      tools: [{ name: LONG_MCP_NAME, input_schema: { type: "object" } }],
      tool_choice: { type: "tool", name: LONG_MCP_NAME },
    });
    expect(body.tool_choice).toEqual({
      type: "function",
      function: { name: shortenToolName(LONG_MCP_NAME) },
    });
  });

  it("forcing a tool that is not declared is refused, naming tool_choice.name", () => {
    const param = invalidParam(() =>
      translate({
        tools: [{ type: "web_search_20250305", name: "web_search" }],
        tool_choice: { type: "tool", name: "web_search" },
      }),
    );
    expect(param).toBe("tool_choice.name");
  });

  it("without usable tools, no tool fields are sent at all", () => {
    const body = translate({
      tools: [{ type: "bash_20250124", name: "bash" }],
      tool_choice: { type: "auto", disable_parallel_tool_use: true },
    });
    expect(body).not.toHaveProperty("tools");
    expect(body).not.toHaveProperty("tool_choice");
    expect(body).not.toHaveProperty("parallel_tool_calls");
  });
});

describe("token limit", () => {
  it.each([
    ["gpt-4.1", {}, { max_tokens: 32000 }],
    ["o3", {}, { max_completion_tokens: 32000 }],
    ["o4-mini", {}, { max_completion_tokens: 32000 }],
    ["gpt-5", {}, { max_completion_tokens: 32000 }],
    ["openai/gpt-5-mini", {}, { max_completion_tokens: 32000 }],
    ["deepseek-chat", {}, { max_tokens: 32000 }],
    ["gpt-4.1", { maxOutputTokens: 8192 }, { max_tokens: 8192 }],
    ["o3", { maxOutputTokens: 100_000 }, { max_completion_tokens: 32000 }],
    ["my-vllm-model", { tokenLimitField: "max_completion_tokens" }, { max_completion_tokens: 32000 }],
    ["gpt-5", { tokenLimitField: "max_tokens", maxOutputTokens: 4096 }, { max_tokens: 4096 }],
  ] as const)("%s with %j sends %j", (upstreamModel, options, expected) => {
    const body = translate({ max_tokens: 32000 }, { upstreamModel, ...options });
    expect({ max_tokens: body.max_tokens, max_completion_tokens: body.max_completion_tokens }).toEqual({
      max_tokens: undefined,
      max_completion_tokens: undefined,
      ...expected,
    });
  });

  const capCases: Array<[string, number, Partial<AnthropicToOpenAIRequestOptions>]> = [
    ["gpt-4o-mini", 16_384, {}],
    ["openai/gpt-4o", 16_384, {}],
    ["gpt-4.1-mini", 32_768, {}],
    ["my-vllm-model", 64_000, {}],
    ["gpt-4o-mini", 1000, { maxOutputTokens: 1000 }],
  ];
  it.each(capCases)("Claude Code's 64,000 to %s is clamped to %d", (upstreamModel, expected, options) => {
    const body = translate({ max_tokens: 64_000 }, { upstreamModel, ...options });
    expect(body.max_tokens).toBe(expected);
  });

  it.each([0, -5, 1.5, "100"])("max_tokens %j is refused", (max_tokens) => {
    expect(invalidParam(() => translate({ max_tokens }))).toBe("max_tokens");
  });
});

describe("thinking → reasoning_effort", () => {
  it.each([
    ["o3", { type: "enabled", budget_tokens: 1024 }, undefined, {}, "low"],
    ["o3", { type: "enabled", budget_tokens: 4000 }, undefined, {}, "low"],
    ["o3", { type: "enabled", budget_tokens: 10000 }, undefined, {}, "medium"],
    ["o3", { type: "enabled", budget_tokens: 31999 }, undefined, {}, "high"],
    ["gpt-5", { type: "adaptive" }, undefined, {}, "medium"],
    ["gpt-5", { type: "adaptive" }, { effort: "low" }, {}, "low"],
    ["gpt-5", { type: "adaptive" }, { effort: "max" }, {}, "high"],
    ["gpt-oss-120b", { type: "enabled", budget_tokens: 20000 }, undefined, {}, "high"],
    ["deepseek-reasoner", { type: "adaptive" }, undefined, {}, "medium"],
    ["o3", { type: "disabled" }, undefined, {}, undefined],
    ["o3", undefined, undefined, {}, undefined],
    ["gpt-4.1", { type: "enabled", budget_tokens: 10000 }, undefined, {}, undefined],
    ["gpt-4.1", { type: "enabled", budget_tokens: 10000 }, undefined, { reasoningEffort: true }, "medium"],
    ["o3", { type: "enabled", budget_tokens: 10000 }, undefined, { reasoningEffort: false }, undefined],
  ])(
    "%s, thinking %j, output_config %j, options %j → %s",
    (upstreamModel, thinking, outputConfig, options, effort) => {
      const body = translate(
        { ...(thinking ? { thinking } : {}), ...(outputConfig ? { output_config: outputConfig } : {}) },
        { upstreamModel, ...options },
      );
      expect(body.reasoning_effort).toBe(effort);
      expect(body).not.toHaveProperty("thinking");
      expect(body).not.toHaveProperty("output_config");
    },
  );
});

describe("sampling and other top-level fields", () => {
  it("temperature and top_p pass to chat models; top_k never does", () => {
    const body = translate({ temperature: 0.2, top_p: 0.9, top_k: 40 });
    expect(body.temperature).toBe(0.2);
    expect(body.top_p).toBe(0.9);
    expect(body).not.toHaveProperty("top_k");
  });

  it("OpenAI reasoning models, which refuse sampling settings, get none", () => {
    const body = translate({ temperature: 0.2, top_p: 0.9 }, { upstreamModel: "o3-mini" });
    expect(body).not.toHaveProperty("temperature");
    expect(body).not.toHaveProperty("top_p");
  });

  it("stop_sequences become stop; an empty list is not sent", () => {
    expect(translate({ stop_sequences: ["END", "\n\nHuman:"] }).stop).toEqual(["END", "\n\nHuman:"]);
    expect(translate({ stop_sequences: [] })).not.toHaveProperty("stop");
  });

  it("a non-streaming request asks for no stream options", () => {
    const body = translate({ stream: false });
    expect(body).not.toHaveProperty("stream");
    expect(body).not.toHaveProperty("stream_options");
  });

  it.each([
    "context_management",
    "container",
    "mcp_servers",
    "service_tier",
    "betas",
    "cache_control",
    "inference_geo",
  ])("the Claude-only field %s is dropped", (field) => {
    expect(translate({ [field]: { any: "value" } })).not.toHaveProperty(field);
  });

  it("a structured-output schema becomes response_format", () => {
    const schema = { type: "object", properties: { answer: { type: "string" } }, $schema: "x" };
    expect(translate({ output_config: { format: { type: "json_schema", schema } } }).response_format).toEqual(
      {
        type: "json_schema",
        json_schema: {
          name: "output",
          schema: { type: "object", properties: { answer: { type: "string" } } },
        },
      },
    );
  });
});

describe("content blocks", () => {
  function userContent(content: unknown[]) {
    return translate({ messages: [{ role: "user", content }] }).messages;
  }

  it("an image by URL stays a URL", () => {
    expect(
      userContent([{ type: "image", source: { type: "url", url: "https://example.com/cat.png" } }]),
    ).toEqual([
      { role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }] },
    ]);
  });

  it("a base64 PDF becomes a file part with a data URL", () => {
    const messages = userContent([
      {
        type: "document",
        title: "Q3 report",
        source: { type: "base64", media_type: "application/pdf", data: "JVBERi0x" },
      },
      { type: "text", text: "Summarise it." },
    ]);
    expect(messages).toEqual([
      {
        role: "user",
        content: [
          {
            type: "file",
            file: { filename: "Q3_report.pdf", file_data: "data:application/pdf;base64,JVBERi0x" },
          },
          { type: "text", text: "Summarise it." },
        ],
      },
    ]);
  });

  it("a plain-text document becomes text", () => {
    const messages = userContent([
      {
        type: "document",
        title: "notes.txt",
        source: { type: "text", media_type: "text/plain", data: "buy milk" },
      },
    ]);
    expect(messages).toEqual([{ role: "user", content: "notes.txt\n\nbuy milk" }]);
  });

  it.each([
    [
      { type: "document", source: { type: "url", url: "https://example.com/a.pdf" } },
      "messages.0.content.0.source",
    ],
    [{ type: "document", source: { type: "file", file_id: "file_011" } }, "messages.0.content.0.source"],
    [{ type: "image", source: { type: "file", file_id: "file_012" } }, "messages.0.content.0.source"],
  ])("a source the upstream cannot reach is refused: %j", (block, param) => {
    expect(invalidParam(() => userContent([block]))).toBe(param);
  });

  it("redacted thinking and empty thinking never reach the upstream", () => {
    const body = translate(
      {
        messages: [
          { role: "user", content: "hi" },
          {
            role: "assistant",
            content: [
              { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT" },
              { type: "thinking", thinking: "", signature: "sig" },
              { type: "text", text: "Hello." },
            ],
          },
          { role: "user", content: "again" },
        ],
      },
      { upstreamModel: "deepseek-chat" },
    );
    expect(body.messages[1]).toEqual({ role: "assistant", content: "Hello." });
  });
});

describe("tool results", () => {
  function toolTurn(results: unknown[], upstreamModel = "gpt-4.1") {
    return translate(
      {
        messages: [
          { role: "user", content: "go" },
          { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "Bash", input: {} }] },
          { role: "user", content: results },
        ],
      },
      { upstreamModel },
    ).messages.slice(2);
  }

  it.each([
    ["a string", { content: "ok" }, "ok"],
    [
      "text blocks, joined",
      {
        content: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
      },
      "a\n\nb",
    ],
    ["an error", { content: "boom", is_error: true }, "Error: boom"],
    ["an error without content", { is_error: true }, "Error"],
    ["no content", {}, ""],
  ])("%s", (_name, fields, content) => {
    expect(toolTurn([{ type: "tool_result", tool_use_id: "toolu_1", ...fields }])).toEqual([
      { role: "tool", tool_call_id: "toolu_1", content },
    ]);
  });

  it("tool messages come first, the rest of the user turn after them", () => {
    expect(
      toolTurn([
        { type: "text", text: "Here you go:" },
        { type: "tool_result", tool_use_id: "toolu_1", content: "ok" },
      ]),
    ).toEqual([
      { role: "tool", tool_call_id: "toolu_1", content: "ok" },
      { role: "user", content: "Here you go:" },
    ]);
  });

  it("an image in a tool result follows in a user message, before the turn's own text", () => {
    expect(
      toolTurn([
        {
          type: "tool_result",
          tool_use_id: "toolu_1",
          content: [
            { type: "text", text: "screenshot taken" },
            { type: "image", source: { type: "url", url: "https://example.com/s.png" } },
          ],
        },
        { type: "text", text: "What do you see?" },
      ]),
    ).toEqual([
      {
        role: "tool",
        tool_call_id: "toolu_1",
        content:
          "screenshot taken\n\n[the images or files of this tool result follow in the next user message]",
      },
      {
        role: "user",
        content: [
          { type: "image_url", image_url: { url: "https://example.com/s.png" } },
          { type: "text", text: "What do you see?" },
        ],
      },
    ]);
  });
});

describe("tool ids from other providers", () => {
  it.each([
    ["functions.Bash:0"],
    ["call_abc|fc_68a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4"],
    ["toolu_vrtx_01AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"],
  ])("%s maps the same way in the tool call and in its result, within OpenAI's 40 characters", (id) => {
    const body = translate({
      messages: [
        { role: "user", content: "go" },
        { role: "assistant", content: [{ type: "tool_use", id, name: "Bash", input: { command: "ls" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: "ok" }] },
      ],
    });
    const call = body.messages[1] as { tool_calls: Array<{ id: string }> };
    const result = body.messages[2] as { tool_call_id: string };
    expect(call.tool_calls[0]?.id).toBe(result.tool_call_id);
    expect(result.tool_call_id).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
  });

  it("distinct long ids stay distinct", () => {
    const prefix = "toolu_vrtx_01AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    const body = translate({
      messages: [
        { role: "user", content: "go" },
        {
          role: "assistant",
          content: [
            { type: "tool_use", id: `${prefix}A`, name: "Bash", input: {} },
            { type: "tool_use", id: `${prefix}B`, name: "Bash", input: {} },
          ],
        },
      ],
    });
    const calls = (body.messages[1] as { tool_calls: Array<{ id: string }> }).tool_calls;
    expect(calls[0]?.id).not.toBe(calls[1]?.id);
  });
});

describe("tool names in the history", () => {
  it("a long tool name in an earlier tool call uses the same shortened name as the declaration", () => {
    const body = translate({
      tools: [{ name: LONG_MCP_NAME, input_schema: { type: "object" } }],
      messages: [
        { role: "user", content: "go" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: LONG_MCP_NAME, input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "[]" }] },
      ],
    });
    const declared = body.tools?.[0];
    const called = (body.messages[1] as { tool_calls: Array<{ function: { name: string } }> }).tool_calls[0];
    expect(called?.function.name).toBe(shortenToolName(LONG_MCP_NAME));
    expect(declared?.type === "function" && declared.function.name).toBe(called?.function.name);
  });
});

describe("invalid requests", () => {
  it.each([
    ["no messages", { messages: undefined }, "messages"],
    ["an empty messages array", { messages: [] }, "messages"],
    ["an unknown role", { messages: [{ role: "tool", content: "x" }] }, "messages.0.role"],
    [
      "content that is neither string nor blocks",
      { messages: [{ role: "user", content: 42 }] },
      "messages.0.content",
    ],
    ["a tool without a name", { tools: [{ input_schema: { type: "object" } }] }, "tools.0.name"],
    ["stop_sequences that are not strings", { stop_sequences: [1] }, "stop_sequences"],
  ])("%s is refused with its field named", (_name, overrides, param) => {
    expect(invalidParam(() => translate(overrides))).toBe(param);
  });
});
