// In-flight accounting and the draining flag, read by /livez and /health, and the drain the
// shutdown sequence waits on: progress logged while it lasts, and the requests still running
// named when the timeout cuts them.
import type { Logger } from "../core/logger.js";

/**
 * How often a drain logs how many requests are still in flight: often enough to watch a drain
 * of long streams progress, rarely enough that the default 600 s drain logs at most 60 lines.
 */
export const DRAIN_PROGRESS_INTERVAL_MS = 10_000;

/** How many cut requests the timeout's log line names; the rest are only counted, so the line stays readable. */
const MAX_CUT_NAMED = 100;

/** A request being served, as a drain that cuts it names it. */
export interface InFlightRequest {
  requestId: string;
  method: string;
  path: string;
  /** When it arrived, in ms since the epoch. */
  startedAt: number;
}

/** Counts requests in flight and knows whether the process is draining. */
export class DrainState {
  private readonly requests = new Set<InFlightRequest>();
  private drainingFlag = false;
  private idleWaiters: Array<() => void> = [];
  private readonly drainListeners = new Set<() => void>();

  /** Requests being served now. */
  get inFlight(): number {
    return this.requests.size;
  }

  /** Whether shutdown has begun. */
  get draining(): boolean {
    return this.drainingFlag;
  }

  /** The requests being served now, oldest first. */
  inFlightRequests(): InFlightRequest[] {
    return [...this.requests];
  }

  /** Marks a request as started; call the returned function once when it ends (later calls do nothing). */
  begin(request: InFlightRequest): () => void {
    // A copy, so the same description passed twice still counts as two requests.
    const entry = { ...request };
    this.requests.add(entry);
    return () => {
      if (!this.requests.delete(entry)) return;
      if (this.requests.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
  }

  /** Calls `listener` once when draining begins (never, if it already has); returns the unsubscribe. */
  onDraining(listener: () => void): () => void {
    if (this.drainingFlag) return () => {};
    this.drainListeners.add(listener);
    return () => this.drainListeners.delete(listener);
  }

  /** Starts draining; resolves when nothing is in flight. */
  drain(): Promise<void> {
    if (!this.drainingFlag) {
      this.drainingFlag = true;
      const listeners = [...this.drainListeners];
      this.drainListeners.clear();
      for (const listener of listeners) listener();
    }
    if (this.requests.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

/** How a drain ended. */
export interface DrainOutcome {
  /** True when every request finished before the timeout. */
  drained: boolean;
  durationMs: number;
  /** The requests still running when the timeout came (empty when drained). */
  cut: InFlightRequest[];
}

/** What a drain waits on, and where it reports. */
export interface DrainOptions {
  state: DrainState;
  logger: Logger;
  /** The ceiling on the wait (`PARLEY_DRAIN_TIMEOUT`). */
  timeoutMs: number;
  /** How often progress is logged; tests shorten it. */
  progressIntervalMs?: number;
}

/**
 * Sets draining (synchronously, before the first await) and waits until nothing is in flight or
 * the timeout comes. Logs "draining" at once and then every interval, "drained" with how long it
 * took, or, on timeout, the requests about to be cut.
 */
export async function drainInFlight(options: DrainOptions): Promise<DrainOutcome> {
  const { state, logger, timeoutMs } = options;
  const startedAt = Date.now();
  const idle = state.drain().then(() => true);
  logger.info({ in_flight: state.inFlight, timeout_ms: timeoutMs }, "draining");
  const progress = setInterval(
    () => logger.info({ in_flight: state.inFlight, elapsed_ms: Date.now() - startedAt }, "draining"),
    options.progressIntervalMs ?? DRAIN_PROGRESS_INTERVAL_MS,
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const drained = await Promise.race([idle, timeout]);
  clearInterval(progress);
  clearTimeout(timer);
  const durationMs = Date.now() - startedAt;
  if (drained) {
    logger.info({ duration_ms: durationMs }, "drained");
    return { drained, durationMs, cut: [] };
  }
  const cut = state.inFlightRequests();
  logger.warn(
    {
      duration_ms: durationMs,
      in_flight: cut.length,
      cut: cut.slice(0, MAX_CUT_NAMED).map((request) => ({
        request_id: request.requestId,
        method: request.method,
        path: request.path,
        age_ms: Date.now() - request.startedAt,
      })),
    },
    "drain timed out: cutting the requests still in flight",
  );
  return { drained, durationMs, cut };
}
