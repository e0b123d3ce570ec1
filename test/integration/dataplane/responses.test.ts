// /v1/responses with the official openai SDK as the client, against upstreams of all three
// kinds: Chat Completions and Anthropic Messages (translated), and a Responses upstream
// (passthrough, only `model` rewritten). The mocks check the tool loop's second turn.
import { readFileSync } from "node:fs";
import { createConnectTransport } from "@connectrpc/connect-node";
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
import { clientsFor } from "../control/admin-harness.js";

let upstream: MockUpstream | undefined;
let parley: TestParley | undefined;
afterEach(async () => {
  await parley?.close();
  await upstream?.close();
  parley = upstream = undefined;
});

const EXEC_TOOL = {
  type: "function" as const,
  name: "exec_command",
  description: "Runs a shell command",
  strict: false,
  parameters: { type: "object", properties: { cmd: { type: "string" } }, required: ["cmd"] },
};

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-r1",
  object: "chat.completion.chunk",
  created: 1741569952,
  model: "gpt-4.1",
  choices: [{ index: 0, delta, finish_reason: finish }],
});

/** A Chat Completions upstream: the first turn calls exec_command, the second must carry its output. */
function chatUpstream(req: RecordedRequest, res: Parameters<Parameters<typeof startMockUpstream>[0]>[1]) {
  const messages = req.json.messages as Array<Record<string, unknown>>;
  const toolMessage = messages.find((m) => m.role === "tool");
  if (!toolMessage) {
    return sseChunks(
      res,
      openaiSse([
        chunk({ role: "assistant", content: null }),
        chunk({
          tool_calls: [
            { index: 0, id: "call_1", type: "function", function: { name: "exec_command", arguments: "" } },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"cmd":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"cat note.txt"}' } }] }),
        chunk({}, "tool_calls"),
        { ...chunk({}), choices: [], usage: { prompt_tokens: 30, completion_tokens: 8, total_tokens: 38 } },
      ]),
    );
  }
  // The second turn: the assistant's call and the tool's answer, paired by id.
  const assistant = messages.find((m) => Array.isArray(m.tool_calls));
  const calls = (assistant?.tool_calls ?? []) as Array<{ id: string }>;
  if (calls[0]?.id !== toolMessage.tool_call_id) {
    return json(res, 400, {
      error: { message: "tool message answers no call", type: "invalid_request_error" },
    });
  }
  return sseChunks(
    res,
    openaiSse([
      chunk({ role: "assistant", content: "" }),
      chunk({ content: `The note says: ${toolMessage.content}` }),
      chunk({}, "stop"),
      { ...chunk({}), choices: [], usage: { prompt_tokens: 50, completion_tokens: 6, total_tokens: 56 } },
    ]),
  );
}

async function toolLoop(client: OpenAI) {
  const first = await client.responses
    .stream({ model: "gpt-x", input: "read note.txt", tools: [EXEC_TOOL], store: false })
    .finalResponse();
  const call = first.output.find((o) => o.type === "function_call");
  expect(call).toMatchObject({
    type: "function_call",
    name: "exec_command",
    arguments: '{"cmd":"cat note.txt"}',
  });
  const second = await client.responses
    .stream({
      model: "gpt-x",
      store: false,
      tools: [EXEC_TOOL],
      input: [
        { role: "user", content: "read note.txt" },
        call as OpenAI.Responses.ResponseFunctionToolCall,
        {
          type: "function_call_output",
          call_id: (call as { call_id: string }).call_id,
          output: "hello world",
        },
      ],
    })
    .finalResponse();
  return { first, second };
}

describe("Responses client → Chat Completions upstream", () => {
  it("runs a streamed function-call loop and answers non-streaming requests", async () => {
    upstream = await startMockUpstream((req, res) =>
      req.json.stream
        ? chatUpstream(req, res)
        : json(
            res,
            200,
            JSON.parse(readFileSync("test/fixtures/responses/chat-completion-exec-command.json", "utf8")),
          ),
    );
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-p",
    });
    const client = new OpenAI({ baseURL: `${parley.url}/v1`, apiKey: "x", maxRetries: 0 });
    const { second } = await toolLoop(client);
    expect(second.output_text).toBe("The note says: hello world");
    expect(second.status).toBe("completed");
    expect(second.usage?.input_tokens).toBe(50);
    expect(upstream.requests[0]!.url).toBe("/v1/chat/completions");
    const plain = await client.responses.create({
      model: "gpt-x",
      input: "read note.txt",
      tools: [EXEC_TOOL],
    });
    expect(plain.object).toBe("response");
    expect(plain.output.some((o) => o.type === "function_call")).toBe(true);
  });

  it("refuses previous_response_id with a 400 that says to send the whole input", async () => {
    upstream = await startMockUpstream((_req, res) => json(res, 500, {}));
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-p",
    });
    const client = new OpenAI({ baseURL: `${parley.url}/v1`, apiKey: "x", maxRetries: 0 });
    const failure = await client.responses
      .create({ model: "gpt-x", input: "more", previous_response_id: "resp_123" })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((failure as Error).message)).toMatch(/store: false/);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe("Responses client → Anthropic upstream", () => {
  it("runs the same loop through Messages: tool_use out, tool_result back", async () => {
    upstream = await startMockUpstream((req, res) => {
      const messages = req.json.messages as Array<{ role: string; content: unknown }>;
      const results = messages
        .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
        .filter((b) => b.type === "tool_result");
      const start = {
        type: "message_start",
        message: {
          id: "msg_r1",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-5",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 40, output_tokens: 1 },
        },
      };
      if (results.length === 0) {
        return sseChunks(
          res,
          anthropicSse([
            start,
            {
              type: "content_block_start",
              index: 0,
              content_block: { type: "tool_use", id: "toolu_1", name: "exec_command", input: {} },
            },
            {
              type: "content_block_delta",
              index: 0,
              delta: { type: "input_json_delta", partial_json: '{"cmd":"cat note.txt"}' },
            },
            { type: "content_block_stop", index: 0 },
            {
              type: "message_delta",
              delta: { stop_reason: "tool_use", stop_sequence: null },
              usage: { output_tokens: 9 },
            },
            { type: "message_stop" },
          ]),
        );
      }
      const result = results[0] as { tool_use_id: string; content: unknown };
      if (result.tool_use_id !== "toolu_1")
        return json(res, 400, {
          type: "error",
          error: { type: "invalid_request_error", message: "unpaired" },
        });
      const text = typeof result.content === "string" ? result.content : JSON.stringify(result.content);
      return sseChunks(
        res,
        anthropicSse([
          start,
          { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
          {
            type: "content_block_delta",
            index: 0,
            delta: {
              type: "text_delta",
              text: `Read: ${text.includes("hello world") ? "hello world" : text}`,
            },
          },
          { type: "content_block_stop", index: 0 },
          {
            type: "message_delta",
            delta: { stop_reason: "end_turn", stop_sequence: null },
            usage: { output_tokens: 4 },
          },
          { type: "message_stop" },
        ]),
      );
    });
    parley = await startTestParley({
      PARLEY_ANTHROPIC_BASE_URL: upstream.url,
      PARLEY_ANTHROPIC_API_KEY: "sk-ant",
    });
    const client = new OpenAI({ baseURL: `${parley.url}/v1`, apiKey: "x", maxRetries: 0 });
    const { second } = await toolLoop(client);
    expect(second.output_text).toBe("Read: hello world");
    expect(upstream.requests[0]!.url).toBe("/v1/messages");
  });
});

describe("Responses client → Responses upstream (passthrough)", () => {
  it("forwards every byte but the model, the client's headers, and the upstream's answer headers", async () => {
    const sse = readFileSync("test/fixtures/responses/responses-stream-exec-command.sse", "utf8");
    upstream = await startMockUpstream((_req, res) => {
      res.writeHead(200, {
        "content-type": "text/event-stream",
        "x-request-id": "req_up",
        "openai-organization": "org-1",
        "x-ratelimit-remaining-requests": "99",
      });
      res.end(sse);
    });
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-p",
      PARLEY_MODEL_MAP: "codex-model=openai/gpt-5-codex",
    });
    // The provider says it serves /v1/responses (on by default only for api.openai.com).
    const admin = clientsFor(createConnectTransport({ baseUrl: parley.adminUrl, httpVersion: "1.1" }));
    await admin.providers.updateProvider({
      provider: { id: "openai", responsesApi: true },
      updateMask: { paths: ["responses_api"] },
    });
    const body =
      '{"model":"codex-model","stream":true,"store":false,"input":"read note.txt","n":12345678901234567890}';
    const response = await fetch(`${parley.url}/v1/responses`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        originator: "codex_exec",
        "session-id": "s-1",
        "x-codex-beta": "1",
      },
      body,
    });
    const text = await response.text();
    expect(text).toBe(sse);
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("99");
    expect(response.headers.get("openai-organization")).toBe("org-1");
    const seen = upstream.requests[0]!;
    expect(seen.url).toBe("/v1/responses");
    expect(seen.body).toBe(body.replace('"codex-model"', '"gpt-5-codex"'));
    expect(seen.headers).toMatchObject({
      originator: "codex_exec",
      "session-id": "s-1",
      "x-codex-beta": "1",
      authorization: "Bearer sk-p",
    });
  });
});

