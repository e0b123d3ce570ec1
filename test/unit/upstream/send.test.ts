// sendUpstream's deadlines and cancellation: the whole-request deadline of a non-stream
// (headers and body), its absence on streams, and a client hang-up reaching the upstream.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dispatcher } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { UpstreamTimeoutError } from "../../../src/core/errors.js";
import type { ProviderConfig } from "../../../src/routing/types.js";
import { UpstreamPools } from "../../../src/upstream/pools.js";
import { sendUpstream } from "../../../src/upstream/send.js";

let server: Server | undefined;
let pools: UpstreamPools | undefined;
afterEach(async () => {
  await pools?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(null));
  server = pools = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts an upstream; `closed` resolves when a request's connection goes away early. */
async function upstream(answer: (res: ServerResponse) => Promise<void>) {
  let onClose = () => {};
  const closed = new Promise<void>((resolve) => {
    onClose = resolve;
  });
  const paths: string[] = [];
  server = createServer((req, res) => {
    paths.push(req.url ?? "");
    res.on("close", () => {
      if (!res.writableFinished) onClose();
    });
    req.resume();
    void answer(res).catch(() => {});
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, closed, paths };
}

function provider(baseUrl: string, requestMs: number): ProviderConfig {
  return {
    id: "p",
    kind: "openai",
    baseUrl,
    apiKey: "k",
    headers: {},
    timeouts: { connectMs: 1000, headersMs: 5000, idleMs: 5000, requestMs },
    maxRetries: null,
    breaker: { failureThreshold: null, openMs: null },
    enabled: true,
    demoteNonStreaming: null,
    responsesApi: false,
    limits: { maxBodyBytes: null, maxMessages: null },
  };
}

function send(baseUrl: string, options: { requestMs: number; stream: boolean; signal?: AbortSignal }) {
  pools = new UpstreamPools();
  return sendUpstream(pools, {
    provider: provider(baseUrl, options.requestMs),
    path: "/chat/completions",
    headers: { "content-type": "application/json" },
    body: "{}",
    stream: options.stream,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

describe("sendUpstream deadlines", () => {
  it("times out a non-stream whose headers come after the whole-request deadline", async () => {
    const up = await upstream(async (res) => {
      await sleep(300);
      res.end("{}");
    });
    await expect(send(up.url, { requestMs: 50, stream: false })).rejects.toBeInstanceOf(UpstreamTimeoutError);
    await up.closed;
  });

  it("times out a non-stream whose body is still arriving at the deadline", async () => {
    const up = await upstream(async (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"a":');
      await sleep(300);
      res.end("1}");
    });
    const response = await send(up.url, { requestMs: 100, stream: false });
    const error = await response.body.text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("TimeoutError");
    await up.closed;
  });

  it("gives a stream no whole-request deadline", async () => {
    const up = await upstream(async (res) => {
      await sleep(150);
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end("data: [DONE]\n\n");
    });
    const response = await send(up.url, { requestMs: 50, stream: true });
    expect(await response.body.text()).toBe("data: [DONE]\n\n");
  });

  it("answers a non-stream that finishes within its deadline, joining the base path", async () => {
    const up = await upstream(async (res) => {
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    const response = await send(`${up.url}/v1/`, { requestMs: 1000, stream: false });
    expect(await response.body.text()).toBe('{"ok":true}');
    expect(up.paths).toEqual(["/v1/chat/completions"]);
  });

  it.each([true, false])(
    "cancels the upstream request when the client hangs up (stream: %s)",
    async (stream) => {
      const up = await upstream(async (res) => {
        await sleep(5000);
        res.end("{}");
      });
      const client = new AbortController();
      const pending = send(up.url, { requestMs: 10_000, stream, signal: client.signal });
      await sleep(50);
      const reason = new Error("client closed the connection");
      client.abort(reason);
      await expect(pending).rejects.toMatchObject({ cause: reason });
      await up.closed;
    },
  );

  it("reads a body whole past the pause mark", async () => {
    const big = "x".repeat(300 * 1024);
    const up = await upstream(async (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      // In pieces and slowly, so more than the 64 KiB pause mark is queued before the end.
      for (let at = 0; at < big.length; at += 16 * 1024) {
        res.write(big.slice(at, at + 16 * 1024));
        await sleep(2);
      }
      res.end();
    });
    const response = await send(up.url, { requestMs: 10_000, stream: false });
    await sleep(100);
    expect((await response.body.bytes()).length).toBe(big.length);
  });

  it("reads a body only up to a limit, then lets the upstream go", async () => {
    const up = await upstream(async (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      for (let i = 0; i < 20; i++) res.write("y".repeat(16 * 1024));
      await sleep(5000);
      res.end();
    });
    const response = await send(up.url, { requestMs: 10_000, stream: false });
    const capped = await response.body.bytes(64 * 1024);
    expect(capped.length).toBeLessThanOrEqual(64 * 1024);
    expect(capped.length).toBeGreaterThan(0);
    await up.closed;
  });
});

/** Pools whose dispatches are watched: the body each was given and the controller's raw headers once the response started. */
class WatchedPools extends UpstreamPools {
  readonly bodies: unknown[] = [];
  readonly rawHeadersAfterStart: unknown[] = [];

  override get(p: ProviderConfig) {
    const pool = super.get(p);
    const watched = this;
    return new Proxy(pool, {
      get(target, key, receiver) {
        if (key !== "dispatch") return Reflect.get(target, key, receiver);
        return (options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) => {
          watched.bodies.push(options.body);
          return target.dispatch(options, {
            onRequestStart: (c, context) => handler.onRequestStart?.(c, context),
            onResponseStart: (c, status, headers, message) => {
              handler.onResponseStart?.(c, status, headers, message);
              watched.rawHeadersAfterStart.push(c.rawHeaders);
            },
            onResponseData: (c, chunk) => handler.onResponseData?.(c, chunk),
            onResponseEnd: (c, trailers) => handler.onResponseEnd?.(c, trailers),
            onResponseError: (c, error) => handler.onResponseError?.(c, error),
          });
        };
      },
    });
  }
}

describe("sendUpstream and what an open stream keeps", () => {
  it("lets undici's raw header list go once the response has started", async () => {
    const up = await upstream(async (res) => {
      res.writeHead(200, { "content-type": "text/event-stream", "x-one": "1", "x-two": "2" });
      res.end("data: [DONE]\n\n");
    });
    const watched = new WatchedPools();
    pools = watched;
    const response = await sendUpstream(watched, {
      provider: provider(up.url, 1000),
      path: "/chat/completions",
      headers: { "content-type": "application/json" },
      body: "{}",
      stream: true,
    });
    expect(response.headers["x-two"]).toBe("2");
    expect(watched.rawHeadersAfterStart).toEqual([null]);
    expect(await response.body.text()).toBe("data: [DONE]\n\n");
  });

  it("sends a stream's body from memory of its own, a non-stream's as given", async () => {
    const received: string[] = [];
    server = createServer((req, res) => {
      let text = "";
      req.setEncoding("utf8");
      req.on("data", (c: string) => {
        text += c;
      });
      req.on("end", () => {
        received.push(text);
        res.writeHead(200, { "content-type": "text/event-stream" }).end("data: [DONE]\n\n");
      });
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const watched = new WatchedPools();
    pools = watched;
    const slice = Buffer.from('{"model":"m","stream":true}'); // a slice of a shared slab
    expect(slice.buffer.byteLength).toBeGreaterThan(slice.length);
    const bodies: Array<string | Buffer> = ['{"text":"é"}', slice, '{"stream":false}'];
    for (const [i, body] of bodies.entries()) {
      const response = await sendUpstream(watched, {
        provider: provider(url, 1000),
        path: "/chat/completions",
        headers: { "content-type": "application/json" },
        body,
        stream: i < 2,
      });
      await response.body.text();
    }
    expect(received).toEqual(['{"text":"é"}', '{"model":"m","stream":true}', '{"stream":false}']);
    const [text, copied, plain] = watched.bodies as [Buffer, Buffer, string];
    for (const own of [text, copied]) {
      expect(Buffer.isBuffer(own)).toBe(true);
      expect(own.buffer.byteLength).toBe(own.length);
    }
    expect(plain).toBe('{"stream":false}');
  });
});
