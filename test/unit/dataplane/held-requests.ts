// Request bodies for the held-strings tests, per client dialect: wire captures, bench agent
// conversations, and hand-made bodies that put something at every allowed path and next to it
// (blank text, trailing whitespace, billing lines, data URLs, tool inputs, escapes, non-ASCII).
import { readFileSync } from "node:fs";
import { agentConversation } from "../../../bench/conversations.js";
import type { ClientDialect } from "../../../src/core/dialect-errors.js";

/** A named raw request body. */
export interface RawRequest {
  name: string;
  raw: Buffer;
}

function fixture(path: string): unknown {
  return JSON.parse(readFileSync(`test/fixtures/${path}`, "utf8"));
}

function named(name: string, body: unknown): RawRequest {
  return { name, raw: Buffer.from(JSON.stringify(body), "utf8") };
}

/** Text with what JSON escapes, non-ASCII, a surrogate pair and a NUL. */
const TRICKY = 'line "one"\n\ttab \\ back/slash é “quotes” 😀 \u0000 nul \u2028 end';
const PNG = Buffer.from("\x89PNG fake image bytes for the test").toString("base64");
const PDF = Buffer.from("%PDF-1.4 fake").toString("base64");

function anthropicBodies(): RawRequest[] {
  const capture = fixture("anthropic/claude-code-request.json") as {
    requests: Array<{ path: string; body: unknown }>;
  };
  const captured = capture.requests
    .filter((r) => r.path === "/v1/messages")
    .map((r, i) => named(`Claude Code capture ${i}`, r.body));
  const everything = {
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    system: [
      { type: "text", text: "x-anthropic-billing-header: cc_version=2.1; cc_entrypoint=cli;" },
      { type: "text", text: `You are a coding agent. ${TRICKY}` },
      { type: "text", text: "" },
      { type: "text", text: "\\u0078 escaped x first" },
    ],
    messages: [
      {
        role: "system",
        content: [
          { type: "text", text: "x-anthropic-billing-header: mid" },
          { type: "text", text: "mid system" },
        ],
      },
      { role: "system", content: "x-anthropic-billing-header: as a string stays" },
      { role: "user", content: `plain string turn ${TRICKY}` },
      {
        role: "user",
        content: [
          { type: "text", text: "look at these" },
          { type: "text", text: "" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
          { type: "image", source: { type: "url", url: "https://example.com/a.png" } },
          {
            type: "document",
            title: "  Spec v1  ",
            source: { type: "base64", media_type: "application/pdf", data: PDF },
          },
          {
            type: "document",
            title: "notes",
            source: { type: "text", media_type: "text/plain", data: TRICKY },
          },
          { type: "document", source: { type: "content", content: [{ type: "text", text: "inner doc" }] } },
          {
            type: "search_result",
            title: "result",
            source: "https://example.com",
            content: [{ type: "text", text: "found it" }],
          },
        ],
      },
      {
        role: "assistant",
        content: [
          {
            type: "thinking",
            thinking: "Let me think about it.",
            signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBd",
          },
          { type: "redacted_thinking", data: "RWFybHkgcmVkYWN0ZWQgdGhpbmtpbmc=" },
          { type: "text", text: "I will read both. " },
          { type: "text", text: "Reading." },
          {
            type: "tool_use",
            id: "toolu_01",
            name: "Write",
            input: { file_path: "/a.ts", content: `file body ${TRICKY}`, text: "a text key in input" },
          },
          { type: "tool_use", id: "toolu_02", name: "Read", input: { file_path: "/b.ts" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_01", content: `written ${TRICKY}` },
          {
            type: "tool_result",
            tool_use_id: "toolu_02",
            is_error: true,
            content: [
              { type: "text", text: "     1\tconst a = 1;\n" },
              { type: "text", text: "" },
              { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
              { type: "document", source: { type: "base64", media_type: "application/pdf", data: PDF } },
              {
                type: "search_result",
                title: "t",
                source: "s",
                content: [{ type: "text", text: "in result" }],
              },
            ],
          },
        ],
      },
      { role: "assistant", content: "prefill ends in space " },
    ],
  };
  return [
    ...captured,
    named("older Claude Code request", fixture("anthropic/request-claude-code.json")),
    named("every allowed path", everything),
    named("refused: an image by file id", {
      model: "m",
      max_tokens: 5,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "see" },
            { type: "image", source: { type: "file", file_id: "f_1" } },
          ],
        },
      ],
    }),
    named("refused: an unknown role", {
      model: "m",
      max_tokens: 5,
      messages: [{ role: "bogus", content: "hello there" }],
    }),
    named("string system", {
      model: "m",
      max_tokens: 5,
      system: "just a string",
      messages: [{ role: "user", content: "hi" }],
    }),
  ];
}

