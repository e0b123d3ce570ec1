// Same-dialect traffic through the real server: only `model` changes, every other byte
// (and every SSE line) reaches the client as the upstream sent it.
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

async function anthropicSetup(
  handler: Parameters<typeof startMockUpstream>[0],
  env: Record<string, string> = {},
) {
  upstream = await startMockUpstream(handler);
  parley = await startTestParley({
    PARLEY_ANTHROPIC_BASE_URL: upstream.url,
    PARLEY_ANTHROPIC_API_KEY: "sk-ant-provider",
    PARLEY_MODEL_MAP: "claude-*=anthropic/claude-sonnet-4-5-20250929",
    ...env,
  });
  return new Anthropic({ baseURL: parley.url, apiKey: "client-key", maxRetries: 0 });
}

async function openaiSetup(
  handler: Parameters<typeof startMockUpstream>[0],
  env: Record<string, string> = {},
) {
  upstream = await startMockUpstream(handler);
  parley = await startTestParley({
    PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
    PARLEY_OPENAI_API_KEY: "sk-openai-provider",
    PARLEY_MODEL_MAP: "fast=openai/gpt-4.1-mini",
    ...env,
  });
  return new OpenAI({ baseURL: `${parley.url}/v1`, apiKey: "client-key", maxRetries: 0 });
}

