// A provider's own request limits, set through the admin API, on real sockets: a request
// over one is never sent to that provider. Alone, the provider answers the client with a
// 400 (messages) or 413 (body) in the client's dialect naming it; in a fallback chain the
// request goes on to the next target; when every target refuses, the client gets the last
// refusal.
import Anthropic from "@anthropic-ai/sdk";
import { createConnectTransport } from "@connectrpc/connect-node";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import {
  json,
  type MockUpstream,
  openaiSse,
  sseChunks,
  startMockUpstream,
} from "../../helpers/mock-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";
import { openaiCompletion, openaiTextChunks } from "../../helpers/wire.js";
import { clientsFor } from "../control/admin-harness.js";

const MAX_MESSAGES = 10;
const MAX_BODY_BYTES = 8 * 1024;

let parley: TestParley;
const upstreams: Record<"small" | "tiny" | "big", MockUpstream> = {} as never;

beforeAll(async () => {
  for (const id of ["small", "tiny", "big"] as const) {
    upstreams[id] = await startMockUpstream((req, res) =>
      req.json?.stream
        ? sseChunks(res, openaiSse(openaiTextChunks(`streamed by ${id}`)))
        : json(res, 200, openaiCompletion()),
    );
  }
  parley = await startTestParley({ PARLEY_MAX_RETRIES: "0" });
  const admin = clientsFor(createConnectTransport({ baseUrl: parley.adminUrl, httpVersion: "1.1" }));
  const provider = (id: keyof typeof upstreams, limits?: { maxBodyBytes?: number; maxMessages?: number }) =>
    admin.providers.createProvider({
      provider: {
        id,
        kind: ProviderKind.OPENAI,
        baseUrl: `${upstreams[id].url}/v1`,
        apiKey: "sk-test",
        limits,
      },
    });
  await provider("small", { maxMessages: MAX_MESSAGES, maxBodyBytes: MAX_BODY_BYTES });
  await provider("tiny", { maxMessages: 5 });
  await provider("big");
  await admin.chains.createFallbackChain({
    fallbackChain: { id: "small-then-big", targets: [{ providerId: "small" }, { providerId: "big" }] },
  });
  await admin.chains.createFallbackChain({
    fallbackChain: { id: "small-then-tiny", targets: [{ providerId: "small" }, { providerId: "tiny" }] },
  });
  const mapping = (alias: string, destination: { case: "fallbackChainId"; value: string }) =>
    admin.mappings.createModelMapping({ modelMapping: { id: alias, alias, destination } });
  await admin.mappings.createModelMapping({
    modelMapping: {
      id: "small-only",
      alias: "small-only",
      destination: { case: "target", value: { providerId: "small" } },
    },
  });
  await mapping("chained", { case: "fallbackChainId", value: "small-then-big" });
  await mapping("all-small", { case: "fallbackChainId", value: "small-then-tiny" });
});
afterAll(async () => {
  await parley?.close();
  for (const upstream of Object.values(upstreams)) await upstream?.close();
});
beforeEach(() => {
  for (const upstream of Object.values(upstreams)) upstream.requests.splice(0);
});

/** A conversation of `n` short turns, user first. */
function conversation(n: number): Array<{ role: "user" | "assistant"; content: string }> {
  return Array.from({ length: n }, (_, i) => ({
    role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
    content: `turn ${i}`,
  }));
}

/** A conversation within the message limit whose body is over the size limit. */
function oversized(): Array<{ role: "user"; content: string }> {
  return [{ role: "user", content: "x".repeat(MAX_BODY_BYTES + 100) }];
}

