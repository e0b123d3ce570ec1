// Timers Parley's own code (src/) arms and whether each fired or was cleared: one still armed after its
// request ended is a leak. The globals are wrapped (unref'd timers hide from getActiveResourcesInfo), and
// each watch owns the timers armed in async work started under `watch.run()`, so concurrent tests stay apart.
import { AsyncLocalStorage } from "node:async_hooks";
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
  /** Runs `fn` so that the timers Parley arms in anything it starts (a server, its requests) are this watch's. */
  run<T>(fn: () => T): T;
  /** Forgets the timers seen so far (those a server arms while it starts up). */
  reset(): void;
  /** This watch's timers that neither fired nor were cleared, as "<delay> ms at <file:line>". */
  armed(): string[];
  /** How many timers Parley armed for this watch since the last reset. */
  count(): number;
  /** Ends the watch; the real timer functions come back once no watch is left. */
  stop(): void;
}

const owner = new AsyncLocalStorage<Map<unknown, Armed>>();
const real = {
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  clearTimeout: globalThis.clearTimeout,
  clearInterval: globalThis.clearInterval,
};
/** Every timer a watch owns, by timer, so clearing finds it whoever owns it. */
const owned = new Map<unknown, Armed>();
let watches = 0;

/** The stack frame that called the timer function (frame 0 is the wrapper). */
function callerSite(): string {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  return frames[2]?.trim() ?? "";
}

function arm(repeats: boolean) {
  const original = repeats ? real.setInterval : real.setTimeout;
  return (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timers = owner.getStore();
    const site = timers ? callerSite() : "";
    if (!timers || !site.includes(SRC_DIR)) return original(callback, ms, ...args);
    const record: Armed = { ms, site, repeats, done: false };
    const timer = original(
      (...a: unknown[]) => {
        if (!repeats) record.done = true;
        callback(...a);
      },
      ms,
      ...args,
    );
    timers.set(timer, record);
    owned.set(timer, record);
    return timer;
  };
}

function clear(original: (timer?: NodeJS.Timeout | string | number) => void) {
  return (timer?: NodeJS.Timeout | string | number) => {
    const record = owned.get(timer);
    if (record) record.done = true;
    original(timer);
  };
}

function install(): void {
  globalThis.setTimeout = arm(false) as typeof setTimeout;
  globalThis.setInterval = arm(true) as typeof setInterval;
  globalThis.clearTimeout = clear(real.clearTimeout) as typeof clearTimeout;
  globalThis.clearInterval = clear(real.clearInterval) as typeof clearInterval;
}

/** Starts a watch; call `stop()` when done. */
export function watchParleyTimers(): TimerWatch {
  if (watches++ === 0) install();
  const timers = new Map<unknown, Armed>();
  let stopped = false;
  return {
    run: (fn) => owner.run(timers, fn),
    reset() {
      for (const timer of timers.keys()) owned.delete(timer);
      timers.clear();
    },
    armed: () =>
      [...timers.values()]
        .filter((record) => !record.done)
        .map((record) => `${record.ms} ms${record.repeats ? " (interval)" : ""} ${record.site}`),
    count: () => timers.size,
    stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of timers.keys()) owned.delete(timer);
      if (--watches === 0) Object.assign(globalThis, real);
    },
  };
}
