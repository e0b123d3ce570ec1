// Checks one model: sends the probe through the provider's pool, reads the answer within
// the job's per-request timeout, and reports healthy (2xx), latency, status and error.
import type { ProviderConfig } from "../../routing/types.js";
import type { UpstreamPools } from "../../upstream/pools.js";
import { sendUpstream, type UpstreamResponse } from "../../upstream/send.js";
import { httpErrorText, transportErrorText } from "./probe-error-text.js";
import { probeRequest } from "./probe-request.js";

/** Bytes of an answer read for the error text; the rest is discarded. */
const MAX_BODY_BYTES = 64 * 1024;

/** One model's outcome. */
export interface ProbeOutcome {
  model: string;
  healthy: boolean;
  latencyMs: number;
  /** 0 when no answer arrived. */
  httpStatus: number;
  /** Empty when healthy; never contains the provider's API key. */
  error: string;
  checkedAt: Date;
}

/** What to check and how long to wait. */
export interface ProbeOptions {
  pools: UpstreamPools;
  provider: ProviderConfig;
  model: string;
  timeoutMs: number;
  /** Cancels the probe (the job is stopping). */
  signal?: AbortSignal;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

async function readCapped(body: UpstreamResponse["body"]): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    chunks.push(buffer);
    size += buffer.length;
    if (size >= MAX_BODY_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Sends the probe and reports the outcome; never throws. */
export async function probeModel(options: ProbeOptions): Promise<ProbeOutcome> {
  const { provider, model, timeoutMs } = options;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const request = probeRequest(provider, model);
  const started = performance.now();
  let httpStatus = 0;
  let healthy = false;
  let error = "";
  try {
    const response = await sendUpstream(options.pools, {
      provider,
      path: request.path,
      headers: request.headers,
      body: request.body,
      signal,
      stream: false,
    });
    httpStatus = response.status;
    const body = await readCapped(response.body);
    healthy = httpStatus >= 200 && httpStatus < 300;
    if (!healthy) error = httpErrorText(httpStatus, body, provider.apiKey);
  } catch (cause) {
    healthy = false;
    if (deadline.aborted) {
      error = `timed out after ${formatMs(timeoutMs)}${httpStatus === 0 ? " waiting for a response" : " reading the response"}`;
    } else if (options.signal?.aborted) {
      error = "cancelled: the health-check job stopped";
    } else {
      error = transportErrorText(cause instanceof Error ? cause.message : String(cause), provider.apiKey);
    }
  }
  return {
    model,
    healthy,
    latencyMs: Math.round(performance.now() - started),
    httpStatus,
    error,
    checkedAt: new Date(),
  };
}
