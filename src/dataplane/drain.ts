// In-flight accounting and the draining flag, read by /livez and /health and by the
// shutdown sequence.

/** Counts requests in flight and knows whether the process is draining. */
export class DrainState {
  private inFlightCount = 0;
  private drainingFlag = false;
  private idleWaiters: Array<() => void> = [];

  /** Requests being served now. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  /** Whether shutdown has begun. */
  get draining(): boolean {
    return this.drainingFlag;
  }

  /** Marks a request as started; call the returned function once when it ends. */
  begin(): () => void {
    this.inFlightCount++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlightCount--;
      if (this.inFlightCount === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
  }

  /** Starts draining; resolves when nothing is in flight. */
  drain(): Promise<void> {
    this.drainingFlag = true;
    if (this.inFlightCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
