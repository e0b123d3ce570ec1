// The process logger (pino, one JSON object per line). Provider keys are redacted by
// path wherever they could appear in a logged object. Lines are buffered (no system call
// per line on the hot path) and flushed every second and on exit; a terminal gets
// pino-pretty's readable output instead.
import { type DestinationStream, type Logger, pino } from "pino";
import pinoPretty from "pino-pretty";

export type { Logger } from "pino";

/** Characters collected before a write: a few dozen request lines. */
const BATCH_CHARS = 16 * 1024;
/** The longest a line waits in the batch when traffic is light. */
const FLUSH_INTERVAL_MS = 1000;

/**
 * Collects log lines and hands them to the destination a batch at a time. sonic-boom's own
 * buffering measures the whole pending string on every line (its byteLength flattens the
 * concatenation), a copy of kilobytes per line under load; here a line costs an array push,
 * and sonic-boom still does the writing (partial writes, EAGAIN, the final synchronous flush).
 */
export class LineBatch implements DestinationStream {
  #lines: string[] = [];
  #chars = 0;

  constructor(
    private readonly destination: DestinationStream & { flushSync(): void },
    private readonly batchChars = BATCH_CHARS,
  ) {}

  write(line: string): void {
    this.#lines.push(line);
    this.#chars += line.length;
    if (this.#chars >= this.batchChars) this.flush();
  }

  /** Hands the collected lines to the destination, which writes them when it can. */
  flush(): void {
    if (this.#lines.length === 0) return;
    const text = this.#lines.length === 1 ? this.#lines[0]! : this.#lines.join("");
    this.#lines = [];
    this.#chars = 0;
    this.destination.write(text);
  }

  /** Writes everything collected, before returning (for process exit). */
  flushSync(): void {
    this.flush();
    this.destination.flushSync();
  }
}

/** Where log lines go: pretty on a terminal, batched JSON on stdout otherwise. */
function destination(pretty: boolean): DestinationStream {
  if (pretty) return pinoPretty({ colorize: true, sync: true });
  const batch = new LineBatch(pino.destination({ dest: 1, sync: false }));
  setInterval(() => batch.flush(), FLUSH_INTERVAL_MS).unref();
  // process.exit() skips pending async writes; the exit event still runs synchronous code.
  process.once("exit", () => batch.flushSync());
  return batch;
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
 * A writer for the one line every data-plane request ends with: the line `logger.info(fields,
 * msg)` would write (same destination, level and bindings), formatted by JSON.stringify. The
 * line's fields are fixed and carry no credential, so it needs none of pino's redaction or
 * serializers, and pino's piecewise formatting cost a third of what a request allocated.
 */
export function requestLineWriter(logger: Logger): (fields: object, msg: string) => void {
  const symbols = logger as unknown as Record<symbol, unknown>;
  const destination = symbols[pino.symbols.streamSym] as DestinationStream;
  // The bindings as pino writes them after the time: `,"service":"parley"`.
  const bindings = symbols[pino.symbols.chindingsSym] as string;
  const info = pino.levels.values.info!;
  return (fields, msg) => {
    if (logger.levelVal > info) return;
    const json = JSON.stringify(fields);
    const members = json.length > 2 ? `,${json.slice(1, -1)}` : "";
    destination.write(
      `{"level":${info},"time":${Date.now()}${bindings}${members},"msg":${JSON.stringify(msg)}}\n`,
    );
  };
}