describe("resilience and observability on /v1/responses", () => {
  const textChunks = [
    chunk({ role: "assistant", content: "" }),
    chunk({ content: "all good" }),
    chunk({}, "stop"),
    { ...chunk({}), choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } },
  ];

  it("falls over invisibly when a stream breaks before content, and counts the dialect", async () => {
    upstream = await startMockUpstream((_req, res, n) => {
      if (n === 1) {
        // A role-only chunk, then the connection drops: nothing of value was sent.
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(openaiSse([chunk({ role: "assistant", content: "" })])[0]);
        setTimeout(() => res.destroy(), 10);
        return;
      }
      return sseChunks(res, openaiSse(textChunks));
    });
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-p",
    });
    const client = new OpenAI({ baseURL: `${parley.url}/v1`, apiKey: "x", maxRetries: 0 });
    const { data: stream, response } = await client.responses
      .create({ model: "gpt-x", input: "hi", store: false, stream: true })
      .withResponse();
    const types: string[] = [];
    let text = "";
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") text += event.delta;
    }
    // One well-formed stream: created once, completed once, the text of the second attempt.
    expect(types.filter((t) => t === "response.created")).toHaveLength(1);
    expect(types.at(-1)).toBe("response.completed");
    expect(text).toBe("all good");
    expect(response.headers.get("x-parley-attempts")).toBe("2");
    expect(upstream.requests).toHaveLength(2);
    const metrics = await (await fetch(`${parley.url}/metrics`)).text();
    expect(metrics).toMatch(
      /parley_requests_total\{route="\/v1\/responses",model="\*",provider="openai",status_class="2xx"\} 1/,
    );
    expect(metrics).toMatch(/parley_tokens_total\{provider="openai",model="\*",direction="output"\} 2/);
  });

  it("ends a stream that breaks after content with the failure events, and the SDK raises", async () => {
    upstream = await startMockUpstream((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const c of openaiSse(textChunks.slice(0, 2)).slice(0, 2)) res.write(c);
      setTimeout(() => res.destroy(), 30);
    });
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-p",
      PARLEY_MAX_RETRIES: "0",
    });
    const raw = await fetch(`${parley.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-x", input: "hi", stream: true }),
    }).then((r) => r.text());
    expect(raw).toContain("event: response.output_text.delta");
    expect(raw).toContain("event: error");
    expect(raw.trimEnd().split("\n\n").at(-1)).toMatch(/^event: response\.failed/);
    const client = new OpenAI({ baseURL: `${parley.url}/v1`, apiKey: "x", maxRetries: 0 });
    const failure = await client.responses
      .stream({ model: "gpt-x", input: "hi" })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
  });
});
