// Demotion (a non-streaming request sent upstream as a stream and answered with the
// accumulated body) and replay (a stream request whose streams keep breaking before content,
// retried once without streaming and replayed to the client as a stream).
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import {
  anthropicSse,
  json,
  type MockUpstream,
  openaiSse,
  sseChunks,
  startMockUpstream,
} from "../../helpers/mock-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";
import { anthropicMessage, openaiTextChunks } from "../../helpers/wire.js";

let upstream: MockUpstream | undefined;
let parley: TestParley | undefined;
afterEach(async () => {
  await parley?.close();
  await upstream?.close();
  parley = upstream = undefined;
});

const BIG = "12345678901234567890";

/** An Anthropic stream with thinking, a signature and a tool call whose input holds an integer above 2^53. */
function anthropicToolStream() {
  return anthropicSse([
    {
      type: "message_start",
      message: {
        id: "msg_demoted",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-4-5",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 21, output_tokens: 1 },
      },
    },
    {
      type: "content_block_start",
      index: 0,
      content_block: { type: "thinking", thinking: "", signature: "" },
    },
    { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "Let me look." } },
    {
      type: "content_block_delta",
      index: 0,
      delta: { type: "signature_delta", signature: "EqQBCkYIARgCSig=" },
    },
    { type: "content_block_stop", index: 0 },
    {
      type: "content_block_start",
      index: 1,
      content_block: { type: "tool_use", id: "toolu_01", name: "Read", input: {} },
    },
    {
      type: "content_block_delta",
      index: 1,
      delta: { type: "input_json_delta", partial_json: '{"id": 1234567' },
    },
    {
      type: "content_block_delta",
      index: 1,
      delta: { type: "input_json_delta", partial_json: "8901234567890}" },
    },
    { type: "content_block_stop", index: 1 },
    {
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { output_tokens: 42 },
    },
    { type: "message_stop" },
  ]);
}

describe("demotion (PARLEY_DEMOTE_NONSTREAMING)", () => {
  it("sends an Anthropic request upstream as a stream and answers the accumulated message, big integers exact", async () => {
    upstream = await startMockUpstream((req, res) =>
      req.json?.stream === true
        ? sseChunks(res, anthropicToolStream())
        : json(res, 500, { error: "not demoted" }),
    );
    parley = await startTestParley({
      PARLEY_ANTHROPIC_BASE_URL: upstream.url,
      PARLEY_ANTHROPIC_API_KEY: "sk-ant-provider",
      PARLEY_DEMOTE_NONSTREAMING: "true",
    });
    const body = { model: "claude-x", max_tokens: 100, messages: [{ role: "user", content: "read it" }] };
    const response = await fetch(`${parley.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const text = await response.text();
    expect(text).toContain(`"id": ${BIG}`);
    const message = JSON.parse(text);
    expect(message).toMatchObject({
      id: "msg_demoted",
      type: "message",
      stop_reason: "tool_use",
      usage: { input_tokens: 21, output_tokens: 42 },
      content: [
        { type: "thinking", thinking: "Let me look.", signature: "EqQBCkYIARgCSig=" },
        { type: "tool_use", id: "toolu_01", name: "Read" },
      ],
    });
    expect(upstream.requests[0]!.json.stream).toBe(true);
  });

  it("asks an OpenAI-compatible upstream for usage and answers one chat.completion through the SDK", async () => {
    upstream = await startMockUpstream((req, res) =>
      req.json?.stream === true
        ? sseChunks(res, openaiSse(openaiTextChunks("demoted text")))
        : json(res, 500, {}),
    );
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-provider",
      PARLEY_DEMOTE_NONSTREAMING: "true",
    });
    const client = new OpenAI({ baseURL: `${parley.url}/v1`, apiKey: "x", maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.choices[0]!.message.content).toBe("demoted text");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage?.completion_tokens).toBe(10);
    // The accumulated answer's usage is counted like any other's.
    const metrics = await (await fetch(`${parley.url}/metrics`)).text();
    expect(metrics).toMatch(/parley_tokens_total\{[^}]*direction="output"[^}]*\} 10\b/);
    expect(upstream.requests[0]!.json).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("demotes a translated request too: Anthropic client, OpenAI-compatible upstream", async () => {
    upstream = await startMockUpstream((req, res) =>
      req.json?.stream === true
        ? sseChunks(res, openaiSse(openaiTextChunks("across dialects")))
        : json(res, 500, {}),
    );
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-provider",
      PARLEY_DEMOTE_NONSTREAMING: "true",
    });
    const client = new Anthropic({ baseURL: parley.url, apiKey: "x", maxRetries: 0 });
    const message = await client.messages.create({
      model: "claude-x",
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(message.content).toEqual([expect.objectContaining({ type: "text", text: "across dialects" })]);
    expect(message.stop_reason).toBe("end_turn");
    expect(upstream.requests[0]!.json.stream).toBe(true);
  });

  it("turns an error inside the demoted stream into an error answer in the client's dialect", async () => {
    upstream = await startMockUpstream((_req, res) =>
      sseChunks(res, [
        ...anthropicToolStream().slice(0, 2),
        'event: error\ndata: {"type":"error","error":{"type":"invalid_request_error","message":"bad tool"}}\n\n',
      ]),
    );
    parley = await startTestParley({
      PARLEY_ANTHROPIC_BASE_URL: upstream.url,
      PARLEY_ANTHROPIC_API_KEY: "sk-ant-provider",
      PARLEY_DEMOTE_NONSTREAMING: "true",
    });
    const client = new Anthropic({ baseURL: parley.url, apiKey: "x", maxRetries: 0 });
    const failure = await client.messages
      .create({ model: "claude-x", max_tokens: 50, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String((failure as Error).message)).toMatch(/bad tool/);
  });
});

describe("replay of a stream that keeps breaking before content", () => {
  it("retries the last attempt without streaming and replays it as one well-formed stream", async () => {
    upstream = await startMockUpstream((req, res) => {
      if (req.json?.stream !== true) return json(res, 200, anthropicMessage());
      // message_start, then the connection drops: a failure before any content.
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(anthropicSse([{ type: "message_start", message: anthropicMessage({ content: [] }) }])[0]);
      setTimeout(() => res.destroy(), 10);
    });
    parley = await startTestParley({
      PARLEY_ANTHROPIC_BASE_URL: upstream.url,
      PARLEY_ANTHROPIC_API_KEY: "sk-ant-provider",
      PARLEY_MAX_RETRIES: "1",
    });
    const client = new Anthropic({ baseURL: parley.url, apiKey: "x", maxRetries: 0 });
    const { data: stream, response } = await client.messages
      .stream({ model: "claude-x", max_tokens: 50, messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    const message = await stream.finalMessage();
    expect(message.content[0]).toMatchObject({ type: "text" });
    expect(response.headers.get("x-parley-attempts")).toBe("2");
    expect(upstream.requests.map((r) => r.json.stream)).toEqual([true, false]);
  });
});
