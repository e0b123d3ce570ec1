// One client request as the pipeline sees it: its body (bytes for byte-faithful passthrough,
// parsed when translation needs it), the caller's dialect, and the fields of its log line.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Cancellation } from "../core/cancellation.js";
import type { ClientDialect, Dialect } from "../core/dialect-errors.js";
import type { RequestBody } from "./request-body.js";
import type { MemberSpan } from "./top-level-members.js";
import type { UsageMeter } from "./usage-meter.js";

/** The fields of the one log line every request ends with (DESIGN §6). */
export interface RequestLog {
  request_id: string;
  method: string;
  path: string;
  dialect_in: ClientDialect;
  dialect_out?: Dialect;
  model?: string;
  /** The mapping alias the model matched (the metrics label). */
  alias?: string;
  provider?: string;
  upstream_model?: string;
  attempts: number;
  status?: number;
  stream?: boolean;
  ttfb_ms?: number;
  duration_ms?: number;
  input_tokens?: number;
  output_tokens?: number;
  error_class?: string;
  error?: string;
}

/** When a request started and how long it spent waiting on upstreams (for Parley's own overhead). */
export interface RequestClock {
  /** performance.now() at arrival. */
  startedPerf: number;
  /** Time spent waiting on upstream answers, stream bytes and backoff. */
  waitedMs: number;
}

/** A model request in flight. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  dialect: ClientDialect;
  /** The body: bytes for passthrough, parsed on demand for translation. */
  body: RequestBody;
  /** Entries of the conversation as the client wrote it (messages, or Responses input items). */
  conversationLength: number;
  clientModel: string;
  /** Where the top-level "model" value sits in the body. */
  modelSpan: MemberSpan;
  stream: boolean;
  /** The request's query string including `?`, or "". */
  query: string;
  /** Aborted when the client hangs up. */
  signal: Cancellation;
  /** Headers every response to this request carries (x-request-id). */
  responseHeaders: Record<string, string>;
  startedAt: number;
  log: RequestLog;
  clock: RequestClock;
  /** Token usage the upstream reported, read from what goes to the client. */
  meter: UsageMeter;
}
