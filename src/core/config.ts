// Process configuration from the environment, parsed and checked once at start-up.
// Durations are seconds in the environment (decimals allowed) and milliseconds inside.

/** Everything the process reads from its environment. */
export interface ParleyConfig {
  host: string;
  port: number;
  adminHost: string;
  adminPort: number;
  adminToken: string | null;
  dbPath: string;
  clientKeys: string[];
  allowUnauthenticated: boolean;
  logLevel: string;
  /** Default per-provider deadlines, in ms. */
  timeouts: { connectMs: number; headersMs: number; idleMs: number; requestMs: number };
  /** Silence on a stream to an Anthropic client after which a `ping` event goes out, in ms. */
  pingIntervalMs: number;
  drainTimeoutMs: number;
  /** Bounds on a client's request arriving (never on the response), in ms. */
  client: ClientLimits;
  /** Overrides of the resilience defaults (src/resilience/defaults.ts); unset = the default. */
  resilience: ResilienceEnv;
  quickStart: QuickStartEnv;
}

/** Resilience settings from the environment, durations in ms. */
export interface ResilienceEnv {
  maxRetries: number | undefined;
  attemptBudgetMs: number | undefined;
  commitDeadlineMs: number | undefined;
  /** Send non-streaming requests upstream as streams and answer with the accumulated body. */
  demoteNonStreaming: boolean;
}

/** How long a client may take to send its request, and how large it may be. */
export interface ClientLimits {
  /** From connection (or the end of the previous request) to the end of the request headers. */
  headersTimeoutMs: number;
  /** From the end of the headers to the end of the body. */
  bodyTimeoutMs: number;
  /** Request bodies above this are refused with 413. */
  maxBodyBytes: number;
  /** Requests with more messages than this are refused with 400. */
  maxMessages: number;
}

/** The quick-start variables of DESIGN §2. */
export interface QuickStartEnv {
  openai: { baseUrl: string | undefined; apiKey: string | undefined };
  anthropic: { baseUrl: string | undefined; apiKey: string | undefined };
  modelMap: string | undefined;
}

/** A variable that is set but cannot be used. */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const MAX_TIMER_MS = 2_147_483_647;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function port(env: Env, name: string, fallback: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(name, `expected a port number 0-65535, got "${raw}"`);
  }
  return value;
}

function seconds(env: Env, name: string, fallbackSeconds: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallbackSeconds * 1000;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigError(name, `expected a duration in seconds such as 2.5, got "${raw}"`);
  }
  // Node timers overflow past 2^31-1 ms (about 24.8 days) and fire at once instead.
  if (value * 1000 > MAX_TIMER_MS) {
    throw new ConfigError(name, `at most ${MAX_TIMER_MS / 1000} seconds (about 24 days), got "${raw}"`);
  }
  return Math.round(value * 1000);
}

function bytes(env: Env, name: string, fallback: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(name, `expected a positive whole number of bytes such as 33554432, got "${raw}"`);
  }
  return value;
}

function optionalSeconds(env: Env, name: string): number | undefined {
  return text(env, name) === undefined ? undefined : seconds(env, name, 0);
}

function count(env: Env, name: string, range: { min: number; max: number }): number | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new ConfigError(name, `expected a whole number from ${range.min} to ${range.max}, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return false;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

/** Reads the configuration from an environment (process.env by default). */
export function loadConfig(env: Env = process.env): ParleyConfig {
  return {
    host: text(env, "PARLEY_HOST") ?? "127.0.0.1",
    port: port(env, "PORT", 8080),
    adminHost: text(env, "PARLEY_ADMIN_HOST") ?? "127.0.0.1",
    adminPort: port(env, "PARLEY_ADMIN_PORT", 8081),
    adminToken: text(env, "PARLEY_ADMIN_TOKEN") ?? null,
    dbPath: text(env, "PARLEY_DB") ?? "./parley.db",
    clientKeys: (text(env, "PARLEY_CLIENT_KEYS") ?? "")
      .split(",")
      .map((k) => k.trim())
      .filter((k) => k !== ""),
    allowUnauthenticated: flag(env, "PARLEY_ALLOW_UNAUTHENTICATED"),
    logLevel: text(env, "PARLEY_LOG_LEVEL") ?? "info",
    timeouts: {
      connectMs: seconds(env, "PARLEY_CONNECT_TIMEOUT", 10),
      headersMs: seconds(env, "PARLEY_HEADERS_TIMEOUT", 300),
      // PARLEY_IDLE_TIMEOUT is the older name of the same setting.
      idleMs: text(env, "PARLEY_STREAM_IDLE_TIMEOUT")
        ? seconds(env, "PARLEY_STREAM_IDLE_TIMEOUT", 300)
        : seconds(env, "PARLEY_IDLE_TIMEOUT", 300),
      requestMs: seconds(env, "PARLEY_REQUEST_TIMEOUT", 600),
    },
    pingIntervalMs: seconds(env, "PARLEY_PING_INTERVAL", 10),
    drainTimeoutMs: seconds(env, "PARLEY_DRAIN_TIMEOUT", 600),
    client: {
      // Node's own default: a client that cannot send headers in a minute is not sending a request.
      headersTimeoutMs: seconds(env, "PARLEY_CLIENT_HEADERS_TIMEOUT", 60),
      // Five minutes for a body of up to 32 MiB is about 110 KiB/s: slow links still make it.
      bodyTimeoutMs: seconds(env, "PARLEY_CLIENT_BODY_TIMEOUT", 300),
      // Anthropic's own request limit (32 MB): a long session with screenshots must pass.
      maxBodyBytes: bytes(env, "PARLEY_MAX_BODY_BYTES", 32 * 1024 * 1024),
      // Anthropic's own limit per request: agent sessions carry thousands of messages.
      maxMessages: count(env, "PARLEY_MAX_MESSAGES", { min: 1, max: 10_000_000 }) ?? 100_000,
    },
    resilience: {
      maxRetries: count(env, "PARLEY_MAX_RETRIES", { min: 0, max: 10 }),
      attemptBudgetMs: optionalSeconds(env, "PARLEY_ATTEMPT_BUDGET"),
      commitDeadlineMs: optionalSeconds(env, "PARLEY_COMMIT_DEADLINE"),
      demoteNonStreaming: flag(env, "PARLEY_DEMOTE_NONSTREAMING"),
    },
    quickStart: {
      openai: { baseUrl: text(env, "PARLEY_OPENAI_BASE_URL"), apiKey: text(env, "PARLEY_OPENAI_API_KEY") },
      anthropic: {
        baseUrl: text(env, "PARLEY_ANTHROPIC_BASE_URL"),
        apiKey: text(env, "PARLEY_ANTHROPIC_API_KEY"),
      },
      modelMap: text(env, "PARLEY_MODEL_MAP"),
    },
  };
}

/** Whether a host name or address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
