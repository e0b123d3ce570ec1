// A mock provider on a real socket that plays a scripted fault on each request (resets, hangs,
// stalls, drops, error statuses...) and keeps count of what a resilience test asserts: attempts,
// what each attempt carried and when, the caller's aborts, and the sockets still open.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createNetServer, type Socket } from "node:net";
import { ChangeHub } from "./change-hub.js";
import { answerTranscript, type Transcript, type UpstreamKind } from "./upstream-answers.js";
import type { UpstreamEnding } from "./upstream-exchange.js";
import { type Fault, type FaultName, faultSpec, playFault } from "./upstream-faults.js";

export type { ContextLengthWording, UpstreamKind } from "./upstream-answers.js";
export { CONTEXT_LENGTH_MESSAGES, contextLengthBody, errorBody } from "./upstream-answers.js";
export type { Fault, FaultName, FaultOptions } from "./upstream-faults.js";

/** How an exchange ended: answered in full, ended by its fault, by the caller, or by the upstream stopping. */
export type Outcome = "answered" | UpstreamEnding | "aborted" | "closed";

/** A request the faulty upstream received. */
export interface FaultyRequest {
  /** 1 for the first request. */
  n: number;
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** The body parsed, when it is a JSON object. */
  json: Record<string, unknown> | undefined;
  /** `performance.now()` when the request head arrived. */
  arrivedAt: number;
  /** The fault it got (unset while its body is still arriving). */
  fault?: FaultName;
  /** Unset while the exchange is open. */
  outcome?: Outcome;
  endedAt?: number;
}

/** The fault for each request: a list by attempt, or a function of the attempt (counting from 1). */
export type FaultScript = Fault[] | ((n: number, request: FaultyRequest) => Fault);

/** How to start a faulty upstream. */
export interface FaultyUpstreamOptions {
  kind: UpstreamKind;
  script: FaultScript;
  /** The fault of requests after a list script runs out; "ok" unless told. */
  afterScript?: Fault;
  /** The text of a correct answer; by default it names the attempt, so a test sees which one answered. */
  text?: (n: number) => string;
}

/** A running faulty upstream. */
export interface FaultyUpstream {
  url: string;
  kind: UpstreamKind;
  requests: readonly FaultyRequest[];
  /** Requests received so far. */
  readonly attempts: number;
  /** Requests whose caller hung up before the answer was complete. */
  readonly aborted: number;
  /** Requests still being answered (or hanging). */
  readonly inProgress: number;
  /** Client connections open now. */
  readonly openSockets: number;
  /** Resolves once `condition` holds (re-checked on every change); rejects after `timeoutMs`. */
  waitFor(condition: () => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves once no request is in progress. */
  whenIdle(timeoutMs?: number): Promise<void>;
  /**
   * Goes down as a crashed provider does: open connections are destroyed, hanging ones
   * included, and new ones are refused (ECONNREFUSED, so they are no attempts here).
   */
  stopListening(): Promise<void>;
  /** Comes back up on the same port, for a provider that recovers. */
  listenAgain(): Promise<void>;
  /** Stops listening for good; safe to call twice. */
  close(): Promise<void>;
}

/** Well under vitest's 30 s test timeout, so a wait that never ends fails with the counters. */
const WAIT_TIMEOUT_MS = 5_000;

function faultFor(options: FaultyUpstreamOptions, request: FaultyRequest): Fault {
  const { script } = options;
  if (typeof script === "function") return script(request.n, request);
  return script[request.n - 1] ?? options.afterScript ?? "ok";
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined; // not JSON: the request is still recorded, with its raw body
  }
}

/** The body, or undefined when the caller hung up before sending all of it. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    return undefined; // the response's close handler records the abort
  }
  return Buffer.concat(chunks).toString("utf8");
}

function arrival(req: IncomingMessage, n: number): FaultyRequest {
  const { method = "", url = "", headers } = req;
  return { n, method, url, headers, body: "", json: undefined, arrivedAt: performance.now() };
}

/** The correct answer to a recorded request, shaped by what its body asked for. */
function answerFor(kind: UpstreamKind, request: FaultyRequest, text: string): Transcript {
  const json = request.json ?? {};
  const streamOptions = json.stream_options as { include_usage?: unknown } | undefined;
  return answerTranscript({
    kind,
    stream: json.stream === true,
    model: typeof json.model === "string" ? json.model : "faulty-model",
    text,
    includeUsage: streamOptions?.include_usage === true,
  });
}

