// Timers that Parley's own code (src/) arms while a test runs, and whether each one fired or was
// cleared by the end: a timer still armed after its request ended is a leak. Unref'd timers hide
// from process.getActiveResourcesInfo(), so the globals are wrapped instead.
import { fileURLToPath } from "node:url";

/** Where Parley's sources live; a timer counts when the frame that armed it is in here. */
const SRC_DIR = fileURLToPath(new URL("../../../src/", import.meta.url));

interface Armed {
  ms: number | undefined;
  /** The source line that armed it. */
  site: string;
  repeats: boolean;
  done: boolean;
}

/** What a watch reports. */
export interface TimerWatch {
  /** Parley's timers that neither fired nor were cleared, as "<delay> ms at <file:line>". */
  armed(): string[];
  /** How many timers Parley armed since the watch began. */
  count(): number;
  /** Puts the real timer functions back. */
  stop(): void;
}

/** The stack frame that called the timer function (frame 0 is the wrapper). */
function callerSite(): string {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  return frames[2]?.trim() ?? "";
}

/** Starts watching the timers Parley arms; call `stop()` when done. */
export function watchParleyTimers(): TimerWatch {
  const real = {
    setTimeout: globalThis.setTimeout,
    setInterval: globalThis.setInterval,
    clearTimeout: globalThis.clearTimeout,
    clearInterval: globalThis.clearInterval,
  };
  const armed = new Map<unknown, Armed>();

  function arm(repeats: boolean) {
    const original = repeats ? real.setInterval : real.setTimeout;
    return (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const site = callerSite();
      if (!site.includes(SRC_DIR)) return original(callback, ms, ...args);
      const record: Armed = { ms, site, repeats, done: false };
      const timer = original(
        (...a: unknown[]) => {
          if (!repeats) record.done = true;
          callback(...a);
        },
        ms,
        ...args,
      );
      armed.set(timer, record);
      return timer;
    };
  }
  function clear(original: (timer?: NodeJS.Timeout | string | number) => void) {
    return (timer?: NodeJS.Timeout | string | number) => {
      const record = armed.get(timer);
      if (record) record.done = true;
      original(timer);
    };
  }

  globalThis.setTimeout = arm(false) as typeof setTimeout;
  globalThis.setInterval = arm(true) as typeof setInterval;
  globalThis.clearTimeout = clear(real.clearTimeout) as typeof clearTimeout;
  globalThis.clearInterval = clear(real.clearInterval) as typeof clearInterval;

  return {
    armed: () =>
      [...armed.values()]
        .filter((record) => !record.done)
        .map((record) => `${record.ms} ms${record.repeats ? " (interval)" : ""} ${record.site}`),
    count: () => armed.size,
    stop() {
      Object.assign(globalThis, real);
    },
  };
}
