// One error hierarchy for the whole proxy. Each error carries a stable code, the HTTP
// status it becomes, and whether a retry could help; the edge turns it into the
// caller's dialect through `errorBody` in dialect-errors.ts.

/** Options every Parley error is built from. */
export interface ParleyErrorOptions {
  message: string;
  cause?: unknown;
  /** The request field at fault, when there is one (OpenAI's `param`). */
  param?: string;
}

/** Base of every error the proxy raises on purpose. */
export abstract class ParleyError extends Error {
  /** Stable machine-readable code, e.g. `PARLEY_ERR_INVALID_REQUEST`. */
  abstract readonly code: string;
  /** The HTTP status the client sees. */
  abstract readonly status: number;
  /** Whether another attempt (or another provider) could succeed. */
  readonly retryable: boolean = false;
  /** The request field at fault, if any. */
  readonly param: string | undefined;

  constructor(options: ParleyErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.param = options.param;
  }
}

/** The request is malformed or asks for something Parley cannot express. */
export class InvalidRequestError extends ParleyError {
  readonly code = "PARLEY_ERR_INVALID_REQUEST";
  readonly status = 400;
}

/** The client presented no key or a wrong one. */
export class AuthenticationError extends ParleyError {
  readonly code = "PARLEY_ERR_AUTHENTICATION";
  readonly status = 401;
}

/** The path or the model does not exist. */
export class NotFoundError extends ParleyError {
  readonly code = "PARLEY_ERR_NOT_FOUND";
  readonly status = 404;
}

/** The HTTP method is not served on this path. */
export class MethodNotAllowedError extends ParleyError {
  readonly code = "PARLEY_ERR_METHOD_NOT_ALLOWED";
  readonly status = 405;
}

/** The request body is over the size limit. */
export class PayloadTooLargeError extends ParleyError {
  readonly code = "PARLEY_ERR_PAYLOAD_TOO_LARGE";
  readonly status = 413;
}

/** The client took longer to send its request than the limit allows. */
export class RequestTimeoutError extends ParleyError {
  readonly code = "PARLEY_ERR_REQUEST_TIMEOUT";
  readonly status = 408;
}

/** The client hung up before its request was answered (nginx's 499). */
export class ClientClosedError extends ParleyError {
  readonly code = "PARLEY_ERR_CLIENT_CLOSED";
  readonly status = 499;
}

/** The process is shutting down and takes no new requests; the SDKs retry a 503, on another replica. */
export class DrainingError extends ParleyError {
  readonly code = "PARLEY_ERR_DRAINING";
  readonly status = 503;
  override readonly retryable = true;
}

/** No provider is configured, or none can take the request now. */
export class NoProviderError extends ParleyError {
  readonly code = "PARLEY_ERR_NO_PROVIDER";
  readonly status = 503;
}

/** The upstream could not be reached (refused, reset, DNS). */
export class UpstreamConnectionError extends ParleyError {
  readonly code = "PARLEY_ERR_UPSTREAM_CONNECTION";
  readonly status = 502;
  override readonly retryable = true;
}

/** The upstream took longer than a deadline allows. */
export class UpstreamTimeoutError extends ParleyError {
  readonly code = "PARLEY_ERR_UPSTREAM_TIMEOUT";
  readonly status = 504;
  override readonly retryable = true;
  /** Which deadline: connect, response headers, stream idle, request. */
  readonly timeout: string | undefined;

  constructor(options: ParleyErrorOptions & { timeout?: string }) {
    super(options);
    this.timeout = options.timeout;
  }
}

/** The upstream answered with something that is not its dialect (HTML, broken JSON). */
export class UpstreamProtocolError extends ParleyError {
  readonly code = "PARLEY_ERR_UPSTREAM_PROTOCOL";
  readonly status = 502;
  override readonly retryable = true;
}

/** Statuses after which another attempt may succeed (DESIGN §4). */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504, 529]);

/**
 * Whether an upstream answer with `status` is worth another attempt. Anthropic answers 409 for
 * a transient conflict, where for OpenAI-compatible upstreams it is the request's own fault;
 * without a known kind a 409 counts as transient.
 */
export function isRetryableStatus(status: number, kind?: "anthropic" | "openai"): boolean {
  return RETRYABLE_STATUSES.has(status) || (status === 409 && kind !== "openai");
}

/** The upstream answered with an error status; its message is kept for the client. */
export class UpstreamHttpError extends ParleyError {
  readonly code = "PARLEY_ERR_UPSTREAM_HTTP";
  readonly status: number;
  override readonly retryable: boolean;
  /** The upstream's own error type (`rate_limit_error`, `invalid_request_error`…), when it said one. */
  readonly upstreamType: string | undefined;

  constructor(options: ParleyErrorOptions & { status: number; upstreamType?: string; retryable?: boolean }) {
    super(options);
    this.status = options.status;
    this.retryable = options.retryable ?? isRetryableStatus(options.status);
    this.upstreamType = options.upstreamType;
  }
}

/** Wraps anything thrown into a ParleyError without losing the original as `cause`. */
export function asParleyError(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  return new InternalError({ message: "internal error", cause: error });
}

/** A bug or an unexpected failure inside Parley. */
export class InternalError extends ParleyError {
  readonly code = "PARLEY_ERR_INTERNAL";
  readonly status = 500;
}
