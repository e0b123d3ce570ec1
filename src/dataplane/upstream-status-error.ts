// An upstream error status, with the body the client should see already in its dialect.
// Thrown before anything reached the client, so the pipeline may still fall over.
import { UpstreamHttpError } from "../core/errors.js";

/** An upstream 4xx/5xx, ready to be answered in the client's dialect. */
export class UpstreamStatusError extends UpstreamHttpError {
  /** The serialized error body in the client's dialect. */
  readonly clientBody: string;
  /** Upstream headers worth passing on (retry-after, rate limits). */
  readonly clientHeaders: Record<string, string>;

  constructor(options: {
    status: number;
    message: string;
    clientBody: string;
    clientHeaders: Record<string, string>;
    retryable?: boolean;
  }) {
    super({ status: options.status, message: options.message, retryable: options.retryable });
    this.clientBody = options.clientBody;
    this.clientHeaders = options.clientHeaders;
  }
}
