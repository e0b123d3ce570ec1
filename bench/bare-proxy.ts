// The bench's bare hop, run as its own process: a node:http server that forwards every request's
// bytes to one upstream over an undici Pool without parsing anything, and streams the answer back.
// What it costs is the floor of one Node.js proxy hop on this machine; Parley is judged against it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Dispatcher, Pool } from "undici";

/** Headers that describe one connection, not the message: never forwarded by a proxy. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "host", "te"]);

function endToEnd(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}

const pool = new Pool(process.argv[2]!, { keepAliveTimeout: 60_000 });
const server = createServer((req, res) => {
  const request = {
    path: req.url ?? "/",
    method: (req.method ?? "GET") as Dispatcher.HttpMethod,
    headers: endToEnd(req.headers),
    body: req,
  };
  pool
    .stream(request, ({ statusCode, headers }) => res.writeHead(statusCode, endToEnd(headers)))
    .catch(() => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
});
server.keepAliveTimeout = 60_000;
server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () => {
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
// The runner owns this process: when its IPC channel goes away, so do we.
process.on("disconnect", () => process.exit(0));
