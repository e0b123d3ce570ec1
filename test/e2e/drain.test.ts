// SIGTERM to a real `parley serve` process: streams in flight run to completion while probes
// say "draining" and new requests are turned away, then the process exits 0; a drain timeout
// cuts what is left; a second signal exits at once.
import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type MockUpstream, openaiSse, sseChunks, startMockUpstream } from "../helpers/mock-upstream.js";
import { type ServeProcess, startServeProcess } from "./serve-process.js";

let server: ServeProcess | undefined;
let upstream: MockUpstream | undefined;
afterEach(async () => {
  await server?.dispose();
  await upstream?.close();
  server = undefined;
  upstream = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An OpenAI stream of `parts` content chunks ("part0 part1 …"), then a finish chunk and [DONE]. */
function streamChunks(parts: number): string[] {
  const base = {
    id: "chatcmpl-drain",
    object: "chat.completion.chunk",
    created: 1741569952,
    model: "gpt-4.1",
  };
  const delta = (content: string) => ({
    ...base,
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });
  return openaiSse([
    { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] },
    ...Array.from({ length: parts }, (_, i) => delta(`part${i} `)),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
  ]);
}

/** A mock OpenAI upstream whose n-th stream has `parts(n)` chunks `delayMs(n)` apart. */
async function slowUpstream(shape: { parts: (n: number) => number; delayMs: (n: number) => number }) {
  upstream = await startMockUpstream((_req, res, n) =>
    sseChunks(res, streamChunks(shape.parts(n)), shape.delayMs(n)),
  );
  return upstream;
}

async function startServer(env: Record<string, string> = {}, viaNpm = false): Promise<ServeProcess> {
  server = await startServeProcess({
    env: { PARLEY_OPENAI_BASE_URL: `${upstream!.url}/v1`, PARLEY_OPENAI_API_KEY: "sk-drain", ...env },
    viaNpm,
  });
  return server;
}

/** A streaming request read to its end: what arrived, and whether it ended cleanly. */
interface StreamRead {
  /** Resolves when the first bytes of the body arrive. */
  started: Promise<void>;
  done: Promise<{ text: string; endedAt: number; error: unknown }>;
}

function openStream(url: string, requestId: string): StreamRead {
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const done = (async () => {
    let text = "";
    try {
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": requestId },
        body: JSON.stringify({ model: "gpt-4.1", stream: true, messages: [{ role: "user", content: "hi" }] }),
      });
      if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`);
      const decoder = new TextDecoder();
      for await (const chunk of response.body!) {
        text += decoder.decode(chunk, { stream: true });
        markStarted();
      }
      return { text, endedAt: Date.now(), error: undefined };
    } catch (error) {
      markStarted();
      return { text, endedAt: Date.now(), error };
    }
  })();
  return { started, done };
}

/**
 * One request, read whole, on a kept-alive connection of its own (or of `agent`): the client asks
 * for keep-alive, so a `connection: close` in the answer is the server's own choice.
 */
function send(
  url: string,
  options: { method?: string; path: string; body?: unknown; agent?: Agent; headers?: Record<string, string> },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: any; socket: Socket }> {
  const agent = options.agent ?? new Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpRequest(
      `${url}${options.path}`,
      {
        method: options.method ?? "GET",
        agent,
        headers: { ...(body ? { "content-type": "application/json" } : {}), ...options.headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => {
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: res.headers["content-type"]?.includes("json") ? JSON.parse(text) : text,
            socket: req.socket!,
          });
          if (agent !== options.agent) agent.destroy();
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const livez = async (url: string) =>
  (await (await fetch(`${url}/livez`)).json()) as { in_flight: number; draining: boolean };

describe("drain on SIGTERM", () => {
  it("lets 50 open streams finish while /health says draining, then exits 0", async () => {
    // 20 chunks each, 150-248 ms apart: the streams end one after another, 3 to 5 s after they start.
    await slowUpstream({ parts: () => 20, delayMs: (n) => 150 + 2 * ((n - 1) % 50) });
    const parley = await startServer();
    // A kept-alive connection, idle when the drain begins: it should be closed, not left to time out.
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    // "/" answers plain text, which keeps its connection open (the JSON probes close theirs).
    const idle = await send(parley.url, { path: "/", agent: keepAlive });
    expect(idle.headers.connection).toBe("keep-alive");
    const idleClosed = new Promise<number>((resolve) => idle.socket.once("close", () => resolve(Date.now())));

    const streams = Array.from({ length: 50 }, (_, i) => openStream(parley.url, `drain-${i}`));
    await Promise.all(streams.map((s) => s.started));
    expect((await livez(parley.url)).in_flight).toBe(50);

    const signalledAt = parley.signal("SIGTERM");
    // Sample /livez until the last stream ends.
    const samples: Array<{ in_flight: number; draining: boolean }> = [];
    let streaming = true;
    const allDone = Promise.all(streams.map((s) => s.done)).finally(() => {
      streaming = false;
    });
    const sampling = (async () => {
      await sleep(50);
      while (streaming) {
        const sample = await livez(parley.url).catch((error) => {
          // The listener closes right after the last stream ends: only then may a probe fail.
          if (streaming) throw error;
        });
        if (sample) samples.push(sample);
        await sleep(100);
      }
    })();

    // Awaited below; marked handled now so a failure above does not also report a stray rejection.
    sampling.catch(() => {});
    await sleep(200);
    const health = await send(parley.url, { path: "/health" });
    expect(health.status).toBe(503);
    expect(health.body.status).toBe("draining");
    expect(health.headers.connection).toBe("close");
    const root = await send(parley.url, { path: "/" });
    expect(root.status).toBe(200);
    expect(root.headers.connection).toBe("close");
    const refused = await send(parley.url, {
      method: "POST",
      path: "/v1/chat/completions",
      body: { model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.connection).toBe("close");
    expect(refused.body.error).toMatchObject({ type: "server_error", code: "PARLEY_ERR_DRAINING" });
    expect(refused.body.error.message).toMatch(/shutting down/);
    const refusedAnthropic = await send(parley.url, {
      method: "POST",
      path: "/v1/messages",
      body: { model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "hi" }] },
    });
    expect(refusedAnthropic.status).toBe(503);
    expect(refusedAnthropic.headers.connection).toBe("close");
    expect(refusedAnthropic.body).toMatchObject({ type: "error", error: { type: "overloaded_error" } });
    expect(await idleClosed).toBeLessThan(signalledAt + 1_000);

    const results = await allDone;
    await sampling;
    for (const result of results) {
      expect(result.error).toBeUndefined();
      for (let i = 0; i < 20; i++) expect(result.text).toContain(`part${i} `);
      expect(result.text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    }
    // The upstream saw only the 50 streams: the refused requests never left the process.
    expect(upstream!.requests).toHaveLength(50);

    expect(samples.length).toBeGreaterThan(10);
    expect(samples.every((s) => s.draining)).toBe(true);
    const counts = samples.map((s) => s.in_flight);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]!);
    expect(counts[0]).toBe(50);
    expect(counts.some((c) => c > 0 && c < 50)).toBe(true);

    const exit = await parley.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    const lastEnd = Math.max(...results.map((r) => r.endedAt));
    expect(exit.at - lastEnd).toBeLessThan(1_000);
    const draining = parley.logs.find((line) => line.msg === "draining");
    expect(draining).toMatchObject({ in_flight: 50, timeout_ms: 600_000 });
    const drained = parley.logs.find((line) => line.msg === "drained");
    expect(drained!.duration_ms).toBeGreaterThan(1_500);
    expect(drained!.duration_ms).toBeLessThan(exit.at - signalledAt);
    keepAlive.destroy();
  }, 30_000);

  it("cuts a stream still running at PARLEY_DRAIN_TIMEOUT, names it, and exits 0", async () => {
    // 50 chunks 200 ms apart: a 10 s stream.
    await slowUpstream({ parts: () => 50, delayMs: () => 200 });
    const parley = await startServer({ PARLEY_DRAIN_TIMEOUT: "1" });
    const stream = openStream(parley.url, "drain-cut-1");
    await stream.started;
    const signalledAt = parley.signal("SIGTERM");
    const exit = await parley.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeGreaterThanOrEqual(950);
    expect(exit.at - signalledAt).toBeLessThan(2_500);
    const result = await stream.done;
    expect(result.text).toContain("part0 ");
    expect(result.text).not.toContain("[DONE]");
    const warning = parley.logs.find((line) => /drain timed out/.test(line.msg));
    expect(warning).toMatchObject({ level: 40, in_flight: 1 });
    expect(warning!.cut).toEqual([
      expect.objectContaining({ request_id: "drain-cut-1", method: "POST", path: "/v1/chat/completions" }),
    ]);
    expect(parley.logs.some((line) => line.msg === "drained")).toBe(false);
  }, 30_000);

  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)(
    "exits at once, with 128 + its number, on a second signal (%s)",
    async (second, code) => {
      await slowUpstream({ parts: () => 50, delayMs: () => 200 });
      const parley = await startServer();
      const stream = openStream(parley.url, "drain-second");
      await stream.started;
      parley.signal("SIGTERM");
      // Well past the window in which a repeat counts as the same signal: the drain is under way.
      await sleep(500);
      expect((await send(parley.url, { path: "/health" })).status).toBe(503);
      const secondAt = parley.signal(second);
      const exit = await parley.exited;
      expect(exit).toMatchObject({ code, signal: null });
      expect(exit.at - secondAt).toBeLessThan(500);
      expect(parley.stderr()).toMatch(new RegExp(`${second} again: exiting now`));
      expect((await stream.done).text).not.toContain("[DONE]");
    },
    30_000,
  );

  it("drains under `npm start` when the signal reaches npm and Parley both, as Ctrl-C does", async () => {
    await slowUpstream({ parts: () => 10, delayMs: () => 150 });
    const parley = await startServer({}, true);
    const stream = openStream(parley.url, "drain-npm");
    await stream.started;
    // npm forwards its own copy to Parley a moment after the one the group signal delivered.
    parley.signal("SIGINT", { group: true });
    const result = await stream.done;
    expect(result.error).toBeUndefined();
    expect(result.text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    // npm ends by its own rules (it re-raises the signal on itself); Parley's own lines show the drain.
    await parley.exited;
    expect(parley.logs.some((line) => line.msg === "drained")).toBe(true);
    expect(parley.stderr()).not.toMatch(/again: exiting now/);
  }, 60_000);
});
