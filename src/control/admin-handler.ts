// The admin API's node request handler: the Connect router's handlers by path, each
// wrapped so that a Connect JSON request which fails to decode is refused naming the field.
// Connect decodes a request before any interceptor runs, so an interceptor never sees
// these errors; the wrapper reads the body first and hands the handler either the same
// bytes or an error to raise, which the handler then answers in the protocol's own form.
import type { DescMessage } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type ConnectRouter,
  createConnectRouter,
  type Interceptor,
} from "@connectrpc/connect";
import {
  createAsyncIterable,
  readAllBytes,
  type UniversalHandler,
  type UniversalHandlerFn,
  type UniversalServerRequest,
} from "@connectrpc/connect/protocol";
import { parseContentType } from "@connectrpc/connect/protocol-connect";
import {
  compressionBrotli,
  compressionGzip,
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from "@connectrpc/connect-node";
import type { Logger } from "../core/logger.js";
import { invalidArgument } from "./connect-errors.js";
import { findJsonDecodeProblem } from "./json-decode-errors.js";

type NodeRequest = Parameters<typeof universalRequestFromNodeRequest>[0];
type NodeResponse = Parameters<typeof universalResponseToNodeResponse>[1];

/** What the admin handler serves and how. */
export interface AdminHandlerOptions {
  routes: (router: ConnectRouter) => void;
  interceptors: Interceptor[];
  /** The largest request message accepted. */
  readMaxBytes: number;
  logger: Logger;
}

/** A request body that raises `error` when the handler reads it. */
function failingBody(error: unknown): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) };
}

function isByteStream(body: UniversalServerRequest["body"]): body is AsyncIterable<Uint8Array> {
  return typeof body === "object" && body !== null && Symbol.asyncIterator in body;
}

/** Connect's unary JSON over POST, uncompressed: the requests whose decoding can be explained. */
function isPlainConnectJson(req: UniversalServerRequest): boolean {
  const type = parseContentType(req.header.get("content-type"));
  const encoding = req.header.get("content-encoding");
  return (
    req.method === "POST" &&
    type !== undefined &&
    !type.stream &&
    !type.binary &&
    (encoding === null || encoding === "identity")
  );
}

function decodeError(input: DescMessage, bytes: Uint8Array): ConnectError | undefined {
  let json: ReturnType<typeof JSON.parse>;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    // V8's message quotes the text around the fault, which may be an unquoted API key.
    const position = /at position \d+/.exec(error instanceof Error ? error.message : "")?.[0];
    return new ConnectError(
      `the request body is not valid JSON${position === undefined ? "" : ` (${position})`}`,
      Code.InvalidArgument,
    );
  }
  const problem = findJsonDecodeProblem(input, json);
  return problem === undefined ? undefined : invalidArgument(problem.field, problem.reason);
}

/** Wraps a method's handler so JSON decode failures name the field. */
function namingDecodeErrors(handler: UniversalHandler, readMaxBytes: number): UniversalHandlerFn {
  return async function handleNamingDecodeErrors(req) {
    if (!isPlainConnectJson(req) || !isByteStream(req.body)) return handler(req);
    let bytes: Uint8Array;
    try {
      bytes = await readAllBytes(req.body, readMaxBytes, req.header.get("content-length"));
    } catch (error) {
      return handler({ ...req, body: failingBody(error) });
    }
    const error = decodeError(handler.method.input, bytes);
    return handler({ ...req, body: error === undefined ? createAsyncIterable([bytes]) : failingBody(error) });
  };
}

/** The request listener for both the HTTP/1.1 and the h2c server. */
export function createAdminHandler(options: AdminHandlerOptions) {
  const router = createConnectRouter({
    interceptors: options.interceptors,
    // A misspelt field ("baseURL") is refused instead of silently dropped.
    jsonOptions: { ignoreUnknownFields: false },
    readMaxBytes: options.readMaxBytes,
    acceptCompression: [compressionGzip, compressionBrotli],
  });
  options.routes(router);
  const handlers = new Map(
    router.handlers.map((h) => [h.requestPath, namingDecodeErrors(h, options.readMaxBytes)] as const),
  );
  return function adminRequestHandler(req: NodeRequest, res: NodeResponse): void {
    const path = req.url?.split("?", 2)[0] ?? "";
    const handler = handlers.get(path);
    if (handler === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    handler(universalRequestFromNodeRequest(req, res, undefined, undefined))
      .then((uRes) => universalResponseToNodeResponse(uRes, res))
      .catch((reason: unknown) => {
        // The client went away mid-call: nothing to answer, nothing wrong here.
        if (ConnectError.from(reason).code === Code.Aborted) return;
        options.logger.error({ path, error_message: String(reason) }, "admin request failed");
      });
  };
}
