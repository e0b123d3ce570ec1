// A circuit breaker per provider (DESIGN §4): consecutive failures (connection, timeout,
// 5xx — never 4xx or a client hanging up) open it; while open the provider is skipped;
// after the open time one probe request is let through (half-open) and its outcome
// closes or reopens it.

/** The states of a breaker. */
export type BreakerState = "closed" | "open" | "half_open";

/** When a breaker opens and for how long. */
export interface BreakerPolicy {
  failureThreshold: number;
  openMs: number;
}

/** What /health and the admin API show of a breaker. */
export interface BreakerStatus {
  state: BreakerState;
  consecutiveFailures: number;
  /** When it last opened (ms since the epoch), or null. */
  openedAt: number | null;
  /** When an open breaker lets a probe through, or null. */
  retryAt: number | null;
}

/** A state change, for the log line and the metrics. */
export interface BreakerTransition {
  providerId: string;
  from: BreakerState;
  to: BreakerState;
  consecutiveFailures: number;
}

/** One provider's breaker. */
export class CircuitBreaker {
  private state: BreakerState = "closed";
  private failures = 0;
  private openedAt: number | null = null;
  private probing = false;

  constructor(
    readonly providerId: string,
    private readonly onTransition: (t: BreakerTransition) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a request may go to the provider now; half-open admits one probe at a time. */
  tryAcquire(policy: BreakerPolicy): boolean {
    if (this.state === "closed") return true;
    if (this.state === "open") {
      if (this.now() - (this.openedAt ?? 0) < policy.openMs) return false;
      this.move("half_open");
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  /** Records an attempt that got an answer the breaker counts as healthy. */
  recordSuccess(): void {
    this.probing = false;
    this.failures = 0;
    if (this.state !== "closed") this.move("closed");
  }

  /** Records a failure that counts (connection, timeout, 5xx). */
  recordFailure(policy: BreakerPolicy): void {
    this.probing = false;
    this.failures++;
    if (this.state === "half_open" || (this.state === "closed" && this.failures >= policy.failureThreshold)) {
      this.openedAt = this.now();
      this.move("open");
    }
  }

  /** Releases a half-open probe whose outcome says nothing (a 4xx, a client that left). */
  recordNeutral(): void {
    this.probing = false;
  }

  /** The state as /health shows it. */
  status(policy: BreakerPolicy): BreakerStatus {
    const open = this.state === "open";
    return {
      state: open && this.now() - (this.openedAt ?? 0) >= policy.openMs ? "half_open" : this.state,
      consecutiveFailures: this.failures,
      openedAt: this.openedAt,
      retryAt: open ? (this.openedAt ?? 0) + policy.openMs : null,
    };
  }

  private move(to: BreakerState): void {
    const from = this.state;
    this.state = to;
    this.onTransition({ providerId: this.providerId, from, to, consecutiveFailures: this.failures });
  }
}

/** The breakers of every provider, created on first use. */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly onTransition: (t: BreakerTransition) => void = () => {}) {}

  /** The breaker of a provider. */
  for(providerId: string): CircuitBreaker {
    let breaker = this.breakers.get(providerId);
    if (!breaker) {
      breaker = new CircuitBreaker(providerId, this.onTransition);
      this.breakers.set(providerId, breaker);
    }
    return breaker;
  }

  /** The breaker of a provider if it has one (no traffic yet means closed). */
  peek(providerId: string): CircuitBreaker | undefined {
    return this.breakers.get(providerId);
  }
}
