// The admin listener: Connect, gRPC and gRPC-Web on one port, over HTTP/1.1 and h2c.
// Node's cleartext HTTP/2 server cannot fall back to HTTP/1.1, so each connection's
// first bytes are read here: the HTTP/2 preface sends it to the http2 server, anything
// else to the http server; both run the same Connect handler.
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttp2Server, type Http2Session } from "node:http2";
import { Server, type Socket } from "node:net";
import type { ConnectRouter } from "@connectrpc/connect";
import type { Logger } from "../core/logger.js";
import { createAdminHandler } from "./admin-handler.js";
import { bearerAuth } from "./interceptors/bearer-auth.js";
import { errorTranslation } from "./interceptors/error-translation.js";

/** The client connection preface every HTTP/2 connection starts with (RFC 9113 §3.4). */
const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
/** A connection that sends nothing for this long before its protocol is known is closed. */
const PEEK_TIMEOUT_MS = 30_000;

/** What the admin listener serves. */
export interface AdminServerOptions {
  routes: (router: ConnectRouter) => void;
  /** When set, every RPC needs `Authorization: Bearer <token>`. */
  token: string | null;
  logger: Logger;
}

/** The admin listener: a net.Server that can also end the connections it handed on. */
export class AdminServer extends Server {
  /** Closes idle HTTP/1.1 connections and asks HTTP/2 clients to go away once their streams end. */
  closeIdleConnections: () => void = () => {};
  /** Destroys every open connection (in-flight calls and open streams included). */
  closeAllConnections: () => void = () => {};
}

/** Creates the admin listener (not yet listening). */
export function createAdminServer(options: AdminServerOptions): AdminServer {
  const handler = createAdminHandler({
    routes: options.routes,
    interceptors: [
      errorTranslation(options.logger),
      ...(options.token === null ? [] : [bearerAuth(options.token)]),
    ],
    // Admin messages are small; the default (4 GiB) would let one call exhaust memory.
    readMaxBytes: 4 * 1024 * 1024,
    logger: options.logger,
  });
  const http1 = createHttpServer(handler);
  const http2 = createHttp2Server(handler);
  const sessions = new Set<Http2Session>();
  http2.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  const sockets = new Set<Socket>();

  const server = new AdminServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    routeByPreface(socket, (isHttp2) => (isHttp2 ? http2 : http1).emit("connection", socket));
  });
  server.closeIdleConnections = () => {
    http1.closeIdleConnections();
    for (const session of sessions) session.close();
  };
  server.closeAllConnections = () => {
    for (const session of sessions) session.destroy();
    for (const socket of sockets) socket.destroy();
  };
  return server;
}

/** Reads until the first bytes tell HTTP/2 from HTTP/1.x, then puts them back and hands the socket on. */
function routeByPreface(socket: Socket, handOver: (isHttp2: boolean) => void): void {
  let seen = Buffer.alloc(0);
  const onError = () => socket.destroy();
  const onTimeout = () => socket.destroy();
  const onData = (chunk: Buffer) => {
    seen = Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, HTTP2_PREFACE.length);
    const looksHttp2 = seen.subarray(0, n).equals(HTTP2_PREFACE.subarray(0, n));
    if (looksHttp2 && n < HTTP2_PREFACE.length) return;
    socket.off("data", onData);
    socket.off("error", onError);
    socket.off("timeout", onTimeout);
    socket.setTimeout(0);
    socket.pause();
    socket.unshift(seen);
    handOver(looksHttp2);
    // The http2 session drains the readable buffer itself; the HTTP/1.1 parser needs the
    // paused stream flowing again to see the bytes put back.
    if (!looksHttp2) socket.resume();
  };
  socket.on("data", onData);
  socket.on("error", onError);
  socket.on("timeout", onTimeout);
  socket.setTimeout(PEEK_TIMEOUT_MS);
}
