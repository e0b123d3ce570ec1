// The data plane's Prometheus metrics (prom-client), in one registry served at /metrics.
// Label sets stay bounded: a model is the route alias it matched ("unmapped" otherwise),
// never the raw name a client sent; a status is its class (2xx, 4xx…).
import client from "prom-client";

/** Seconds buckets for request durations: LLM calls run from milliseconds to minutes. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
/** Parley's own processing time is sub-millisecond to milliseconds. */
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];

/** What one finished request reports. */
export interface RequestRecord {
  route: string;
  model: string;
  provider: string;
  status: number;
  durationMs: number;
  ttfbMs: number | undefined;
  overheadMs: number | undefined;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
}

/** Breaker states as numbers for a gauge. */
const BREAKER_STATE_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

/** The metrics of one data plane. */
export class DataPlaneMetrics {
  readonly registry = new client.Registry();
  private readonly requests: client.Counter;
  private readonly duration: client.Histogram;
  private readonly ttfb: client.Histogram;
  private readonly overhead: client.Histogram;
  private readonly tokens: client.Counter;
  private readonly retries: client.Counter;
  private readonly fallbacks: client.Counter;
  private readonly transitions: client.Counter;
  private readonly breakerState: client.Gauge;
  private readonly snapshotVersion: client.Gauge;
  readonly inFlight: client.Gauge;

  constructor() {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    const labelNames = ["route", "model", "provider", "status_class"] as const;
    this.requests = new client.Counter({
      name: "parley_requests_total",
      help: "Data-plane requests answered, by route, model alias, provider and status class.",
      labelNames,
      registers,
    });
    this.duration = new client.Histogram({
      name: "parley_request_duration_seconds",
      help: "Time from a request's arrival to the end of its answer.",
      labelNames,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.ttfb = new client.Histogram({
      name: "parley_time_to_first_byte_seconds",
      help: "Time from a request's arrival to the first byte the client got.",
      labelNames,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.overhead = new client.Histogram({
      name: "parley_overhead_seconds",
      help: "Parley's own processing time: total time minus time waiting on the upstream.",
      labelNames: ["route"],
      buckets: OVERHEAD_BUCKETS,
      registers,
    });
    this.tokens = new client.Counter({
      name: "parley_tokens_total",
      help: "Tokens the upstreams reported, by provider, model alias and direction (input, output).",
      labelNames: ["provider", "model", "direction"],
      registers,
    });
    this.retries = new client.Counter({
      name: "parley_upstream_retries_total",
      help: "Attempts repeated at the same provider after a retryable failure.",
      labelNames: ["provider"],
      registers,
    });
    this.fallbacks = new client.Counter({
      name: "parley_fallbacks_total",
      help: "Requests that moved from one provider of a chain to the next.",
      labelNames: ["from_provider", "to_provider"],
      registers,
    });
    this.transitions = new client.Counter({
      name: "parley_circuit_breaker_transitions_total",
      help: "Circuit-breaker state changes, by provider and the state entered.",
      labelNames: ["provider", "state"],
      registers,
    });
    this.breakerState = new client.Gauge({
      name: "parley_circuit_breaker_state",
      help: "A provider's circuit breaker: 0 closed, 1 half-open, 2 open.",
      labelNames: ["provider"],
      registers,
    });
    this.snapshotVersion = new client.Gauge({
      name: "parley_config_snapshot_version",
      help: "Version of the routing snapshot in force (rises with every committed admin write).",
      registers,
    });
    this.inFlight = new client.Gauge({
      name: "parley_in_flight_requests",
      help: "Data-plane requests being served now.",
      registers,
    });
  }

  /** Records a finished request. */
  observeRequest(r: RequestRecord): void {
    const labels = {
      route: r.route,
      model: r.model,
      provider: r.provider,
      status_class: `${Math.floor(r.status / 100)}xx`,
    };
    this.requests.inc(labels);
    this.duration.observe(labels, r.durationMs / 1000);
    if (r.ttfbMs !== undefined) this.ttfb.observe(labels, r.ttfbMs / 1000);
    if (r.overheadMs !== undefined) this.overhead.observe({ route: r.route }, r.overheadMs / 1000);
    if (r.inputTokens)
      this.tokens.inc({ provider: r.provider, model: r.model, direction: "input" }, r.inputTokens);
    if (r.outputTokens) {
      this.tokens.inc({ provider: r.provider, model: r.model, direction: "output" }, r.outputTokens);
    }
  }

  /** Counts a retry at `provider`. */
  retried(provider: string): void {
    this.retries.inc({ provider });
  }

  /** Counts a move along a fallback chain. */
  fellBack(from: string, to: string): void {
    this.fallbacks.inc({ from_provider: from, to_provider: to });
  }

  /** Records a breaker's new state. */
  breakerChanged(provider: string, state: keyof typeof BREAKER_STATE_VALUE): void {
    this.transitions.inc({ provider, state });
    this.breakerState.set({ provider }, BREAKER_STATE_VALUE[state]);
  }

  /** Records the snapshot version in force. */
  setSnapshotVersion(version: number): void {
    this.snapshotVersion.set(version);
  }

  /** The exposition text and its content type. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
