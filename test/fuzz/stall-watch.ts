// Polls /livez while a sweep runs. A server that takes longer than the stall bound to
// answer it is blocked for every client, even when the request blocking it answers in
// time itself; the requests in flight when the stall began are the suspects.

/** A stretch during which /livez did not answer promptly. */
export interface Stall {
  /** How long /livez stayed unanswered (until it answered again or the sweep ended). */
  ms: number;
  /** Indexes of the cases in flight when it began. */
  suspects: number[];
}

/** What the watch needs. */
export interface StallWatchOptions {
  /** Resolves when /livez answers; rejects after `timeoutMs`. */
  probe(timeoutMs: number): Promise<unknown>;
  /** The cases in flight now. */
  inFlight(): number[];
  stallMs: number;
  intervalMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function answers(options: StallWatchOptions): Promise<boolean> {
  const started = Date.now();
  try {
    await options.probe(options.stallMs);
    return Date.now() - started <= options.stallMs;
  } catch {
    return false;
  }
}

/** Starts watching; `stop()` ends the watch and returns the stalls seen. */
export function watchStalls(options: StallWatchOptions): { stop(): Promise<Stall[]> } {
  const stalls: Stall[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const suspects = options.inFlight();
      const started = Date.now();
      if (!(await answers(options))) {
        while (running && !(await answers(options))) {
          // Still blocked: keep probing until it answers again or the sweep is over.
        }
        stalls.push({ ms: Date.now() - started, suspects });
      }
      await sleep(options.intervalMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return stalls;
    },
  };
}
