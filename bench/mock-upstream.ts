// The bench's mock upstream, run as its own process: Chat Completions and Messages (no Responses API)
// on 127.0.0.1, plain or streamed. Model `bench-d<ms>` delays a plain answer that long, or spaces a
// stream's deltas that far apart on a fixed schedule (its timer drift never piles up as lateness).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { MOCK_TIMED_SUFFIX } from "./requests.js";
import { anthropicMessage, anthropicStream, openaiCompletion, openaiStream } from "./responses.js";

interface WireBody {
  model?: unknown;
  stream?: unknown;
  system?: unknown;
  stream_options?: { include_usage?: unknown };
  messages?: unknown;
  input?: unknown;
}

/** Block types only the Messages API has: one of these at the Chat Completions path is untranslated. */
const ANTHROPIC_ONLY_BLOCKS = new Set([
  "tool_use",
  "tool_result",
  "thinking",
  "redacted_thinking",
  "document",
]);

/** The body, and when its last byte had arrived (performance.now()). */
async function readJson(req: IncomingMessage): Promise<{ body: WireBody; arrivedAt: number }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const arrivedAt = performance.now();
  return { body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as WireBody, arrivedAt };
}

function delayOf(model: string): number {
  const match = /-d(\d+)(?:-t)?$/.exec(model);
  return match ? Number(match[1]) : 0;
}

/** Why a body cannot have been meant for this path, or undefined when its shape fits. */
function wrongDialect(path: string, body: WireBody): string | undefined {
  const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  if (path === "/v1/chat/completions") {
    if (body.system !== undefined) return "a top-level `system` is a Messages API field";
    if (body.input !== undefined && body.messages === undefined)
      return "a top-level `input` without `messages` is a Responses API body";
    for (const m of messages) {
      if (!Array.isArray(m.content)) continue;
      for (const block of m.content as Array<{ type?: unknown }>) {
        if (ANTHROPIC_ONLY_BLOCKS.has(String(block.type))) return `a ${String(block.type)} block`;
      }
    }
    return undefined;
  }
  for (const m of messages) {
    if (m.role === "system" || m.role === "tool" || m.tool_calls !== undefined)
      return `a Chat Completions message (role ${String(m.role)})`;
  }
  return undefined;
}

/** Writes the preamble and first delta at once (TTFT measures the path), the rest on schedule. */
function stream(
  res: ServerResponse,
  frames: { preamble: string[]; deltas: string[]; tail: string[] },
  delayMs: number,
): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const [first, ...rest] = frames.deltas;
  res.write(frames.preamble.join("") + (first ?? ""));
  const start = performance.now();
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  const step = () => {
    if (res.destroyed) return;
    if (next < rest.length) {
      res.write(rest[next++]!);
      timer = setTimeout(step, Math.max(0, start + (next + 1) * delayMs - performance.now()));
    } else {
      res.end(frames.tail.join(""));
    }
  };
  res.on("close", () => clearTimeout(timer));
  timer = setTimeout(step, delayMs);
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "").split("?")[0] ?? "";
  if (req.method !== "POST" || (path !== "/v1/chat/completions" && path !== "/v1/messages")) {
    send(res, 404, '{"error":{"type":"not_found_error","message":"not found"}}');
    return;
  }
  const { body, arrivedAt } = await readJson(req);
  const refusal = wrongDialect(path, body);
  if (refusal !== undefined) {
    const message = `bench mock: ${refusal} at ${path}: this body was not translated`;
    send(res, 400, JSON.stringify({ error: { type: "invalid_request_error", message } }));
    return;
  }
  const model = typeof body.model === "string" ? body.model : "bench";
  const delayMs = delayOf(model);
  const openai = path === "/v1/chat/completions";
  if (body.stream === true) {
    const frames = openai
      ? openaiStream(model, body.stream_options?.include_usage === true)
      : anthropicStream(model);
    stream(res, frames, delayMs);
    return;
  }
  const answer = () => {
    // Its own time so far: reading the body into JSON, the checks, the delay it was asked for.
    const lead = model.endsWith(MOCK_TIMED_SUFFIX)
      ? `mock-us=${Math.round((performance.now() - arrivedAt) * 1000)};`
      : "";
    return openai ? openaiCompletion(model, lead) : anthropicMessage(model, lead);
  };
  if (delayMs === 0) send(res, 200, answer());
  else setTimeout(() => send(res, 200, answer()), delayMs);
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    if (!res.headersSent) res.writeHead(400, { "content-type": "text/plain" });
    res.end(String(error));
  });
});
server.keepAliveTimeout = 60_000;
server.maxRequestsPerSocket = 0;
server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ url: `http://127.0.0.1:${port}` });
});
// The runner owns this process: when its IPC channel goes away, so do we.
process.on("disconnect", () => process.exit(0));
