// The bench's mock upstream, run as its own process: answers Chat Completions and Messages
// on 127.0.0.1, plain or streamed, pausing `d` ms between stream deltas for model `bench-d<d>`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { anthropicMessage, anthropicStream, openaiCompletion, openaiStream } from "./responses.js";

interface ChatBody {
  model?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown };
}

async function readJson(req: IncomingMessage): Promise<ChatBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatBody;
}

function chunkDelayOf(model: string): number {
  const match = /-d(\d+)$/.exec(model);
  return match ? Number(match[1]) : 0;
}

/** Writes the frames, the first content delta at once (so TTFB measures the path, not the mock). */
function stream(
  res: ServerResponse,
  frames: { preamble: string[]; deltas: string[]; tail: string[] },
  delayMs: number,
) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const [first, ...rest] = frames.deltas;
  res.write(frames.preamble.join("") + (first ?? ""));
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  const step = () => {
    if (res.destroyed) return;
    if (next < rest.length) {
      res.write(rest[next++]!);
      timer = setTimeout(step, delayMs);
    } else {
      res.end(frames.tail.join(""));
    }
  };
  res.on("close", () => clearTimeout(timer));
  timer = setTimeout(step, delayMs);
}

function json(res: ServerResponse, body: string): void {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "").split("?")[0];
  if (req.method !== "POST" || (path !== "/v1/chat/completions" && path !== "/v1/messages")) {
    res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
    return;
  }
  const body = await readJson(req);
  const model = typeof body.model === "string" ? body.model : "bench";
  const delayMs = chunkDelayOf(model);
  const streaming = body.stream === true;
  if (path === "/v1/chat/completions") {
    if (!streaming) return json(res, openaiCompletion(model));
    return stream(res, openaiStream(model, body.stream_options?.include_usage === true), delayMs);
  }
  if (!streaming) return json(res, anthropicMessage(model));
  return stream(res, anthropicStream(model), delayMs);
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    if (!res.headersSent) res.writeHead(400, { "content-type": "text/plain" });
    res.end(String(error));
  });
});
server.keepAliveTimeout = 60_000;
server.maxRequestsPerSocket = 0;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ url: `http://127.0.0.1:${port}` });
});
// The runner owns this process: when its IPC channel goes away, so do we.
process.on("disconnect", () => process.exit(0));
