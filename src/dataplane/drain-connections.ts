// Keeps client connections from outliving a drain: every response that starts while draining
// says `connection: close`, so a kept-alive client opens its next connection elsewhere.
// A stream whose headers went out before the drain keeps its connection until the listener
// closes: ending it the moment the stream ends races a client already sending its next request,
// which would get a network error instead of the 503 it can retry on a new connection.
import type { ServerResponse } from "node:http";
import type { DrainState } from "./drain.js";

/** Makes the response close its connection if a drain has begun, or begins before its headers go out. */
export function closeConnectionOnDrain(res: ServerResponse, drain: DrainState): void {
  if (drain.draining) {
    res.setHeader("connection", "close");
    return;
  }
  const unsubscribe = drain.onDraining(() => {
    if (!res.headersSent) res.setHeader("connection", "close");
  });
  res.once("close", unsubscribe);
}
