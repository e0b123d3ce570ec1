// A client that stops reading a stream must stop Parley reading the upstream: memory per
// slow client stays about a socket buffer, not the whole stream, and nothing is lost when
// the client reads again. The mock upstream writes as fast as its socket takes bytes and
// counts what it got rid of; with backpressure that count stalls while the client is paused.

import type { ServerResponse } from "node:http";
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";

let upstream: MockUpstream | undefined;
let parley: TestParley | undefined;
afterEach(async () => {
  await parley?.close();
  await upstream?.close();
  parley = upstream = undefined;
});

/** Events in the stream and the text each carries (about 1 KiB an event, 32 MiB in all). */
const EVENTS = 32 * 1024;
const PAD = "x".repeat(1000);

/** How many bytes the mock has handed to its socket so far. */
const offered = { bytes: 0, done: false };

async function writeFast(res: ServerResponse, events: Iterable<string>): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const event of events) {
    offered.bytes += event.length;
    if (!res.write(event)) await new Promise((resolve) => res.once("drain", resolve));
  }
  offered.done = true;
  res.end();
}

function* openaiEvents(): Generator<string> {
  const base = { id: "chatcmpl-big", object: "chat.completion.chunk", created: 1741569952, model: "gpt-4.1" };
  for (let i = 0; i < EVENTS; i++) {
    const chunk = {
      ...base,
      choices: [{ index: 0, delta: { content: `<${i}>${PAD}` }, finish_reason: null }],
    };
    yield `data: ${JSON.stringify(chunk)}\n\n`;
  }
  yield `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`;
  yield "data: [DONE]\n\n";
}

async function setup() {
  offered.bytes = 0;
  offered.done = false;
  upstream = await startMockUpstream((_req, res) => writeFast(res, openaiEvents()));
  parley = await startTestParley({
    PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
    PARLEY_OPENAI_API_KEY: "sk-provider",
  });
  return parley;
}

/** Opens a stream, reads nothing for `pauseMs`, then reads it all; reports the mock's progress. */
function pausedStream(url: string, path: string, body: object, pauseMs: number) {
  return new Promise<{ offeredWhilePaused: number; text: string }>((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      res.pause();
      setTimeout(() => {
        const offeredWhilePaused = offered.bytes;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ offeredWhilePaused, text: Buffer.concat(chunks).toString("utf8") }));
        res.resume();
      }, pauseMs);
    });
    req.end(payload);
  });
}

/** Checks that every numbered delta arrived once and in order. */
function expectAllDeltas(text: string): void {
  const seen = [...text.matchAll(/<(\d+)>/g)].map((m) => Number(m[1]));
  expect(seen.length).toBe(EVENTS);
  expect(seen.every((n, i) => n === i)).toBe(true);
}

describe("a client that stops reading", () => {
  it("pauses a passthrough stream's upstream and loses nothing when it resumes", async () => {
    const p = await setup();
    const result = await pausedStream(
      p.url,
      "/v1/chat/completions",
      { model: "gpt-4.1", stream: true, messages: [{ role: "user", content: "hi" }] },
      1500,
    );
    // Socket buffers on both hops hold a few MiB at most; without backpressure all 32 MiB go.
    expect(result.offeredWhilePaused).toBeLessThan(12 * 1024 * 1024);
    expectAllDeltas(result.text);
    expect(result.text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("pauses a translated stream's upstream and loses nothing when it resumes", async () => {
    const p = await setup();
    const result = await pausedStream(
      p.url,
      "/v1/messages",
      { model: "claude-x", max_tokens: 100, stream: true, messages: [{ role: "user", content: "hi" }] },
      1500,
    );
    expect(result.offeredWhilePaused).toBeLessThan(12 * 1024 * 1024);
    expectAllDeltas(result.text);
    expect(result.text).toContain("event: message_stop");
  });
});