/**
 * Records how a request's exchange ends once its response closes, and gives the fault a signal
 * for that moment: what the fault did itself, else a full answer, else the upstream stopping, else the caller.
 */
function watchEnding(res: ServerResponse, request: FaultyRequest, hub: ChangeHub, stopping: () => boolean) {
  const ended = new AbortController();
  let ending: UpstreamEnding | undefined;
  // A caller hanging up mid-write is an outcome this mock exists to record, not an error.
  res.on("error", () => {});
  res.on("close", () => {
    request.outcome = ending ?? (res.writableFinished ? "answered" : stopping() ? "closed" : "aborted");
    request.endedAt = performance.now();
    ended.abort();
    hub.changed();
  });
  return {
    signal: ended.signal,
    endedBy: (how: UpstreamEnding) => {
      ending = how;
    },
  };
}

/** Starts a faulty upstream on 127.0.0.1 and an ephemeral port. */
export async function startFaultyUpstream(options: FaultyUpstreamOptions): Promise<FaultyUpstream> {
  const requests: FaultyRequest[] = [];
  const sockets = new Set<Socket>();
  const hub = new ChangeHub();
  let stopping = false;
  const text = options.text ?? ((n: number) => `The answer from attempt ${n}.`);

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = arrival(req, requests.length + 1);
    requests.push(request);
    const ending = watchEnding(res, request, hub, () => stopping);
    hub.changed();
    const body = await readBody(req);
    if (body === undefined || ending.signal.aborted) return;
    request.body = body;
    request.json = parseObject(body);
    const fault = faultSpec(faultFor(options, request));
    request.fault = fault.type;
    hub.changed();
    const answer = answerFor(options.kind, request, text(request.n));
    await playFault(
      { kind: options.kind, res, answer, requestId: `req_faulty_${request.n}`, ...ending },
      fault,
    );
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      // A bug in a fault: make it loud at the client rather than a silent hang.
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`faulty upstream failed: ${String(error)}`);
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => {
      sockets.delete(socket);
      hub.changed();
    });
    hub.changed();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const stop = () =>
    new Promise<void>((resolve) => {
      stopping = true;
      server.closeAllConnections();
      // Resolves once every connection is gone; an error only means it was stopped already.
      server.close(() => resolve());
    });

  const upstream: FaultyUpstream = {
    url: `http://127.0.0.1:${port}`,
    kind: options.kind,
    requests,
    get attempts() {
      return requests.length;
    },
    get aborted() {
      return requests.filter((r) => r.outcome === "aborted").length;
    },
    get inProgress() {
      return requests.filter((r) => r.outcome === undefined).length;
    },
    get openSockets() {
      return sockets.size;
    },
    waitFor: (condition, timeoutMs = WAIT_TIMEOUT_MS) =>
      hub.waitFor(
        condition,
        timeoutMs,
        () =>
          `faulty upstream attempts=${upstream.attempts} in_progress=${upstream.inProgress} aborted=${upstream.aborted} open_sockets=${upstream.openSockets}`,
      ),
    whenIdle: (timeoutMs) => upstream.waitFor(() => upstream.inProgress === 0, timeoutMs),
    stopListening: stop,
    listenAgain: () =>
      new Promise<void>((resolve, reject) => {
        stopping = false;
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => {
          server.off("error", reject);
          resolve();
        });
      }),
    close: stop,
  };
  return upstream;
}

/**
 * A URL on 127.0.0.1 where nothing listens, so connecting fails with ECONNREFUSED: a port the
 * kernel just handed out and took back (another bind could reuse it, but not within a test).
 */
export async function refusingUrl(): Promise<string> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
