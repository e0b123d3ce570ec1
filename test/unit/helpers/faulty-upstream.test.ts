// The faulty upstream behaves as each fault is named, seen from a plain client (fetch, node:http
// and the official SDKs pointed straight at it): what arrives, when, and what the counters say.
import { Agent, request as httpRequest } from "node:http";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  CONTEXT_LENGTH_MESSAGES,
  type FaultScript,
  type FaultyUpstream,
  refusingUrl,
  startFaultyUpstream,
  type UpstreamKind,
} from "../../helpers/faulty-upstream.js";

const KINDS: UpstreamKind[] = ["anthropic", "openai"];

let upstream: FaultyUpstream | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await upstream?.close();
  upstream = undefined;
});

async function start(kind: UpstreamKind, script: FaultScript): Promise<FaultyUpstream> {
  upstream = await startFaultyUpstream({ kind, script });
  return upstream;
}

const PATHS: Record<UpstreamKind, string> = { anthropic: "/v1/messages", openai: "/v1/chat/completions" };

function requestBody(kind: UpstreamKind, stream: boolean): Record<string, unknown> {
  const messages = [{ role: "user", content: "hi" }];
  return kind === "anthropic"
    ? { model: "claude-sonnet-4-5", max_tokens: 64, messages, stream }
    : { model: "gpt-4.1", messages, stream };
}

/** What a plain client saw: each chunk with its arrival time, and how it ended. */
interface Seen {
  status?: number;
  headers?: Headers;
  chunks: Array<{ at: number; text: string }>;
  text: string;
  /** The error's code (`ECONNRESET`, `UND_ERR_SOCKET`...) or name (`TimeoutError`); unset on success. */
  error?: string;
  ms: number;
}

function errorCode(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: string } };
  return e.cause?.code ?? e.name ?? String(error);
}

