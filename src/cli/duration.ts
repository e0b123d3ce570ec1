// Human durations on the command line and in setup files ("30s", "1.5s", "500ms", "2m",
// "1h") to and from protobuf Durations, so nobody has to count seconds and nanos.
import type { Duration } from "@bufbuild/protobuf/wkt";
import { durationFromMs, durationMs } from "@bufbuild/protobuf/wkt";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Parses "30s", "1.5s", "500ms", "2m", "1h30m" or "0" into milliseconds; undefined when malformed. */
export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "0") return 0;
  if (!WHOLE.test(trimmed)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) {
    ms += Number(amount) * (UNIT_MS[unit ?? ""] ?? Number.NaN);
  }
  ms = Math.round(ms * 1000) / 1000;
  // Durations finer than a millisecond would be silently rounded away: refuse them.
  return Number.isInteger(ms) ? ms : undefined;
}

/** Parses a human duration into a protobuf Duration; undefined when malformed. */
export function parseDuration(text: string): Duration | undefined {
  const ms = parseDurationMs(text);
  return ms === undefined ? undefined : durationFromMs(ms);
}

/** Formats a protobuf Duration the way it is typed: "30s", "1.5s", "250ms", "2m", "1h30m". */
export function formatDuration(duration: Duration): string {
  return formatMs(durationMs(duration));
}

/** Formats milliseconds the way they are typed. */
export function formatMs(ms: number): string {
  if (ms === 0) return "0";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000 || ms % 1000 !== 0) return `${Number((ms / 1000).toFixed(3))}s`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return [
    hours > 0 ? `${hours}h` : "",
    minutes > 0 ? `${minutes}m` : "",
    seconds > 0 ? `${seconds}s` : "",
  ].join("");
}