async function post(path: string, body: Record<string, unknown>) {
  const res = await fetch(`${parley.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

const anthropic = () => new Anthropic({ baseURL: parley.url, apiKey: "x", maxRetries: 0 });
const openai = () => new OpenAI({ baseURL: `${parley.url}/v1`, apiKey: "x", maxRetries: 0 });
const received = (id: keyof typeof upstreams) => upstreams[id].requests.length;

describe("a provider's max_messages", () => {
  it("refuses one message too many with a 400 in Anthropic's shape naming the provider; nothing is sent", async () => {
    const answer = await post("/v1/messages", {
      model: "small-only",
      max_tokens: 10,
      messages: conversation(MAX_MESSAGES + 1),
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message:
          'provider "small" takes at most 10 messages; this request has 11 — trim the conversation or route it elsewhere',
      },
    });
    expect(received("small")).toBe(0);
  });

  it("refuses it with a 400 in OpenAI's shape, param messages", async () => {
    const answer = await post("/v1/chat/completions", {
      model: "small-only",
      messages: conversation(MAX_MESSAGES + 1),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: "invalid_request_error", param: "messages" });
    expect(answer.body.error.message).toContain('provider "small" takes at most 10 messages');
    expect(received("small")).toBe(0);
  });

  it("reaches the SDKs as their own bad-request errors", async () => {
    const viaAnthropic = await anthropic()
      .messages.create({ model: "small-only", max_tokens: 10, messages: conversation(MAX_MESSAGES + 1) })
      .catch((error: unknown) => error);
    expect(viaAnthropic).toBeInstanceOf(Anthropic.BadRequestError);
    expect((viaAnthropic as Error).message).toContain("takes at most 10 messages");
    const viaOpenAI = await openai()
      .chat.completions.create({ model: "small-only", messages: conversation(MAX_MESSAGES + 1) })
      .catch((error: unknown) => error);
    expect(viaOpenAI).toBeInstanceOf(OpenAI.BadRequestError);
    expect(received("small")).toBe(0);
  });

  it("lets exactly the limit through", async () => {
    const answer = await anthropic().messages.create({
      model: "small-only",
      max_tokens: 10,
      messages: conversation(MAX_MESSAGES),
    });
    expect(answer.type).toBe("message");
    expect(received("small")).toBe(1);
  });

  it("counts the input items of a Responses request", async () => {
    const answer = await post("/v1/responses", {
      model: "small-only",
      input: conversation(MAX_MESSAGES + 1).map((m) => ({ type: "message", ...m })),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: "invalid_request_error", param: "input" });
    expect(answer.body.error.message).toContain("this request has 11");
    expect(received("small")).toBe(0);
  });

  it("in a chain, skips the provider: the next target answers as the first attempt", async () => {
    const { data, response } = await anthropic()
      .messages.create({ model: "chained", max_tokens: 10, messages: conversation(MAX_MESSAGES + 1) })
      .withResponse();
    expect(data.type).toBe("message");
    expect(response.headers.get("x-parley-provider")).toBe("big");
    expect(response.headers.get("x-parley-attempts")).toBe("1");
    expect(received("small")).toBe(0);
    expect(received("big")).toBe(1);
    expect(upstreams.big.requests[0]?.json.messages).toHaveLength(MAX_MESSAGES + 1);
  });

  it("in a chain, skips the provider for a stream too", async () => {
    const stream = openai().chat.completions.stream({
      model: "chained",
      messages: conversation(MAX_MESSAGES + 1),
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("streamed by big");
    expect(received("small")).toBe(0);
  });

  it("a request within the limit still goes to the chain's first target", async () => {
    const { response } = await openai()
      .chat.completions.create({ model: "chained", messages: conversation(MAX_MESSAGES) })
      .withResponse();
    expect(response.headers.get("x-parley-provider")).toBe("small");
    expect(received("big")).toBe(0);
  });

  it("when every target of the chain refuses, the client gets the last refusal", async () => {
    const answer = await post("/v1/chat/completions", {
      model: "all-small",
      messages: conversation(MAX_MESSAGES + 1),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain('provider "tiny" takes at most 5 messages');
    expect(answer.headers.get("x-parley-provider")).toBe("tiny");
    expect(answer.headers.get("x-parley-attempts")).toBe("0");
    expect(answer.headers.get("x-parley-fallback-exhausted")).toBe("true");
    expect(received("small") + received("tiny")).toBe(0);
  });
});

describe("a provider's max_body_bytes", () => {
  it("refuses a larger body with a 413 in Anthropic's shape naming the provider; nothing is sent", async () => {
    const answer = await post("/v1/messages", { model: "small-only", max_tokens: 10, messages: oversized() });
    expect(answer.status).toBe(413);
    expect(answer.body.type).toBe("error");
    expect(answer.body.error.type).toBe("request_too_large");
    expect(answer.body.error.message).toMatch(
      /^provider "small" takes request bodies of at most 8 KiB; this one has \d+ bytes/,
    );
    expect(received("small")).toBe(0);
  });

  it("refuses it with a 413 in OpenAI's shape", async () => {
    const answer = await post("/v1/chat/completions", { model: "small-only", messages: oversized() });
    expect(answer.status).toBe(413);
    expect(answer.body.error.type).toBe("invalid_request_error");
    expect(answer.body.error.message).toContain('provider "small" takes request bodies of at most 8 KiB');
    expect(received("small")).toBe(0);
  });

  it("in a chain, skips the provider: the next target gets the whole body", async () => {
    const { response } = await openai()
      .chat.completions.create({ model: "chained", messages: oversized() })
      .withResponse();
    expect(response.headers.get("x-parley-provider")).toBe("big");
    expect(received("small")).toBe(0);
    expect(upstreams.big.requests[0]?.json.messages[0].content).toHaveLength(MAX_BODY_BYTES + 100);
  });
});
