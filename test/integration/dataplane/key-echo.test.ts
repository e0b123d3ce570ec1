// Upstreams (and the proxies in front of them) sometimes echo the request's credentials
// back: in a JSON error, an HTML error page, an SSE error event. The provider's key must
// reach neither the client nor a log line, on any path.

import type { ServerResponse } from "node:http";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { type MockUpstream, type RecordedRequest, startMockUpstream } from "../../helpers/mock-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";

const KEY = "sk-live-ECHOED-0123456789abcdef";

let upstream: MockUpstream | undefined;
let parley: TestParley | undefined;
let logs = "";
afterEach(async () => {
  await parley?.close();
  await upstream?.close();
  parley = upstream = undefined;
  logs = "";
});

type Echo = "json-401" | "html-502" | "sse-error-event" | "sse-data" | "json-200";

function credential(req: RecordedRequest): string {
  return String(req.headers.authorization ?? req.headers["x-api-key"] ?? "");
}

/** Answers with the request's credentials quoted back in the way `echo` names. */
function echoing(kind: "openai" | "anthropic", echo: Echo) {
  return (req: RecordedRequest, res: ServerResponse): void => {
    const quoted = `invalid header: ${credential(req)}`;
    if (echo === "json-401") {
      res.writeHead(401, { "content-type": "application/json" });
      const body =
        kind === "openai"
          ? {
              error: { message: quoted, type: "invalid_request_error", param: null, code: "invalid_api_key" },
            }
          : { type: "error", error: { type: "authentication_error", message: quoted } };
      res.end(JSON.stringify(body));
      return;
    }
    if (echo === "html-502") {
      res.writeHead(502, { "content-type": "text/html" });
      res.end(`<html><body><h1>502 Bad Gateway</h1><p>${quoted}</p></body></html>`);
      return;
    }
    if (echo === "json-200") {
      res.writeHead(200, { "content-type": "application/json" });
      const body =
        kind === "openai"
          ? {
              id: "chatcmpl-1",
              object: "chat.completion",
              created: 1,
              model: "m",
              choices: [{ index: 0, message: { role: "assistant", content: quoted }, finish_reason: "stop" }],
            }
          : {
              id: "msg_1",
              type: "message",
              role: "assistant",
              model: "m",
              content: [{ type: "text", text: quoted }],
              stop_reason: "end_turn",
              stop_sequence: null,
              usage: { input_tokens: 1, output_tokens: 1 },
            };
      res.end(JSON.stringify(body));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    if (kind === "openai") {
      const base = { id: "c", object: "chat.completion.chunk", created: 1, model: "m" };
      const text = echo === "sse-data" ? quoted : "hi";
      res.write(
        `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: text } }] })}\n\n`,
      );
      if (echo === "sse-error-event")
        res.write(`data: ${JSON.stringify({ error: { message: quoted } })}\n\n`);
      else res.write("data: [DONE]\n\n");
      res.end();
      return;
    }
    const start = {
      type: "message_start",
      message: {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "m",
        content: [],
        usage: { input_tokens: 1, output_tokens: 0 },
      },
    };
    res.write(`event: message_start\ndata: ${JSON.stringify(start)}\n\n`);
    res.write(
      `event: content_block_start\ndata: ${JSON.stringify({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } })}\n\n`,
    );
    const text = echo === "sse-data" ? quoted : "hi";
    res.write(
      `event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } })}\n\n`,
    );
    if (echo === "sse-error-event") {
      res.write(
        `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "api_error", message: quoted } })}\n\n`,
      );
    } else {
      res.write(`event: message_stop\ndata: {"type":"message_stop"}\n\n`);
    }
    res.end();
  };
}

async function setup(kind: "openai" | "anthropic", echo: Echo) {
  upstream = await startMockUpstream(echoing(kind, echo));
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs += chunk.toString();
      done();
    },
  });
  const env: Record<string, string> =
    kind === "openai"
      ? { PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`, PARLEY_OPENAI_API_KEY: KEY }
      : { PARLEY_ANTHROPIC_BASE_URL: upstream.url, PARLEY_ANTHROPIC_API_KEY: KEY };
  parley = await startTestParley(env, { logger: pino({ level: "debug" }, sink) });
  return parley;
}

const CLIENTS = {
  anthropic: { path: "/v1/messages", body: { model: "claude-x", max_tokens: 10 } },
  openai: { path: "/v1/chat/completions", body: { model: "gpt-x" } },
} as const;

const cases: Array<{
  client: "anthropic" | "openai";
  provider: "openai" | "anthropic";
  echo: Echo;
  stream: boolean;
}> = [];
for (const client of ["anthropic", "openai"] as const) {
  for (const provider of ["openai", "anthropic"] as const) {
    for (const echo of ["json-401", "html-502", "json-200"] as const)
      cases.push({ client, provider, echo, stream: false });
    for (const echo of ["json-401", "html-502", "sse-error-event", "sse-data"] as const) {
      cases.push({ client, provider, echo, stream: true });
    }
  }
}

describe("a provider key echoed by the upstream", () => {
  it.each(cases)("$client client → $provider provider, $echo, stream $stream: redacted", async (c) => {
    const p = await setup(c.provider, c.echo);
    const { path, body } = CLIENTS[c.client];
    const response = await fetch(`${p.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...body, stream: c.stream, messages: [{ role: "user", content: "hi" }] }),
    });
    const text = await response.text();
    expect(upstream!.requests.length).toBeGreaterThan(0);
    expect(credential(upstream!.requests[0]!)).toContain(KEY);
    expect(text).not.toContain(KEY);
    expect(text).toContain("[redacted]");
    await new Promise((r) => setTimeout(r, 20));
    expect(logs).not.toContain(KEY);
  });

  it("is redacted even when the upstream splits it across two writes", async () => {
    upstream = await startMockUpstream(async (req, res) => {
      const quoted = `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: credential(req) } }] })}\n\n`;
      const cut = quoted.indexOf(KEY) + 10;
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(quoted.slice(0, cut));
      await new Promise((r) => setTimeout(r, 30));
      res.write(quoted.slice(cut));
      res.end("data: [DONE]\n\n");
    });
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: KEY,
    });
    const response = await fetch(`${parley.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-x", stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    const text = await response.text();
    expect(text).not.toContain(KEY);
    expect(text).toContain("Bearer [redacted]");
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });
});
