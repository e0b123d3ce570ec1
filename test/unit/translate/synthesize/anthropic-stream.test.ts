import { describe, expect, it } from "vitest";
import {
  type AnthropicMessage,
  type OpenAIChatCompletion,
  translateResponse,
} from "../../../../src/translate/anthropic-to-openai/index.js";
import { synthesizeAnthropicStream } from "../../../../src/translate/synthesize/anthropic-stream.js";
import { ToolNameMap } from "../../../../src/translate/tool-identity.js";
import { readJsonFixture, rebuild } from "../anthropic-to-openai/fixtures.js";

function message(content: unknown[], overrides: Record<string, unknown> = {}): AnthropicMessage {
  return {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5",
    content,
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    ...overrides,
  } as AnthropicMessage;
}

describe("a stream synthesized from a whole message", () => {
  it("replays thinking with its signature, text and a tool call", async () => {
    const body = await readJsonFixture<AnthropicMessage>("anthropic/message-tool-use.json");
    expect(synthesizeAnthropicStream(body)).toEqual([
      {
        type: "message_start",
        message: {
          id: "msg_01XFDUDYJgAACzvnptvVoYEL",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-5-20250929",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: 472,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 2048,
            cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
            output_tokens: 0,
            service_tier: "standard",
          },
        },
      },
      {
        type: "content_block_start",
        index: 0,
        content_block: { type: "thinking", thinking: "", signature: "" },
      },
      {
        type: "content_block_delta",
        index: 0,
        delta: { type: "thinking_delta", thinking: "I need the weather in Paris." },
      },
      {
        type: "content_block_delta",
        index: 0,
        delta: {
          type: "signature_delta",
          signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds",
        },
      },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "text", text: "" } },
      {
        type: "content_block_delta",
        index: 1,
        delta: { type: "text_delta", text: "Let me check the weather." },
      },
      { type: "content_block_stop", index: 1 },
      {
        type: "content_block_start",
        index: 2,
        content_block: {
          type: "tool_use",
          id: "toolu_01A09q90qw90lq917835lq9",
          name: "get_weather",
          input: {},
        },
      },
      {
        type: "content_block_delta",
        index: 2,
        delta: { type: "input_json_delta", partial_json: '{"location":"Paris","unit":"celsius"}' },
      },
      { type: "content_block_stop", index: 2 },
      {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: {
          input_tokens: 472,
          output_tokens: 89,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 2048,
        },
      },
      { type: "message_stop" },
    ]);
  });

  it("a thinking block without a signature gets no signature_delta", () => {
    const events = synthesizeAnthropicStream(message([{ type: "thinking", thinking: "hmm", signature: "" }]));
    expect(events.filter((e) => e.type === "content_block_delta")).toEqual([
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "hmm" } },
    ]);
  });

  it("citations are replayed as citations_delta before the text", () => {
    const citation = {
      type: "char_location",
      cited_text: "Paris",
      document_index: 0,
      start_char_index: 0,
      end_char_index: 5,
    };
    const events = synthesizeAnthropicStream(
      message([{ type: "text", text: "Paris.", citations: [citation] }]),
    );
    expect(events.slice(1, 5)).toEqual([
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "", citations: [] } },
      { type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Paris." } },
      { type: "content_block_stop", index: 0 },
    ]);
  });

  it("blocks without deltas (redacted thinking, server-tool results) are sent whole in their start event", () => {
    const redacted = { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix" };
    const search = { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [] };
    const events = synthesizeAnthropicStream(message([redacted, search]));
    expect(events.slice(1, 5)).toEqual([
      { type: "content_block_start", index: 0, content_block: redacted },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: search },
      { type: "content_block_stop", index: 1 },
    ]);
  });

  it("a message with no content still starts, stops and reports its stop reason", () => {
    expect(synthesizeAnthropicStream(message([], { stop_reason: "max_tokens" })).map((e) => e.type)).toEqual([
      "message_start",
      "message_delta",
      "message_stop",
    ]);
  });

  it("replaying a translated completion rebuilds exactly its content", async () => {
    const completion = await readJsonFixture<OpenAIChatCompletion>("openai/chat-completion-tool-calls.json");
    const toolNames = new ToolNameMap();
    toolNames.add("mcp__plugin_github_github__list_pull_request_review_comments_for_repository");
    const translated = translateResponse(completion, {
      clientModel: "claude",
      upstreamModel: "gpt-4.1",
      toolNames,
    });
    const rebuilt = rebuild(synthesizeAnthropicStream(translated)).map((block) => {
      const { json: _json, ...rest } = block as Record<string, unknown>;
      return rest;
    });
    expect(rebuilt).toEqual(translated.content);
  });
});
