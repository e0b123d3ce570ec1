// Long silences on a stream (slow reasoning) get keep-alives in the client's dialect, at
// event boundaries only; count_tokens bursts are forwarded once each, never retried.
import Anthropic from "@anthropic-ai/sdk";
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
import { anthropicTextEvents, openaiTextChunks } from "../../helpers/wire.js";

let upstream: MockUpstream | undefined;
let parley: TestParley | undefined;
afterEach(async () => {
  await parley?.close();
  await upstream?.close();
  parley = upstream = undefined;
});

const SILENCE_MS = 400;

async function streamText(path: string, body: object): Promise<string> {
  const res = await fetch(`${parley!.url}${path}`, { method: "POST", body: JSON.stringify(body) });
  return res.text();
}

describe("keep-alive during upstream silence", () => {
  it("sends ping events to an Anthropic client on a translated stream", async () => {
    const chunks = openaiSse(openaiTextChunks("thought long"));
    upstream = await startMockUpstream(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunks[0]!);
      await new Promise((r) => setTimeout(r, SILENCE_MS));
      for (const c of chunks.slice(1)) res.write(c);
      res.end();
    });
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "k",
      PARLEY_PING_INTERVAL: "0.1",
      // Commit at once when the first content is slow, so the keep-alives start.
      PARLEY_COMMIT_DEADLINE: "0.1",
    });
    const text = await streamText("/v1/messages", {
      model: "claude-x",
      max_tokens: 5,
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(text).toContain('event: ping\ndata: {"type":"ping"}\n\n');
    expect(text.indexOf("event: ping")).toBeLessThan(text.indexOf("thought long".slice(0, 6)));
    expect(text).toContain("event: message_stop");
  });

  it("sends comments to an OpenAI client and never splits a passthrough event", async () => {
    const chunks = openaiSse(openaiTextChunks("slow"));
    const firstHalf = chunks[1]!.slice(0, 20);
    upstream = await startMockUpstream(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunks[0]!);
      await new Promise((r) => setTimeout(r, SILENCE_MS));
      // Half an event, then silence: a keep-alive here would corrupt the event.
      res.write(firstHalf);
      await new Promise((r) => setTimeout(r, SILENCE_MS));
      res.write(chunks[1]!.slice(20));
      for (const c of chunks.slice(2)) res.write(c);
      res.end();
    });
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "k",
      PARLEY_PING_INTERVAL: "0.1",
      // Commit at once when the first content is slow, so the keep-alives start.
      PARLEY_COMMIT_DEADLINE: "0.1",
    });
    const text = await streamText("/v1/chat/completions", {
      model: "gpt-4.1",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(text).toContain(": ping\n\n");
    expect(text).toContain(chunks[1]);
    expect(text.replace(/: ping\n\n/g, "")).toBe(chunks.join(""));
  });

  it("keeps a passthrough stream's ping events and adds none when the upstream is busy", async () => {
    upstream = await startMockUpstream((_req, res) =>
      sseChunks(res, anthropicSse(anthropicTextEvents("quick"))),
    );
    parley = await startTestParley({
      PARLEY_ANTHROPIC_BASE_URL: upstream.url,
      PARLEY_ANTHROPIC_API_KEY: "k",
      PARLEY_PING_INTERVAL: "0.1",
      // Commit at once when the first content is slow, so the keep-alives start.
      PARLEY_COMMIT_DEADLINE: "0.1",
    });
    const text = await streamText("/v1/messages", {
      model: "claude-x",
      max_tokens: 5,
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(text).toBe(anthropicSse(anthropicTextEvents("quick")).join(""));
  });
});

describe("count_tokens errors", () => {
  it("turns an HTML error page from the provider into an Anthropic error", async () => {
    upstream = await startMockUpstream((_req, res) => {
      res.writeHead(503, { "content-type": "text/html" });
      res.end("<html><body>Service Unavailable</body></html>");
    });
    parley = await startTestParley({
      PARLEY_ANTHROPIC_BASE_URL: upstream.url,
      PARLEY_ANTHROPIC_API_KEY: "k",
    });
    const res = await fetch(`${parley.url}/v1/messages/count_tokens`, {
      method: "POST",
      body: JSON.stringify({ model: "claude-x", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "upstream error 503: Service Unavailable" },
    });
  });
});

describe("count_tokens bursts", () => {
  it("forwards fifteen concurrent counts once each, failures included", async () => {
    upstream = await startMockUpstream((req, res, n) =>
      n % 5 === 0
        ? json(res, 529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } })
        : json(res, 200, { input_tokens: req.json.messages.length * 10 }),
    );
    parley = await startTestParley({
      PARLEY_ANTHROPIC_BASE_URL: upstream.url,
      PARLEY_ANTHROPIC_API_KEY: "k",
    });
    const client = new Anthropic({ baseURL: parley.url, apiKey: "x", maxRetries: 0 });
    const results = await Promise.allSettled(
      Array.from({ length: 15 }, () =>
        client.messages.countTokens({ model: "claude-x", messages: [{ role: "user", content: "hi" }] }),
      ),
    );
    expect(upstream.requests).toHaveLength(15);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(12);
    expect(
      results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.status),
    ).toEqual([529, 529, 529]);
    expect(upstream.requests.every((r) => r.url === "/v1/messages/count_tokens")).toBe(true);
  });
});
