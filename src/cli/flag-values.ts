// Flag values shared by the resource commands: durations, numbers, byte sizes and booleans
// that may be reset to the server default with the word "default" (or "none"), and
// "name=value" pairs.
import type { Duration } from "@bufbuild/protobuf/wkt";
import { parseBoolean, parseInteger } from "./args.js";
import { formatByteSize, parseByteSize } from "./byte-size.js";
import { parseDuration } from "./duration.js";
import { UsageError } from "./errors.js";

/** Words that reset an optional setting to the server's default on update. */
function isDefaultWord(text: string): boolean {
  return text === "default" || text === "none";
}

/** A duration flag: "30s", "1.5s", "500ms", "2m"…, or "default" (undefined: unset). */
export function durationFlag(flag: string, text: string): Duration | undefined {
  if (isDefaultWord(text)) return undefined;
  const duration = parseDuration(text);
  if (duration === undefined) {
    throw new UsageError(`--${flag}: expected a duration such as 30s, 1.5s, 500ms or 2m, got "${text}"`);
  }
  return duration;
}

/** A whole-number flag within bounds, or "default" (undefined: unset). */
export function optionalIntegerFlag(
  flag: string,
  text: string,
  min: number,
  max: number,
): number | undefined {
  return isDefaultWord(text) ? undefined : parseInteger(flag, text, min, max);
}

/** A byte size flag within bounds ("4096", "64KiB", "32MiB"), or "none" (undefined: unset). */
export function optionalByteSizeFlag(
  flag: string,
  text: string,
  min: number,
  max: number,
): number | undefined {
  if (isDefaultWord(text)) return undefined;
  const bytes = parseByteSize(text);
  if (bytes === undefined || bytes < min || bytes > max) {
    throw new UsageError(
      `--${flag}: expected a size from ${formatByteSize(min)} to ${formatByteSize(max)} such as 4096, 64KiB or 32MiB (or none), got "${text}"`,
    );
  }
  return bytes;
}

/** A true/false flag, or "default" (undefined: unset, so the server applies its default). */
export function optionalBooleanFlag(flag: string, text: string): boolean | undefined {
  return isDefaultWord(text) ? undefined : parseBoolean(flag, text);
}

/** "name=value" pairs from a repeated flag, as a record; later pairs win. */
export function pairsFlag(flag: string, texts: readonly string[]): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const text of texts) {
    const equals = text.indexOf("=");
    if (equals <= 0) throw new UsageError(`--${flag}: expected name=value, got "${text}"`);
    pairs[text.slice(0, equals).trim()] = text.slice(equals + 1);
  }
  return pairs;
}
