// What a running job tells its watchers: each result as it is stored, then the end.
// Listeners are called synchronously right after the database write, so a watcher that
// subscribes before reading the database misses nothing and sees nothing twice.
import type { HealthCheckJobRow, HealthCheckResultRow } from "../db/schema.js";

/** One thing that happened to a job. */
export type JobEvent =
  | { kind: "result"; job: HealthCheckJobRow; result: HealthCheckResultRow }
  | { kind: "end"; job: HealthCheckJobRow };

/** Receives a job's events. */
export type JobListener = (event: JobEvent) => void;

/** Listeners per job id. */
export class JobEvents {
  private readonly listeners = new Map<string, Set<JobListener>>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(jobId: string, listener: JobListener): () => void {
    let set = this.listeners.get(jobId);
    if (!set) {
      set = new Set();
      this.listeners.set(jobId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(jobId) === set) this.listeners.delete(jobId);
    };
  }

  /** Calls every listener of the job; one listener's failure does not stop the others. */
  publish(jobId: string, event: JobEvent): void {
    for (const listener of [...(this.listeners.get(jobId) ?? [])]) {
      try {
        listener(event);
      } catch {
        // A watcher's bug must not stop the job; the watcher's own stream will surface it.
      }
    }
    if (event.kind === "end") this.listeners.delete(jobId);
  }
}
