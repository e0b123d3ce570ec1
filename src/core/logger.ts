// The process logger (pino, one JSON object per line). Provider keys are redacted by
// path wherever they could appear in a logged object. Lines are buffered (no system call
// per line on the hot path) and flushed every second and on exit; a terminal gets
// pino-pretty's readable output instead.
import { type DestinationStream, type Logger, pino } from "pino";
import pinoPretty from "pino-pretty";

export type { Logger } from "pino";

/** Bytes collected before a write: a few dozen request lines. */
const BUFFER_BYTES = 4096;
/** The longest a line waits in the buffer when traffic is light. */
const FLUSH_INTERVAL_MS = 1000;

/** Where log lines go: pretty on a terminal, buffered JSON on stdout otherwise. */
function destination(pretty: boolean): DestinationStream {
  if (pretty) return pinoPretty({ colorize: true, sync: true });
  const dest = pino.destination({ dest: 1, sync: false, minLength: BUFFER_BYTES });
  setInterval(() => dest.flush(), FLUSH_INTERVAL_MS).unref();
  // process.exit() skips pending async writes; the exit event still runs synchronous code.
  process.once("exit", () => dest.flushSync());
  return dest;
}

/** A logger at the given level, writing to stdout (pretty when `pretty`, by default when stdout is a TTY). */
export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  const settings = {
    level,
    base: { service: "parley" },
    redact: {
      paths: ["apiKey", "api_key", "*.apiKey", "*.api_key", "headers.authorization", 'headers["x-api-key"]'],
      censor: "[redacted]",
    },
  };
  if (level === "silent") return pino(settings);
  return pino(settings, destination(options.pretty ?? process.stdout.isTTY === true));
}

/**
 * A logger for the one line every data-plane request ends with: the same destination, level
 * and bindings as `logger`, without its redaction paths. That line's fields are fixed and
 * carry no credential, and redaction (it walks every logged object) would double its cost.
 */
export function requestLineLogger(logger: Logger): Logger {
  const destination = (logger as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym];
  return pino({ level: logger.level, base: logger.bindings() }, destination);
}