describe("Anthropic → Anthropic passthrough", () => {
  it("answers messages.create and rewrites only the model", async () => {
    const client = await anthropicSetup((_req, res) => json(res, 200, anthropicMessage()));
    const message = await client.messages.create({
      model: "claude-opus-4-1",
      max_tokens: 100,
      system: [{ type: "text", text: "be brief", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "hi" }],
    });
    expect(message.content).toEqual([{ type: "text", text: "Hello from Anthropic" }]);
    const sent = upstream!.requests[0]!;
    expect(sent.url).toBe("/v1/messages");
    expect(sent.json.model).toBe("claude-sonnet-4-5-20250929");
    expect(sent.json.system[0].cache_control).toEqual({ type: "ephemeral" });
    expect(sent.headers["x-api-key"]).toBe("sk-ant-provider");
    // The client's chosen API version passes through untouched.
    expect(sent.headers["anthropic-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(sent.headers)).not.toContain("client-key");
  });

  it("streams with messages.stream().finalMessage()", async () => {
    const client = await anthropicSetup((_req, res) =>
      sseChunks(res, anthropicSse(anthropicTextEvents("Hello there"))),
    );
    const message = await client.messages
      .stream({ model: "claude-haiku-4-5", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "Hello there" }]);
    expect(message.usage.output_tokens).toBe(6);
  });

  it("keeps integers beyond 2^53 and the query string byte for byte", async () => {
    const answer = JSON.stringify(anthropicMessage()).replace(
      '"input_tokens":12',
      '"input_tokens":12345678901234567890',
    );
    await anthropicSetup((_req, res) => json(res, 200, answer));
    const body =
      '{"model":"claude-x","max_tokens":12345678901234567890,"messages":[{"role":"user","content":"hi"}]}';
    const res = await fetch(`${parley!.url}/v1/messages?beta=true`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
        "anthropic-beta": "a,b",
      },
      body,
    });
    expect(await res.text()).toBe(answer);
    const sent = upstream!.requests[0]!;
    expect(sent.url).toBe("/v1/messages?beta=true");
    expect(sent.headers["anthropic-beta"]).toBe("a,b");
    expect(sent.body).toBe(body.replace('"claude-x"', '"claude-sonnet-4-5-20250929"'));
  });

  it("forwards SSE lines exactly: event, id, retry, comments and big integers", async () => {
    const raw = [
      ": upstream comment\n\n",
      'event: message_start\nid: 1\nretry: 3000\ndata: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12345678901234567890,"output_tokens":1}}}\n\n',
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"h\u00e9"}}\n\n',
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\nevent: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n',
    ];
    await anthropicSetup((_req, res) => sseChunks(res, raw, 5));
    const res = await fetch(`${parley!.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "claude-x",
        max_tokens: 5,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(await res.text()).toBe(raw.join(""));
  });

  it("keeps an upstream error status and body", async () => {
    const error = { type: "error", error: { type: "rate_limit_error", message: "slow down" } };
    const client = await anthropicSetup((_req, res) => json(res, 429, error, { "retry-after": "7" }));
    const failure = await client.messages
      .create({ model: "claude-x", max_tokens: 5, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    expect((failure as InstanceType<typeof Anthropic.RateLimitError>).error).toEqual(error);
    expect((failure as InstanceType<typeof Anthropic.RateLimitError>).headers.get("retry-after")).toBe("7");
  });

  it("turns an HTML error page into an Anthropic error with the same status", async () => {
    await anthropicSetup((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
    });
    const res = await fetch(`${parley!.url}/v1/messages`, {
      method: "POST",
      body: JSON.stringify({ model: "claude-x", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(502);
    const body: any = await res.json();
    expect(body.type).toBe("error");
    expect(body.error.type).toBe("api_error");
    expect(body.error.message).toContain("502 Bad Gateway");
  });

  it("synthesizes a stream when the upstream ignores stream:true", async () => {
    const client = await anthropicSetup((_req, res) => json(res, 200, anthropicMessage()));
    const message = await client.messages
      .stream({ model: "claude-x", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "Hello from Anthropic" }]);
    expect(message.stop_reason).toBe("end_turn");
  });

  it("forwards count_tokens with its query string", async () => {
    const client = await anthropicSetup((_req, res) => json(res, 200, { input_tokens: 42 }));
    const counted = await client.messages.countTokens({
      model: "claude-x",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(counted.input_tokens).toBe(42);
    expect(upstream!.requests[0]!.url).toBe("/v1/messages/count_tokens");
    expect(upstream!.requests[0]!.json.model).toBe("claude-sonnet-4-5-20250929");
  });

  it("forwards the client's own credentials to a provider without a key", async () => {
    upstream = await startMockUpstream((_req, res) => json(res, 200, anthropicMessage()));
    parley = await startTestParley({ PARLEY_ANTHROPIC_BASE_URL: upstream.url });
    const client = new Anthropic({ baseURL: parley.url, apiKey: "personal-token", maxRetries: 0 });
    await client.messages.create({
      model: "claude-x",
      max_tokens: 5,
      messages: [{ role: "user", content: "hi" }],
    });
    // The SDK sends its key as a bearer token; it reaches the provider unchanged.
    expect(upstream.requests[0]!.headers.authorization).toBe("Bearer personal-token");
  });
});

describe("OpenAI → OpenAI passthrough", () => {
  it("answers chat.completions.create and rewrites only the model", async () => {
    const client = await openaiSetup((_req, res) => json(res, 200, openaiCompletion()));
    const completion = await client.chat.completions.create({
      model: "fast",
      messages: [{ role: "user", content: "hi" }],
      seed: 7,
    });
    expect(completion.choices[0]!.message.content).toBe("Hello from OpenAI");
    const sent = upstream!.requests[0]!;
    expect(sent.url).toBe("/v1/chat/completions");
    expect(sent.json).toEqual({
      model: "gpt-4.1-mini",
      messages: [{ role: "user", content: "hi" }],
      seed: 7,
    });
    expect(sent.headers.authorization).toBe("Bearer sk-openai-provider");
  });

  it("streams with chat.completions.stream().finalChatCompletion()", async () => {
    const client = await openaiSetup((_req, res) =>
      sseChunks(res, openaiSse(openaiTextChunks("Hello there"))),
    );
    const completion = await client.chat.completions
      .stream({
        model: "fast",
        messages: [{ role: "user", content: "hi" }],
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    expect(completion.choices[0]!.message.content).toBe("Hello there");
    expect(completion.usage?.total_tokens).toBe(29);
  });

  it("treats a 200 stream that opens with an error object as a failure before content", async () => {
    const raw = [
      'data: {"error":{"message":"overloaded","type":"server_error","param":null,"code":503}}\n\n',
    ];
    await openaiSetup((_req, res) => sseChunks(res, raw), { PARLEY_MAX_RETRIES: "1" });
    const res = await fetch(`${parley!.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "fast", stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    // Nothing was sent before the failure, so the client gets a real status after the retry.
    expect(res.status).toBe(503);
    expect(res.headers.get("x-parley-attempts")).toBe("2");
    expect(((await res.json()) as any).error.message).toMatch(/overloaded/);
    expect(upstream!.requests).toHaveLength(2);
  });

  it("synthesizes a stream with usage when the upstream answers JSON", async () => {
    const client = await openaiSetup((_req, res) => json(res, 200, openaiCompletion()));
    const completion = await client.chat.completions
      .stream({
        model: "fast",
        messages: [{ role: "user", content: "hi" }],
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    expect(completion.choices[0]!.message.content).toBe("Hello from OpenAI");
    expect(completion.usage?.prompt_tokens).toBe(19);
  });

  it("keeps an upstream 400 error body for the OpenAI client", async () => {
    const error = {
      error: { message: "bad temperature", type: "invalid_request_error", param: "temperature", code: null },
    };
    const client = await openaiSetup((_req, res) => json(res, 400, error));
    const failure = await client.chat.completions
      .create({ model: "fast", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("temperature");
  });
});
