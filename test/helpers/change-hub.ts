// Waiting on a mock's state without polling: the mock calls changed() after every request,
// ending and socket event, and each pending condition is checked again then.

/** Conditions waiting on a mock's counters, re-checked whenever the mock says something changed. */
export class ChangeHub {
  readonly #watchers = new Set<() => void>();

  /** Re-checks every waiting condition. */
  changed(): void {
    for (const watcher of [...this.#watchers]) watcher();
  }

  /** Resolves once `condition` holds; rejects with `state()` after `timeoutMs`. */
  waitFor(condition: () => boolean, timeoutMs: number, state: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        this.#watchers.delete(check);
      };
      const check = () => {
        let met: boolean;
        try {
          met = condition();
        } catch (error) {
          // Thrown here it would escape into the mock's socket handlers; the waiting test gets it.
          stop();
          reject(error);
          return;
        }
        if (!met) return;
        stop();
        resolve();
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`condition not met within ${timeoutMs} ms: ${state()}`));
      }, timeoutMs);
      timer.unref();
      this.#watchers.add(check);
      check();
    });
  }
}
