// A scripted upstream on a real socket: each request is recorded and answered by the
// handler the test gives, which can switch on the request count to script failures.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the mock received. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** The body parsed as JSON, or undefined. */
  json: any;
}

/** Answers one request; `n` counts from 1. */
export type MockHandler = (req: RecordedRequest, res: ServerResponse, n: number) => void | Promise<void>;

/** A running mock upstream. */
export interface MockUpstream {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a mock upstream on 127.0.0.1 and an ephemeral port. */
export async function startMockUpstream(handler: MockHandler): Promise<MockUpstream> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, json };
    requests.push(recorded);
    try {
      await handler(recorded, res, requests.length);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON response. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(text);
}

/** Writes an SSE response from raw chunks, optionally pausing between them. */
export async function sseChunks(
  res: ServerResponse,
  chunks: Array<string | Buffer>,
  delayMs = 0,
): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const chunk of chunks) {
    res.write(chunk);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  }
  res.end();
}

/** Anthropic wire events (`event:` + `data:`) from payloads with a `type`. */
export function anthropicSse(events: Array<{ type: string } & Record<string, unknown>>): string[] {
  return events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
}

/** OpenAI wire chunks (`data:` lines) ending with `[DONE]`. */
export function openaiSse(chunks: unknown[]): string[] {
  return [...chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`), "data: [DONE]\n\n"];
}
