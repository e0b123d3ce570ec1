// What a slow or oversized client gets: bounded time to send headers and body (408), a
// 413 that closes its connection instead of leaving the unread upload in front of the next
// request, and no bound at all on how long a response stream may run.
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  json,
  type MockUpstream,
  openaiSse,
  sseChunks,
  startMockUpstream,
} from "../../helpers/mock-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";
import { openaiCompletion } from "../../helpers/wire.js";

let upstream: MockUpstream | undefined;
let parley: TestParley | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await parley?.close();
  await upstream?.close();
  parley = upstream = undefined;
});

async function setup(env: Record<string, string> = {}) {
  upstream = await startMockUpstream(async (req, res) => {
    if (req.json?.stream) {
      // A stream that outlives both client timeouts: 6 chunks, 500 ms apart.
      const chunks = Array.from({ length: 6 }, (_, i) => ({
        id: "chatcmpl-slow",
        object: "chat.completion.chunk",
        created: 1741569952,
        model: "gpt-4.1",
        choices: [{ index: 0, delta: { content: `part${i} ` }, finish_reason: i === 5 ? "stop" : null }],
      }));
      return sseChunks(res, openaiSse(chunks), 500);
    }
    json(res, 200, openaiCompletion());
  });
  parley = await startTestParley({
    PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
    PARLEY_OPENAI_API_KEY: "sk-provider",
    ...env,
  });
  return parley;
}

/** A raw connection to Parley that records everything it receives and when it closed. */
function rawClient(url: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  const state = { received: "", closedAt: 0 };
  socket.setEncoding("latin1");
  socket.on("data", (d: string) => {
    state.received += d;
  });
  socket.on("error", () => {});
  const closed = new Promise<number>((resolve) =>
    socket.on("close", () => {
      state.closedAt = Date.now();
      resolve(state.closedAt);
    }),
  );
  const ready = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, state, closed, ready };
}

async function livez(p: TestParley): Promise<{ in_flight: number }> {
  return (await (await fetch(`${p.url}/livez`)).json()) as { in_flight: number };
}

const smallBody = JSON.stringify({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] });

describe("client timeouts", () => {
  it("answers 408 and closes a connection whose headers trickle in past the headers timeout", async () => {
    const p = await setup({ PARLEY_CLIENT_HEADERS_TIMEOUT: "1.5" });
    const client = rawClient(p.url);
    await client.ready;
    const started = Date.now();
    client.socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n");
    // One header byte every 200 ms: slowloris.
    const trickle = setInterval(() => client.socket.writable && client.socket.write("x"), 200);
    const closedAt = await client.closed;
    clearInterval(trickle);
    expect(client.state.received).toMatch(/^HTTP\/1\.1 408/);
    // Enforced within about a second of the configured 1.5 s.
    expect(closedAt - started).toBeGreaterThanOrEqual(1400);
    expect(closedAt - started).toBeLessThan(3000);
  });

  it("answers 408 in the caller's dialect when the body stalls past the body timeout", async () => {
    const p = await setup({ PARLEY_CLIENT_BODY_TIMEOUT: "1" });
    const client = rawClient(p.url);
    await client.ready;
    const started = Date.now();
    client.socket.write(
      "POST /v1/messages HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n" +
        `content-length: ${smallBody.length}\r\n\r\n${smallBody.slice(0, 10)}`,
    );
    const closedAt = await client.closed;
    expect(client.state.received).toMatch(/^HTTP\/1\.1 408/);
    expect(client.state.received).toMatch(/connection: close/i);
    const body = JSON.parse(client.state.received.slice(client.state.received.indexOf("\r\n\r\n") + 4));
    expect(body).toMatchObject({ type: "error", error: { type: "timeout_error" } });
    expect(body.error.message).toMatch(/PARLEY_CLIENT_BODY_TIMEOUT/);
    expect(closedAt - started).toBeGreaterThanOrEqual(900);
    expect(closedAt - started).toBeLessThan(3000);
    expect(upstream!.requests).toHaveLength(0);
  });

  it("never cuts a response stream that lasts longer than both client timeouts", async () => {
    const p = await setup({ PARLEY_CLIENT_HEADERS_TIMEOUT: "1", PARLEY_CLIENT_BODY_TIMEOUT: "1" });
    const response = await fetch(`${p.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4.1", stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    const text = await response.text();
    for (let i = 0; i < 6; i++) expect(text).toContain(`part${i} `);
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("releases a stalled upload from the in-flight count, so a drain is not held up", async () => {
    const p = await setup({ PARLEY_CLIENT_BODY_TIMEOUT: "1" });
    const client = rawClient(p.url);
    await client.ready;
    client.socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\ncontent-length: 100\r\n\r\n{");
    await new Promise((r) => setTimeout(r, 300));
    const during = await livez(p);
    expect(during.in_flight).toBe(1);
    await client.closed;
    const after = await livez(p);
    expect(after.in_flight).toBe(0);
  });
});

describe("body size limit", () => {
  it("answers 413 to a chunked upload over the limit and closes the connection", async () => {
    const p = await setup({ PARLEY_MAX_BODY_BYTES: String(64 * 1024) });
    const client = rawClient(p.url);
    await client.ready;
    client.socket.write(
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n" +
        "transfer-encoding: chunked\r\n\r\n",
    );
    // ~950 KB in 1 KB chunks, written as fast as the socket takes them.
    const chunk = `400\r\n${"a".repeat(1024)}\r\n`;
    const started = Date.now();
    for (let i = 0; i < 950 && !client.socket.destroyed; i++) {
      if (!client.socket.write(chunk)) {
        await Promise.race([
          new Promise((r) => client.socket.once("drain", r)),
          client.closed,
          new Promise((r) => setTimeout(r, 500)),
        ]);
      }
    }
    const closedAt = await client.closed;
    expect(client.state.received).toMatch(/^HTTP\/1\.1 413/);
    expect(client.state.received).toMatch(/connection: close/i);
    expect(client.state.received).toMatch(/"type":"invalid_request_error"|"message"/);
    // Closed within the grace period, not after a keep-alive timeout.
    expect(closedAt - started).toBeLessThan(5000);
  });

  it("leaves no connection behind after many oversized uploads", async () => {
    const p = await setup({ PARLEY_MAX_BODY_BYTES: "1000" });
    const closedAll = [];
    for (let i = 0; i < 20; i++) {
      const client = rawClient(p.url);
      await client.ready;
      client.socket.write(
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n" +
          `transfer-encoding: chunked\r\n\r\n800\r\n${"a".repeat(2048)}\r\n`,
      );
      closedAll.push(client.closed);
    }
    const deadline = new Promise((_, reject) =>
      setTimeout(() => reject(new Error("sockets left open")), 6000),
    );
    await Promise.race([Promise.all(closedAll), deadline]);
    expect((await livez(p)).in_flight).toBe(0);
  });

  it("keeps a bodyless GET's connection alive", async () => {
    const p = await setup();
    const response = await fetch(`${p.url}/livez`);
    await response.text();
    expect(response.headers.get("connection")).not.toBe("close");
  });

  it("accepts a body above the old 10 MiB limit by default", async () => {
    const p = await setup();
    const big = JSON.stringify({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "x".repeat(12 * 1024 * 1024) }],
    });
    const response = await fetch(`${p.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: big,
    });
    expect(response.status).toBe(200);
  });
});
