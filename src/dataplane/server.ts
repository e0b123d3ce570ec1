// The data-plane HTTP edge: routes, client auth, the per-request log line, and the
// abort signal that cancels the upstream request when the client hangs up. A model
// request's own flow is in request-flow.ts.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { OneShotCancellation } from "../core/cancellation.js";
import type { ClientDialect } from "../core/dialect-errors.js";
import { AuthenticationError, DrainingError, MethodNotAllowedError, NotFoundError } from "../core/errors.js";
import { requestLineWriter } from "../core/logger.js";
import type { BreakerStatus } from "../resilience/circuit-breaker.js";
import { ClientAuth } from "./auth.js";
import type { DrainState } from "./drain.js";
import { closeConnectionOnDrain } from "./drain-connections.js";
import { writeError } from "./error-response.js";
import type { RequestClock, RequestLog } from "./exchange.js";
import { BodyDeadlines, sendJson } from "./http-io.js";
import type { DataPlaneMetrics } from "./metrics.js";
import { listModels } from "./models.js";
import { OPENAPI_JSON_TEXT } from "./openapi-document.js";
import { type FlowDeps, serveModelRequest } from "./request-flow.js";
import { UsageMeter } from "./usage-meter.js";

/** What the data plane is built from. */
export interface DataPlaneOptions extends Omit<FlowDeps, "bodyDeadlines"> {
  metrics: DataPlaneMetrics;
  drain: DrainState;
  clientKeys: readonly string[];
}

/** Routes that are their own metrics label; anything else is "other" (a bounded label set). */
const KNOWN_ROUTES = new Set([
  "/v1/messages",
  "/v1/messages/count_tokens",
  "/v1/chat/completions",
  "/v1/responses",
  "/v1/models",
]);

/** The request id a response carries: the client's, or a new one. */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** A plain origin-form path, as clients send it: nothing for URL parsing to resolve. */
const PLAIN_PATH = /^\/[\w\-/]*$/;

/**
 * The request's path without trailing slashes, and its query string with its `?` (or "").
 * A plain path is taken as it is; anything else goes through URL parsing (dot segments,
 * absolute form), which an open stream would otherwise keep alive as an object.
 */
function requestTarget(target: string): { path: string; search: string } {
  if (PLAIN_PATH.test(target)) return { path: target.replace(/\/+$/, "") || "/", search: "" };
  const url = new URL(target, "http://parley.local");
  return { path: url.pathname.replace(/\/+$/, "") || "/", search: url.search };
}

/** The dialect a request speaks, for its errors. */
function dialectOf(req: IncomingMessage, path: string): ClientDialect {
  if (path.startsWith("/v1/messages")) return "anthropic";
  if (path.startsWith("/v1/chat/")) return "openai";
  if (path.startsWith("/v1/responses")) return "responses";
  return req.headers["anthropic-version"] !== undefined ? "anthropic" : "openai";
}

