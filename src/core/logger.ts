// The process logger (pino, one JSON object per line). Provider keys are redacted by
// path wherever they could appear in a logged object.
import { type Logger, pino } from "pino";

export type { Logger } from "pino";

/** A JSON logger at the given level, writing to stdout. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "parley" },
    redact: {
      paths: ["apiKey", "api_key", "*.apiKey", "*.api_key", "headers.authorization", 'headers["x-api-key"]'],
      censor: "[redacted]",
    },
  });
}
