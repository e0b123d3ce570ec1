// Per-provider timers that start scheduled health checks. Timers are unref'd (a schedule
// never keeps the process alive) and re-armed after each tick; `apply` reconciles them
// with the providers' current intervals after every config change.
import type { ScheduledProvider } from "../db/health-repository.js";

/**
 * The shortest interval between scheduled runs. Each run sends one request per model with the
 * provider's key; more often than every 10 s is load on the provider (and its bill), not monitoring.
 */
export const MIN_HEALTH_CHECK_INTERVAL_MS = 10_000;

/** setTimeout's largest delay; longer waits are split into hops of this size. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Schedule {
  intervalMs: number;
  timer: NodeJS.Timeout | undefined;
}

/** What the schedules call and read. */
export interface HealthSchedulesOptions {
  /** Starts a scheduled job for the provider. */
  onTick: (providerId: string) => void;
  /** When the provider's last scheduled job was created (ms since epoch), if any. */
  lastRunAt: (providerId: string) => number | undefined;
}

/** The timers of every provider with a health-check interval. */
export class HealthSchedules {
  private readonly schedules = new Map<string, Schedule>();

  constructor(private readonly options: HealthSchedulesOptions) {}

  /** Makes the timers match `providers`: new ones armed, changed ones re-armed, gone ones stopped. */
  apply(providers: readonly ScheduledProvider[]): void {
    const wanted = new Map(providers.map((p) => [p.id, p.intervalMs]));
    for (const [id, schedule] of this.schedules) {
      if (wanted.get(id) !== schedule.intervalMs) {
        clearTimeout(schedule.timer);
        this.schedules.delete(id);
      }
    }
    for (const [id, intervalMs] of wanted) {
      if (this.schedules.has(id)) continue;
      const schedule: Schedule = { intervalMs, timer: undefined };
      this.schedules.set(id, schedule);
      // After a restart, the next run is due one interval after the last one, not after boot.
      const last = this.options.lastRunAt(id);
      const delay = last === undefined ? intervalMs : Math.max(0, last + intervalMs - Date.now());
      this.arm(id, schedule, delay);
    }
  }

  /** Stops every timer. */
  stop(): void {
    for (const schedule of this.schedules.values()) clearTimeout(schedule.timer);
    this.schedules.clear();
  }

  private arm(id: string, schedule: Schedule, delayMs: number): void {
    const hop = Math.min(delayMs, MAX_TIMER_MS);
    schedule.timer = setTimeout(() => {
      if (this.schedules.get(id) !== schedule) return;
      if (delayMs > hop) {
        this.arm(id, schedule, delayMs - hop);
        return;
      }
      this.arm(id, schedule, schedule.intervalMs);
      this.options.onTick(id);
    }, hop);
    schedule.timer.unref();
  }
}