/** Creates the data-plane server (not yet listening). */
export function createDataPlane(options: DataPlaneOptions): Server {
  const auth = new ClientAuth(options.clientKeys);
  const requestLine = requestLineWriter(options.logger);
  const bodyDeadlines = new BodyDeadlines();
  const flow: FlowDeps = { ...options, bodyDeadlines };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const { path, search } = requestTarget(req.url ?? "/");
    const dialect = dialectOf(req, path);
    const requestId = requestIdOf(req);
    const headers = { "x-request-id": requestId };
    const log: RequestLog = {
      request_id: requestId,
      method: req.method ?? "",
      path,
      dialect_in: dialect,
      attempts: 0,
    };
    const abort = new OneShotCancellation();
    // Probes are not work in flight: /livez reports the count without counting itself.
    const isProbe = path === "/livez" || path === "/health" || path === "/" || path === "/metrics";
    // Probes keep answering through a drain; anything else arriving then is refused at once,
    // so it is not work in flight either.
    const refused = !isProbe && options.drain.draining;
    const endRequest =
      isProbe || refused ? () => {} : options.drain.begin({ requestId, method: log.method, path, startedAt });
    closeConnectionOnDrain(res, options.drain);
    const clock: RequestClock = { startedPerf: performance.now(), waitedMs: 0 };
    const meter = new UsageMeter(dialect);
    if (!isProbe) options.metrics.inFlight.inc();
    res.on("close", () => {
      if (!res.writableFinished) abort.abort(new Error("client closed the connection"));
      endRequest();
      if (isProbe) return;
      options.metrics.inFlight.dec();
      const durationMs = performance.now() - clock.startedPerf;
      log.duration_ms = Math.round(durationMs);
      log.input_tokens = meter.input;
      log.output_tokens = meter.output;
      const aborted = !res.writableFinished;
      if (aborted) log.status = 499;
      else log.status ??= res.statusCode;
      // One line per request (DESIGN §6); a client that hung up is ordinary traffic, so info.
      requestLine(
        log,
        aborted ? "client closed the connection before the response ended" : "request completed",
      );
      options.metrics.observeRequest({
        route: KNOWN_ROUTES.has(path) ? path : "other",
        model: log.alias ?? "unmapped",
        provider: log.provider ?? "none",
        status: log.status,
        durationMs,
        ttfbMs: log.ttfb_ms,
        overheadMs: durationMs - clock.waitedMs,
        inputTokens: meter.input,
        outputTokens: meter.output,
      });
    });

    try {
      if (path === "/" && (req.method === "HEAD" || req.method === "GET")) {
        res
          .writeHead(200, { ...headers, "content-type": "text/plain" })
          .end(req.method === "GET" ? "parley\n" : undefined);
        return;
      }
      if (path === "/livez") {
        return sendJson(
          req,
          res,
          200,
          {
            status: options.drain.draining ? "draining" : "ok",
            in_flight: options.drain.inFlight,
            draining: options.drain.draining,
            timestamp: new Date().toISOString(),
          },
          headers,
        );
      }
      if (path === "/health") return health(req, res, headers);
      if (path === "/metrics") {
        const { contentType, text } = await options.metrics.exposition();
        res.writeHead(200, { ...headers, "content-type": contentType }).end(text);
        return;
      }
      if (refused) {
        throw new DrainingError({
          message:
            "this Parley is shutting down and takes no new requests; retry on another replica or once it restarts",
        });
      }
      // The document names no provider, alias or key: public, as API portals expect.
      if (path === "/openapi.json") {
        requireMethod(req, "GET");
        return sendJson(req, res, 200, OPENAPI_JSON_TEXT, headers);
      }
      if (!auth.allows(req.headers)) {
        throw new AuthenticationError({
          message:
            "invalid or missing API key: send one of PARLEY_CLIENT_KEYS as x-api-key or Authorization: Bearer",
        });
      }
      if (path === "/v1/models") {
        requireMethod(req, "GET");
        return sendJson(req, res, 200, listModels(options.snapshots.current(), req.headers), headers);
      }
      const isMessages =
        path === "/v1/messages" || path === "/v1/chat/completions" || path === "/v1/responses";
      const isCount = path === "/v1/messages/count_tokens";
      if (!isMessages && !isCount) throw new NotFoundError({ message: `no route for ${req.method} ${path}` });
      requireMethod(req, "POST");

      await serveModelRequest(
        {
          req,
          res,
          dialect,
          requestId,
          query: search,
          signal: abort,
          responseHeaders: headers,
          startedAt,
          log,
          clock,
          meter,
          countOnly: isCount,
        },
        flow,
      );
    } catch (error) {
      await writeError(req, res, { dialect, error, headers, log, logger: options.logger });
    }
  }

  function health(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
    const snapshot = options.snapshots.current();
    const draining = options.drain.draining;
    return sendJson(
      req,
      res,
      draining ? 503 : 200,
      {
        status: draining ? "draining" : "ok",
        snapshot_version: snapshot.version,
        providers: [...snapshot.providers.values()].map((p) => ({
          id: p.id,
          kind: p.kind,
          enabled: p.enabled,
          breaker: breakerView(
            options.breakers
              .peek(p.id)
              ?.status(
                options.policyFor({ provider: p, upstreamModel: null, maxOutputTokens: null }).breaker,
              ),
          ),
        })),
      },
      headers,
    );
  }

  const { headersTimeoutMs, bodyTimeoutMs } = options.client;
  const server = createServer(
    {
      // Longer than the 60 s idle timeout of common load balancers, so they close first.
      keepAliveTimeout: 65_000,
      headersTimeout: headersTimeoutMs,
      // A backstop for the whole arrival; readBody enforces the body's own bound (to a quarter second).
      // Node stops this clock once the request has arrived, so it never cuts a long response.
      requestTimeout: headersTimeoutMs > 0 && bodyTimeoutMs > 0 ? headersTimeoutMs + bodyTimeoutMs : 0,
      // Node checks the two timeouts above only this often (30 s by default).
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      handle(req, res).catch((error) => {
        options.logger.error({ err: error }, "request handler failed");
        if (!res.headersSent) res.writeHead(500).end();
        else res.end();
      });
    },
  );
  server.on("close", () => bodyDeadlines.stop());
  return server;
}

/** A provider's breaker as /health shows it; a provider without traffic yet is closed. */
function breakerView(status: BreakerStatus | undefined) {
  if (!status) return { state: "closed", consecutive_failures: 0, opened_at: null, retry_at: null };
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    state: status.state,
    consecutive_failures: status.consecutiveFailures,
    opened_at: iso(status.openedAt),
    retry_at: iso(status.retryAt),
  };
}

function requireMethod(req: IncomingMessage, method: string): void {
  if (req.method !== method) {
    throw new MethodNotAllowedError({ message: `${req.method} is not allowed here; use ${method}` });
  }
}
