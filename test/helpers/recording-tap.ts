// A recording hop between a client and Parley: it records each request exactly as the
// client sent it and relays bytes both ways unchanged, so a test can compare what the
// client sent with what reached the upstream behind Parley.
import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the client sent it. */
export interface TappedRequest {
  method: string;
  path: string;
  /** The query string with its `?`, or "". */
  query: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A running tap. */
export interface RecordingTap {
  url: string;
  requests: TappedRequest[];
  close(): Promise<void>;
}

/** Starts a tap on an ephemeral port that relays everything to `targetUrl`. */
export async function startRecordingTap(targetUrl: string): Promise<RecordingTap> {
  const target = new URL(targetUrl);
  const requests: TappedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", target);
    requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: url.search,
      headers: req.headers,
      body: body.toString("utf8"),
    });
    const upstream = request(
      url,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`tap: ${error.message}`);
    });
    upstream.end(body);
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
