// The answer to a request that arrives while the process drains. Kept beside the data plane
// until core/errors.ts takes it in; the SDKs retry a 503, on a new connection, elsewhere.
import { ParleyError } from "../core/errors.js";

/** The process is shutting down and takes no new requests; another replica can. */
export class DrainingError extends ParleyError {
  readonly code = "PARLEY_ERR_DRAINING";
  readonly status = 503;
  override readonly retryable = true;
}
