// Malformed requests on the translated paths, through the real server: each is a 400 in
// the client's own dialect that names the field, streaming or not, and nothing reaches
// the upstream. The bodies are sent as raw JSON text, since an SDK cannot even serialize
// a 10,000-level schema (JSON.stringify overflows the stack on it).
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";
import { anthropicMessage, openaiCompletion } from "../../helpers/wire.js";

/** A tool schema nested `levels` deep, written as text. */
function deepSchemaText(levels: number): string {
  return `${'{"type":"object","properties":{"a":'.repeat(levels)}{"type":"string"}${"}}".repeat(levels)}`;
}

interface Case {
  name: string;
  /** The request body as JSON text, without `model` and `stream` (added per run). */
  body: string;
  /** The field the error must name, in the client's notation. */
  field: string;
}

const ANTHROPIC_CASES: Case[] = [
  {
    name: "a null content block",
    body: '"messages":[{"role":"user","content":[null]}]',
    field: "messages.0.content.0",
  },
  {
    name: "a null tool",
    body: '"messages":[{"role":"user","content":"hi"}],"tools":[null]',
    field: "tools.0",
  },
  {
    name: "a tool_use block with a numeric id",
    body: '"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":7,"name":"Bash","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"7","content":"ok"}]}]',
    field: "messages.1.content.0.id",
  },
  {
    name: "a text block without text",
    body: '"messages":[{"role":"user","content":[{"type":"text"}]}]',
    field: "messages.0.content.0.text",
  },
  {
    name: "a 10,000-level tool schema",
    body: `"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"deep","input_schema":${deepSchemaText(10_000)}}]`,
    field: "tools.0.input_schema",
  },
];

const OPENAI_CASES: Case[] = [
  {
    name: "a null content part",
    body: '"messages":[{"role":"user","content":[null]}]',
    field: "messages[0].content[0]",
  },
  {
    name: "a null tool",
    body: '"messages":[{"role":"user","content":"hi"}],"tools":[null]',
    field: "tools[0]",
  },
  {
    name: "a tool call with a numeric id",
    body: '"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[{"id":7,"type":"function","function":{"name":"Bash","arguments":"{}"}}]},{"role":"tool","tool_call_id":"7","content":"ok"}]',
    field: "messages[1].tool_calls[0].id",
  },
  {
    name: "a text part without text",
    body: '"messages":[{"role":"user","content":[{"type":"text"}]}]',
    field: "messages[0].content[0].text",
  },
  {
    name: "a 10,000-level tool schema",
    body: `"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"deep","parameters":${deepSchemaText(10_000)}}}]`,
    field: "tools[0].function.parameters",
  },
];

async function post(url: string, body: string): Promise<{ status: number; json: any }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) };
}

describe("malformed requests from an Anthropic client to an OpenAI provider", () => {
  let upstream: MockUpstream;
  let parley: TestParley;
  beforeAll(async () => {
    upstream = await startMockUpstream((_req, res) => json(res, 200, openaiCompletion()));
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-provider",
      PARLEY_MODEL_MAP: "claude-*=openai/gpt-4.1",
    });
  });
  afterAll(async () => {
    await parley.close();
    await upstream.close();
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });

  for (const c of ANTHROPIC_CASES) {
    for (const stream of [false, true]) {
      it(`refuses ${c.name} with a 400 naming ${c.field}${stream ? " (streaming)" : ""}`, async () => {
        const body = `{"model":"claude-test","max_tokens":64,"stream":${stream},${c.body}}`;
        const res = await post(`${parley.url}/v1/messages`, body);
        expect(res.status).toBe(400);
        expect(res.json.type).toBe("error");
        expect(res.json.error.type).toBe("invalid_request_error");
        expect(res.json.error.message).toMatch(new RegExp(`^${c.field.replace(/[.[\]]/g, "\\$&")}: `));
        expect(upstream.requests).toHaveLength(0);
      });
    }
  }

  it("gives the SDK a BadRequestError that says what was expected", async () => {
    const client = new Anthropic({ baseURL: parley.url, apiKey: "client", maxRetries: 0 });
    const error = await client.messages
      .create({
        model: "claude-test",
        max_tokens: 64,
        messages: [{ role: "user", content: [null as never] }],
        stream: true,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).message).toContain(
      "messages.0.content.0: expected an object, got null",
    );
    expect(upstream.requests).toHaveLength(0);
  });

  it("still forwards a well-formed request", async () => {
    const client = new Anthropic({ baseURL: parley.url, apiKey: "client", maxRetries: 0 });
    const message = await client.messages.create({
      model: "claude-test",
      max_tokens: 64,
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      tools: [{ name: "Bash", input_schema: { type: "object", properties: { cmd: { type: "string" } } } }],
    });
    expect(message.type).toBe("message");
    expect(upstream.requests).toHaveLength(1);
  });
});

describe("malformed requests from an OpenAI client to an Anthropic provider", () => {
  let upstream: MockUpstream;
  let parley: TestParley;
  beforeAll(async () => {
    upstream = await startMockUpstream((_req, res) => json(res, 200, anthropicMessage()));
    parley = await startTestParley({
      PARLEY_ANTHROPIC_BASE_URL: upstream.url,
      PARLEY_ANTHROPIC_API_KEY: "sk-ant-provider",
      PARLEY_MODEL_MAP: "gpt-*=anthropic/claude-test",
    });
  });
  afterAll(async () => {
    await parley.close();
    await upstream.close();
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });

  for (const c of OPENAI_CASES) {
    for (const stream of [false, true]) {
      it(`refuses ${c.name} with a 400 naming ${c.field}${stream ? " (streaming)" : ""}`, async () => {
        const body = `{"model":"gpt-4.1","stream":${stream},${c.body}}`;
        const res = await post(`${parley.url}/v1/chat/completions`, body);
        expect(res.status).toBe(400);
        expect(res.json.error.type).toBe("invalid_request_error");
        expect(res.json.error.param).toBe(c.field);
        expect(res.json.error.message.startsWith(`${c.field}: `)).toBe(true);
        expect(upstream.requests).toHaveLength(0);
      });
    }
  }

  it("gives the SDK a BadRequestError with the field as param", async () => {
    const client = new OpenAI({ baseURL: `${parley.url}/v1`, apiKey: "client", maxRetries: 0 });
    const error = await client.chat.completions
      .create({
        model: "gpt-4.1",
        messages: [{ role: "user", content: [{ type: "text" } as never] }],
        stream: true,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(bad.param).toBe("messages[0].content[0].text");
    expect(bad.message).toContain("messages[0].content[0].text: expected a string, got nothing");
    expect(upstream.requests).toHaveLength(0);
  });

  it("still forwards a well-formed request", async () => {
    const client = new OpenAI({ baseURL: `${parley.url}/v1`, apiKey: "client", maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: "gpt-4.1",
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      tools: [{ type: "function", function: { name: "Bash", parameters: { type: "object" } } }],
    });
    expect(completion.object).toBe("chat.completion");
    expect(upstream.requests).toHaveLength(1);
  });
});
