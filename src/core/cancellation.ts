// The part of an AbortSignal a request's own work reads — whether it was cancelled, why, and
// a callback when it is — and a cheap one-shot implementation of it. Node's AbortController
// costs ~6 µs and a weak reference per request; one is made for every request served.

/** What a cancellable piece of work can see of its cancellation (an AbortSignal fits). */
export interface Cancellation {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** A cancellation that happens at most once, with a reason. */
export class OneShotCancellation implements Cancellation {
  aborted = false;
  reason: unknown;
  private listeners: Array<() => void> | undefined;

  /** Cancels (the first call only) and runs every listener once. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }

  addEventListener(_type: "abort", listener: () => void): void {
    if (this.aborted) return;
    this.listeners ??= [];
    this.listeners.push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const at = this.listeners?.indexOf(listener) ?? -1;
    if (at !== -1) this.listeners!.splice(at, 1);
  }
}