function openaiBodies(): RawRequest[] {
  const everything = {
    model: "gpt-4.1",
    messages: [
      { role: "system", content: `system ${TRICKY}` },
      {
        role: "developer",
        content: [
          { type: "text", text: "dev part" },
          { type: "text", text: "   " },
        ],
      },
      { role: "user", content: "   \n  " },
      {
        role: "user",
        content: [
          { type: "text", text: "see the image" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
          { type: "file", file: { filename: "spec.pdf", file_data: `data:application/pdf;base64,${PDF}` } },
          { type: "file", file: { file_data: PDF } },
        ],
      },
      {
        role: "assistant",
        content: "calling",
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "Read", arguments: '{"path":"/a.ts"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: `     1\tfile ${TRICKY}` },
      { role: "tool", tool_call_id: "call_1", content: "  " },
      { role: "assistant", content: [{ type: "text", text: "prefill with trailing newline\n" }] },
    ],
  };
  const trailing = {
    model: "gpt-4.1",
    messages: [
      { role: "user", content: "q" },
      { role: "assistant", content: "prefill ends in spaces   " },
    ],
  };
  return [
    named("multi-turn tools", fixture("openai/request-multi-turn-tools.json")),
    named("every allowed path", everything),
    named("final assistant with trailing spaces", trailing),
    named("refused: audio input", {
      model: "gpt-4.1",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "listen" },
            { type: "input_audio", input_audio: { data: "AAAA", format: "wav" } },
          ],
        },
      ],
    }),
    named("refused: an ftp image", {
      model: "gpt-4.1",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "see" },
            { type: "image_url", image_url: { url: "ftp://x/y.png" } },
          ],
        },
      ],
    }),
  ];
}

function responsesBodies(): RawRequest[] {
  const captures = ["codex-tool-loop-gpt-5.5.json", "codex-tool-loop-qwen3-coder.json"].map((f) =>
    named(`Codex capture ${f}`, (fixture(`responses/${f}`) as { body: unknown }).body),
  );
  const everything = {
    model: "gpt-5-codex",
    instructions: `instructions are echoed ${TRICKY}`,
    input: [
      { role: "developer", content: "dev text" },
      { role: "system", content: [{ type: "input_text", text: "sys part" }] },
      {
        role: "user",
        content: [
          { type: "input_text", text: `question ${TRICKY}` },
          { type: "input_text", text: "  " },
        ],
      },
      {
        role: "user",
        content: [
          { type: "input_text", text: "pictures" },
          { type: "input_image", image_url: `data:image/png;base64,${PNG}`, detail: "high" },
          { type: "input_file", filename: "spec.pdf", file_data: `data:application/pdf;base64,${PDF}` },
        ],
      },
      {
        type: "reasoning",
        id: "rs_1",
        summary: [{ type: "summary_text", text: "thinking summary" }],
        encrypted_content: "gAAAAABencryptedopaque==",
      },
      { role: "assistant", content: [{ type: "output_text", text: "Running it." }] },
      { type: "function_call", call_id: "call_1", name: "shell", arguments: '{"cmd":["ls"]}' },
      { type: "function_call_output", call_id: "call_1", output: `     1\tout ${TRICKY}` },
      { type: "function_call", call_id: "call_2", name: "shell", arguments: "  " },
      { type: "function_call_output", call_id: "call_2", output: "   " },
      {
        type: "custom_tool_call",
        call_id: "call_3",
        name: "apply_patch",
        input: `*** Begin Patch\n${TRICKY}`,
      },
      {
        type: "custom_tool_call_output",
        call_id: "call_3",
        output: [
          { type: "input_text", text: "patched" },
          { type: "input_image", image_url: `data:image/png;base64,${PNG}` },
        ],
      },
      { role: "assistant", content: "prefill ends in newline\n" },
    ],
  };
  return [
    ...captures,
    named("Codex request", fixture("responses/request-codex.json")),
    named("Codex tool output", fixture("responses/request-codex-tool-output.json")),
    named("every allowed path", everything),
    named("refused: an item reference", {
      model: "gpt-5-codex",
      input: [
        { role: "user", content: "earlier" },
        { type: "item_reference", id: "msg_1" },
      ],
    }),
    named("an output without its call (Chat refuses it)", {
      model: "gpt-5-codex",
      input: [
        { role: "user", content: "go" },
        { type: "function_call_output", call_id: "call_9", output: "orphan output" },
      ],
    }),
    named("string input", { model: "gpt-5-codex", instructions: "be brief", input: `hello ${TRICKY}` }),
    named("blank string input", { model: "gpt-5-codex", instructions: "be brief", input: " \n " }),
  ];
}

/** Every test body of a client dialect, the bench's agent conversations included. */
export function requestsOf(dialect: ClientDialect): RawRequest[] {
  const agent = [8 * 1024, 96 * 1024].map((bytes) => ({
    name: `agent conversation ${bytes / 1024} KB`,
    raw: Buffer.from(agentConversation({ dialect, model: "bench-d0", bytes }), "utf8"),
  }));
  const own =
    dialect === "anthropic" ? anthropicBodies() : dialect === "openai" ? openaiBodies() : responsesBodies();
  return [...own, ...agent];
}
