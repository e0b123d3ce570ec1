import { describe, expect, it } from "vitest";
import { UpstreamHttpError, UpstreamProtocolError } from "../../../../src/core/errors.js";
import {
  type AnthropicResponseContext,
  type OpenAIChatCompletion,
  translateResponse,
} from "../../../../src/translate/anthropic-to-openai/index.js";
import { ToolNameMap } from "../../../../src/translate/tool-identity.js";
import { readJsonFixture } from "./fixtures.js";

const LONG_MCP_NAME = "mcp__plugin_github_github__list_pull_request_review_comments_for_repository";

function context(overrides: Partial<AnthropicResponseContext> = {}): AnthropicResponseContext {
  const toolNames = new ToolNameMap();
  toolNames.add("Read");
  toolNames.add(LONG_MCP_NAME);
  return { clientModel: "claude-sonnet-4-5", upstreamModel: "gpt-4.1", toolNames, ...overrides };
}

function completion(message: Record<string, unknown>, finish_reason: string | null = "stop", extra = {}) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "gpt-4.1",
    choices: [{ index: 0, message: { role: "assistant", content: null, ...message }, finish_reason }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    ...extra,
  } as OpenAIChatCompletion;
}

describe("a whole chat completion", () => {
  it("tool calls become tool_use blocks with their names mapped back", async () => {
    const body = await readJsonFixture<OpenAIChatCompletion>("openai/chat-completion-tool-calls.json");
    const before = structuredClone(body);
    expect(translateResponse(body, context())).toEqual({
      id: "msg_chatcmpl-C3kS5tUvW6xY7zA8bC9dE0fG1hI",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      content: [
        { type: "text", text: "I'll look at both files." },
        {
          type: "tool_use",
          id: "call_Pz7Xw2Lq9Rt4Yv1Nb6Mk3Jh8",
          name: "Read",
          input: { file_path: "/repo/package.json" },
        },
        {
          type: "tool_use",
          id: "call_Ah5Ks0Dj2Fl7Gz9Qw4Ex1Cv6",
          name: LONG_MCP_NAME,
          input: { owner: "acme", repo: "parley", pull_number: 42 },
        },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: {
        input_tokens: 238,
        output_tokens: 72,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 3072,
      },
    });
    expect(body).toEqual(before);
  });

  it("reasoning_content becomes a thinking block before the text, with no signature invented", async () => {
    const body = await readJsonFixture<OpenAIChatCompletion>("openai/chat-completion-reasoning.json");
    const message = translateResponse(body, context({ upstreamModel: "deepseek-reasoner" }));
    expect(message.content).toEqual([
      { type: "thinking", thinking: "Simple geography question. Paris.", signature: "" },
      { type: "text", text: "The capital of France is Paris." },
    ]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toEqual({
      input_tokens: 18,
      output_tokens: 21,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it("OpenRouter's `reasoning` field is read too", () => {
    const message = translateResponse(completion({ content: "Hi.", reasoning: "Greet back." }), context());
    expect(message.content[0]).toEqual({ type: "thinking", thinking: "Greet back.", signature: "" });
  });

  it.each([
    ["stop", false, "end_turn"],
    ["length", false, "max_tokens"],
    ["tool_calls", true, "tool_use"],
    ["function_call", true, "tool_use"],
    ["content_filter", false, "refusal"],
    ["stop", true, "tool_use"],
    [null, false, "end_turn"],
    ["eos", false, "end_turn"],
    ["error", false, "end_turn"],
  ])("finish_reason %s (tool calls: %s) → stop_reason %s", (finish, withTools, expected) => {
    const tool_calls = withTools
      ? [{ id: "call_1", type: "function", function: { name: "Read", arguments: "{}" } }]
      : undefined;
    expect(translateResponse(completion({ content: "x", tool_calls }, finish), context()).stop_reason).toBe(
      expected,
    );
  });

  it.each([
    ["empty", ""],
    ["missing", undefined],
    ["broken JSON", '{"file_path": "/a'],
    ["a JSON array", "[1,2]"],
    ["a JSON string", '"text"'],
  ])("tool arguments that are %s give the input {}", (_name, args) => {
    const message = translateResponse(
      completion(
        { tool_calls: [{ id: "call_1", type: "function", function: { name: "Read", arguments: args } }] },
        "tool_calls",
      ),
      context(),
    );
    expect(message.content).toEqual([{ type: "tool_use", id: "call_1", name: "Read", input: {} }]);
  });

  it("a foreign tool id is made Anthropic-safe; a missing one is derived from the message id", () => {
    const message = translateResponse(
      completion(
        {
          tool_calls: [
            { id: "functions.Read:0", type: "function", function: { name: "Read", arguments: "{}" } },
            { type: "function", function: { name: "Read", arguments: "{}" } },
          ],
        },
        "tool_calls",
      ),
      context(),
    );
    const ids = message.content.map((block) => (block as { id: string }).id);
    expect(ids[0]).toMatch(/^functions_Read_0_[0-9a-f]{8}$/);
    expect(ids[1]).toBe("toolu_chatcmpl-1_1");
  });

  it("a refusal is shown as text and stops with refusal", () => {
    const message = translateResponse(completion({ refusal: "I can't help with that." }), context());
    expect(message.content).toEqual([{ type: "text", text: "I can't help with that." }]);
    expect(message.stop_reason).toBe("refusal");
  });

  it("without usage, input_tokens is the estimate", () => {
    const body = completion({ content: "x" }, "stop", { usage: undefined });
    expect(translateResponse(body, context({ inputTokensEstimate: 321 })).usage).toMatchObject({
      input_tokens: 321,
      output_tokens: 0,
    });
  });

  it("DeepSeek's cache-hit counter is read when cached_tokens is absent", () => {
    const body = completion({ content: "x" }, "stop", {
      usage: {
        prompt_tokens: 1000,
        completion_tokens: 7,
        prompt_cache_hit_tokens: 900,
        prompt_cache_miss_tokens: 100,
      },
    });
    expect(translateResponse(body, context()).usage).toEqual({
      input_tokens: 100,
      output_tokens: 7,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 900,
    });
  });

  it("an error object in a 200 body becomes an upstream error keeping its message and status", () => {
    const body = {
      error: { message: "Rate limit exceeded: free-models-per-day", code: 429 },
    } as OpenAIChatCompletion;
    const error = (() => {
      try {
        translateResponse(body, context());
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UpstreamHttpError);
    expect(error).toMatchObject({
      status: 429,
      message: "Rate limit exceeded: free-models-per-day",
      retryable: true,
    });
  });

  it("a body with no choices is a protocol error", () => {
    expect(() => translateResponse({ id: "x", choices: [] } as OpenAIChatCompletion, context())).toThrow(
      UpstreamProtocolError,
    );
  });
});