/** POSTs a request the way a proxy would, giving up after `timeoutMs`. */
async function send(
  up: FaultyUpstream,
  options: { stream?: boolean; timeoutMs?: number } = {},
): Promise<Seen> {
  const started = performance.now();
  const seen: Seen = { chunks: [], text: "", ms: 0 };
  try {
    const res = await fetch(`${up.url}${PATHS[up.kind]}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "sk-test" },
      body: JSON.stringify(requestBody(up.kind, options.stream ?? true)),
      signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
    });
    seen.status = res.status;
    seen.headers = res.headers;
    const decoder = new TextDecoder();
    for await (const chunk of res.body!) {
      const text = decoder.decode(chunk, { stream: true });
      seen.chunks.push({ at: performance.now() - started, text });
      seen.text += text;
    }
  } catch (error) {
    seen.error = errorCode(error);
  }
  seen.ms = performance.now() - started;
  return seen;
}

/** How many content deltas a stream carried. */
function contentSteps(kind: UpstreamKind, text: string): number {
  return (text.match(kind === "anthropic" ? /"type":"text_delta"/g : /"delta":\{"content":/g) ?? []).length;
}

/** Whether the stream's preamble arrived (message_start / a role-only chunk). */
function hasPreamble(kind: UpstreamKind, text: string): boolean {
  return text.includes(kind === "anthropic" ? "event: message_start" : '"role":"assistant"');
}

/** Watches the timers started with `delayMs`; `allCleared()` says whether each was cleared. */
function watchTimers(delayMs: number) {
  const started = vi.spyOn(globalThis, "setTimeout");
  const cleared = vi.spyOn(globalThis, "clearTimeout");
  const timers = () =>
    started.mock.calls.flatMap((call, i) => (call[1] === delayMs ? [started.mock.results[i]?.value] : []));
  return {
    count: () => timers().length,
    allCleared: () => timers().every((timer) => cleared.mock.calls.some(([t]) => t === timer)),
  };
}

describe.each(KINDS)("a faulty %s upstream", (kind) => {
  const requestIdHeader = kind === "anthropic" ? "request-id" : "x-request-id";

  describe("ok", () => {
    it("answers JSON the official SDK parses, echoing the model and naming the attempt", async () => {
      const up = await start(kind, ["ok"]);
      const text =
        kind === "anthropic"
          ? await new Anthropic({ baseURL: up.url, apiKey: "k", maxRetries: 0 }).messages
              .create({ model: "claude-x", max_tokens: 8, messages: [{ role: "user", content: "hi" }] })
              .then((m) => {
                expect(m.model).toBe("claude-x");
                return m.content[0]?.type === "text" ? m.content[0].text : "";
              })
          : await new OpenAI({ baseURL: `${up.url}/v1`, apiKey: "k", maxRetries: 0 }).chat.completions
              .create({ model: "gpt-x", messages: [{ role: "user", content: "hi" }] })
              .then((c) => {
                expect(c.model).toBe("gpt-x");
                return c.choices[0]?.message.content;
              });
      expect(text).toBe("The answer from attempt 1.");
      expect(up.requests[0]).toMatchObject({ n: 1, fault: "ok", outcome: "answered" });
    });

    it("streams a sequence the official SDK accumulates into the whole text", async () => {
      const up = await start(kind, ["ok"]);
      let text = "";
      if (kind === "anthropic") {
        const client = new Anthropic({ baseURL: up.url, apiKey: "k", maxRetries: 0 });
        const message = await client.messages
          .stream({ model: "claude-x", max_tokens: 8, messages: [{ role: "user", content: "hi" }] })
          .finalMessage();
        expect(message.stop_reason).toBe("end_turn");
        text = message.content[0]?.type === "text" ? message.content[0].text : "";
      } else {
        const client = new OpenAI({ baseURL: `${up.url}/v1`, apiKey: "k", maxRetries: 0 });
        const stream = await client.chat.completions.create({
          model: "gpt-x",
          messages: [{ role: "user", content: "hi" }],
          stream: true,
          stream_options: { include_usage: true },
        });
        let usage: unknown;
        for await (const chunk of stream) {
          text += chunk.choices[0]?.delta.content ?? "";
          usage = chunk.usage ?? usage;
        }
        expect(usage).toMatchObject({ total_tokens: 29 });
      }
      expect(text).toBe("The answer from attempt 1.");
    });

    it("frames the stream as the real API does", async () => {
      const up = await start(kind, ["ok"]);
      const seen = await send(up);
      expect(seen.status).toBe(200);
      expect(seen.headers?.get("content-type")).toMatch(/^text\/event-stream/);
      expect(seen.headers?.get(requestIdHeader)).toBe("req_faulty_1");
      expect(contentSteps(kind, seen.text)).toBe(5);
      if (kind === "anthropic") {
        const events = [...seen.text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
        expect(events).toEqual([
          "message_start",
          "content_block_start",
          "ping",
          ...Array(5).fill("content_block_delta"),
          "content_block_stop",
          "message_delta",
          "message_stop",
        ]);
      } else {
        expect(seen.text.endsWith('"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n')).toBe(true);
        expect(seen.text).not.toContain('"usage"');
      }
    });
  });

  it("reset: the connection is reset once the request is read, before any byte", async () => {
    const up = await start(kind, ["reset"]);
    const seen = await send(up);
    expect(seen.status).toBeUndefined();
    expect(seen.error).toBe("ECONNRESET");
    expect(seen.ms).toBeLessThan(2_000);
    expect(up.requests[0]).toMatchObject({ fault: "reset", outcome: "reset" });
    expect(up.requests[0]?.json?.model).toBeTypeOf("string");
    expect(up.aborted).toBe(0);
  });

  it("hang: nothing comes back until the caller gives up, which counts as an abort", async () => {
    const up = await start(kind, ["hang"]);
    const seen = await send(up, { timeoutMs: 300 });
    expect(seen.status).toBeUndefined();
    expect(seen.error).toBe("TimeoutError");
    expect(seen.ms).toBeGreaterThanOrEqual(290);
    await up.whenIdle();
    expect(up.requests[0]).toMatchObject({ fault: "hang", outcome: "aborted" });
    expect(up.aborted).toBe(1);
  });

  it("headers-then-stall: 200 and SSE headers at once, then silence", async () => {
    const up = await start(kind, ["headers-then-stall"]);
    const seen = await send(up, { timeoutMs: 400 });
    expect(seen.status).toBe(200);
    expect(seen.headers?.get("content-type")).toMatch(/^text\/event-stream/);
    expect(seen.headers?.get(requestIdHeader)).toBe("req_faulty_1");
    expect(seen.text).toBe("");
    expect(seen.error).toBe("TimeoutError");
    await up.whenIdle();
    expect(up.aborted).toBe(1);
  });

  it("preamble-then-drop: only the preamble, then the connection closes", async () => {
    const up = await start(kind, ["preamble-then-drop"]);
    const seen = await send(up);
    expect(seen.status).toBe(200);
    expect(hasPreamble(kind, seen.text)).toBe(true);
    expect(contentSteps(kind, seen.text)).toBe(0);
    expect(seen.error).toBe("UND_ERR_SOCKET");
    expect(seen.ms).toBeLessThan(2_000);
    await up.whenIdle();
    expect(up.requests[0]?.outcome).toBe("dropped");
    expect(up.aborted).toBe(0);
  });

  it("stream-then-stall: the preamble and two deltas, then silence until the caller gives up", async () => {
    const up = await start(kind, ["stream-then-stall"]);
    const seen = await send(up, { timeoutMs: 400 });
    expect(hasPreamble(kind, seen.text)).toBe(true);
    expect(contentSteps(kind, seen.text)).toBe(2);
    expect(seen.error).toBe("TimeoutError");
    await up.whenIdle();
    expect(up.aborted).toBe(1);
  });

  it("stream-then-reset: some deltas, then the connection is reset", async () => {
    const up = await start(kind, [{ type: "stream-then-reset", steps: 3 }]);
    const seen = await send(up);
    expect(contentSteps(kind, seen.text)).toBe(3);
    expect(seen.error).toBe("ECONNRESET");
    await up.whenIdle();
    expect(up.requests[0]?.outcome).toBe("reset");
    expect(up.aborted).toBe(0);
  });

  it("slow-first-token: the preamble at once, the first content after the delay, then the rest", async () => {
    const up = await start(kind, [{ type: "slow-first-token", delayMs: 400 }]);
    const seen = await send(up);
    const firstContent = seen.chunks.find((c) => contentSteps(kind, c.text) > 0);
    expect(hasPreamble(kind, seen.chunks[0]?.text ?? "")).toBe(true);
    expect(seen.chunks[0]!.at).toBeLessThan(300);
    expect(firstContent!.at).toBeGreaterThanOrEqual(390);
    expect(contentSteps(kind, seen.text)).toBe(5);
    expect(seen.error).toBeUndefined();
  });

  it("status: the code, the kind's error JSON and the headers asked for", async () => {
    const up = await start(kind, [{ type: "status", status: 429, headers: { "retry-after": "2" } }]);
    const seen = await send(up);
    expect(seen.status).toBe(429);
    expect(seen.headers?.get("retry-after")).toBe("2");
    const body = JSON.parse(seen.text);
    if (kind === "anthropic")
      expect(body).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    else expect(body).toMatchObject({ error: { code: "rate_limit_exceeded", type: "requests" } });
  });

  it.each([
    [401, "authentication_error", "invalid_request_error"],
    [500, "api_error", "server_error"],
    [503, "api_error", "server_error"],
    [529, "overloaded_error", "server_error"],
  ])("status %i: the official SDK reads the error type", async (status, anthropicType, openaiType) => {
    const up = await start(kind, [{ type: "status", status }]);
    const error =
      kind === "anthropic"
        ? await new Anthropic({ baseURL: up.url, apiKey: "k", maxRetries: 0 }).messages
            .create({ model: "m", max_tokens: 8, messages: [{ role: "user", content: "hi" }] })
            .catch((e: unknown) => e)
        : await new OpenAI({ baseURL: `${up.url}/v1`, apiKey: "k", maxRetries: 0 }).chat.completions
            .create({ model: "m", messages: [{ role: "user", content: "hi" }] })
            .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(kind === "anthropic" ? Anthropic.APIError : OpenAI.APIError);
    const apiError = error as { status: number; type?: string; error?: { error?: { type?: string } } };
    expect(apiError.status).toBe(status);
    if (kind === "anthropic") expect(apiError.error?.error?.type).toBe(anthropicType);
    else expect(apiError.type).toBe(openaiType);
  });

  it("html-502: a load balancer's HTML page", async () => {
    const up = await start(kind, ["html-502"]);
    const seen = await send(up);
    expect(seen.status).toBe(502);
    expect(seen.headers?.get("content-type")).toBe("text/html");
    expect(seen.text).toContain("<title>502 Bad Gateway</title>");
  });

  it("context-length: a 400 in the kind's own wording", async () => {
    const up = await start(kind, ["context-length"]);
    const seen = await send(up);
    expect(seen.status).toBe(400);
    const body = JSON.parse(seen.text);
    if (kind === "anthropic") {
      expect(body.error).toEqual({
        type: "invalid_request_error",
        message: CONTEXT_LENGTH_MESSAGES.anthropic,
      });
      expect(body.error.message).toMatch(/^prompt is too long: \d+ tokens > \d+ maximum$/);
    } else {
      expect(body.error).toMatchObject({
        code: "context_length_exceeded",
        message: CONTEXT_LENGTH_MESSAGES.openai,
      });
    }
  });

  it("stream faults on a non-stream request cut its JSON body the same way", async () => {
    const up = await start(kind, ["preamble-then-drop", "stream-then-stall"]);
    const dropped = await send(up, { stream: false });
    expect([dropped.status, dropped.headers?.get("content-type"), dropped.text]).toEqual([
      200,
      "application/json",
      "",
    ]);
    expect(dropped.error).toBe("UND_ERR_SOCKET");
    const stalled = await send(up, { stream: false, timeoutMs: 400 });
    expect(stalled.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(stalled.text)).toThrow();
    expect(stalled.error).toBe("TimeoutError");
  });

  it("counts attempts against a list script and answers ok once it runs out", async () => {
    const up = await start(kind, [{ type: "status", status: 503 }, "reset"]);
    const first = await send(up, { stream: false });
    const second = await send(up, { stream: false });
    const third = await send(up, { stream: false });
    expect([first.status, second.error, third.status]).toEqual([503, "ECONNRESET", 200]);
    expect(JSON.parse(third.text)).toMatchObject(
      kind === "anthropic"
        ? { content: [{ text: "The answer from attempt 3." }] }
        : { choices: [{ message: { content: "The answer from attempt 3." } }] },
    );
    expect(up.attempts).toBe(3);
    expect(up.requests.map((r) => r.fault)).toEqual(["status", "reset", "ok"]);
    expect(up.requests[0]!.arrivedAt).toBeLessThan(up.requests[1]!.arrivedAt);
    expect(up.requests[2]?.headers["x-api-key"]).toBe("sk-test");
    expect(up.requests[2]?.json).toEqual(requestBody(kind, false));
  });
});

describe("a faulty upstream's bookkeeping", () => {
  it("a vLLM server words the context-length 400 its own way", async () => {
    const up = await start("openai", [{ type: "context-length", wording: "vllm" }]);
    const seen = await send(up);
    expect(JSON.parse(seen.text)).toEqual({
      error: {
        message: CONTEXT_LENGTH_MESSAGES.vllm,
        type: "BadRequestError",
        param: "input_tokens",
        code: 400,
      },
    });
    expect(CONTEXT_LENGTH_MESSAGES.vllm).toMatch(/^This model's maximum context length is \d+ tokens\./);
  });

  it("a script function picks the fault from the attempt number", async () => {
    const up = await start("openai", (n) => (n % 2 === 1 ? "reset" : "ok"));
    const seen = [await send(up), await send(up), await send(up)];
    expect(seen.map((s) => s.error ?? s.status)).toEqual(["ECONNRESET", 200, "ECONNRESET"]);
  });

  it("a list script continues with `afterScript` once it runs out", async () => {
    upstream = await startFaultyUpstream({ kind: "anthropic", script: ["ok"], afterScript: "html-502" });
    const seen = [await send(upstream), await send(upstream)];
    expect(seen.map((s) => s.status)).toEqual([200, 502]);
  });

  it("records a caller that hangs up mid-body as aborted, with no fault played", async () => {
    const up = await start("openai", ["ok"]);
    const req = httpRequest(`${up.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": "1000" },
    });
    req.on("error", () => {}); // destroyed on purpose below
    req.write('{"model":');
    await up.waitFor(() => up.attempts === 1);
    req.destroy();
    await up.whenIdle();
    expect(up.requests[0]).toMatchObject({ outcome: "aborted", body: "" });
    expect(up.requests[0]?.fault).toBeUndefined();
  });

  it("counts open sockets as keep-alive connections come and go", async () => {
    const up = await start("openai", ["ok", "ok"]);
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    const post = () =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${up.url}/v1/chat/completions`, { method: "POST", agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.end(JSON.stringify({ model: "m", messages: [] }));
      });
    expect(await Promise.all([post(), post()])).toEqual([200, 200]);
    expect(up.openSockets).toBe(2);
    expect(up.inProgress).toBe(0);
    agent.destroy();
    await up.waitFor(() => up.openSockets === 0);
  });

  it("waitFor rejects with the counters when the condition never holds, or with what it threw", async () => {
    const up = await start("openai", []);
    await expect(up.waitFor(() => up.attempts > 0, 50)).rejects.toThrow(/attempts=0 in_progress=0/);
    const thrown = up.waitFor(() => up.requests[0]!.fault === "ok");
    await expect(thrown).rejects.toThrow(TypeError);
  });

  it("close() ends hanging and delayed exchanges at once and leaves no timer behind", async () => {
    const timers = watchTimers(60_000);
    const up = await start("anthropic", ["hang", { type: "slow-first-token", delayMs: 60_000 }]);
    const hung = send(up, { timeoutMs: 10_000 });
    const slow = send(up, { timeoutMs: 10_000 });
    await up.waitFor(() => up.requests.filter((r) => r.fault !== undefined).length === 2);
    const started = performance.now();
    await up.close();
    const seen = await Promise.all([hung, slow]);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(seen.map((s) => s.error)).toEqual(["UND_ERR_SOCKET", "UND_ERR_SOCKET"]);
    expect(up.requests.map((r) => r.outcome)).toEqual(["closed", "closed"]);
    expect(up.aborted).toBe(0);
    expect(timers.count()).toBe(1);
    expect(timers.allCleared()).toBe(true);
  });

  it("a caller hanging up during a delay clears the delay's timer", async () => {
    const timers = watchTimers(60_000);
    const up = await start("openai", [{ type: "slow-first-token", delayMs: 60_000 }]);
    const seen = await send(up, { timeoutMs: 300 });
    expect(seen.error).toBe("TimeoutError");
    await up.whenIdle();
    expect(up.aborted).toBe(1);
    expect(timers.count()).toBe(1);
    expect(timers.allCleared()).toBe(true);
  });

  it("stopListening() refuses connections until listenAgain() brings the same URL back", async () => {
    const up = await start("openai", ["hang"]);
    const hung = send(up);
    await up.waitFor(() => up.requests[0]?.fault === "hang");
    await up.stopListening();
    expect((await hung).error).toBe("UND_ERR_SOCKET");
    expect((await send(up)).error).toBe("ECONNREFUSED");
    await up.listenAgain();
    expect((await send(up)).status).toBe(200);
    expect(up.requests.map((r) => r.outcome)).toEqual(["closed", "answered"]);
  });

  it("refusingUrl() names a port where connecting is refused", async () => {
    const url = await refusingUrl();
    const error = await fetch(url, { method: "POST" }).catch((e: unknown) => e);
    expect(errorCode(error)).toBe("ECONNREFUSED");
  });
});
