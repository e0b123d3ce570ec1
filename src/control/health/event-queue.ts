// Turns pushed values into an async iteration a streaming handler can `for await`, ending
// when closed or when the signal aborts (the client went away), whichever comes first.

/** An unbounded FIFO of values with one async consumer. */
export class EventQueue<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | undefined;
  private closed = false;

  /** Adds a value for the consumer. */
  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    this.wake?.();
  }

  /** Ends the iteration once the values already pushed are consumed. */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  /** Yields values as they arrive until closed or `signal` aborts. */
  async *consume(signal?: AbortSignal): AsyncGenerator<T> {
    const onAbort = () => this.wake?.();
    signal?.addEventListener("abort", onAbort);
    try {
      while (!signal?.aborted) {
        const next = this.items.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (this.closed) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }
}
