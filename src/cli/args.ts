// Command-line parsing on node:util parseArgs: the global flags every admin command takes,
// the command words, and the small conventions parseArgs lacks (`--enabled=false`).
import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./errors.js";

/** The flags every admin command accepts, wherever they appear on the line. */
export const GLOBAL_OPTIONS = {
  "admin-url": { type: "string" },
  token: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

/** The admin URL used when neither --admin-url nor PARLEY_ADMIN_URL says otherwise. */
export const DEFAULT_ADMIN_URL = "http://127.0.0.1:8081";

/** Where and how to reach the admin API, and how to print. */
export interface GlobalSettings {
  adminUrl: string;
  token: string | undefined;
  json: boolean;
}

/** The flag definitions a command passes to parseArgs. */
export type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** Boolean-valued flags that also take an explicit value: `--enabled`, `--enabled=false`. */
const TRISTATE_FLAGS = new Set(["--enabled", "--demote-nonstreaming", "--responses-api"]);

/** The words a tristate flag may take as its next argument ("default" resets an optional one). */
const TRISTATE_WORDS = new Set(["true", "false", "default"]);

/** Rewrites `--enabled`, `--enabled false` and `--enabled=false` into the `--enabled=<v>` form. */
function normaliseTristates(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? "";
    if (!TRISTATE_FLAGS.has(token)) {
      out.push(token);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && TRISTATE_WORDS.has(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else {
      out.push(`${token}=true`);
    }
  }
  return out;
}

/** Parses a command's arguments together with the global flags; parse failures are UsageErrors. */
export function parseCommand<const O extends OptionsConfig>(argv: readonly string[], options: O) {
  try {
    return parseArgs({
      args: normaliseTristates(argv),
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs appends advice about "--" to unknown-option errors; the first sentence is the reason.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split(". To specify")[0] ?? message);
  }
}

/** The parsed values of a command's flags (its own and the global ones). */
export type FlagValues<O extends OptionsConfig> = ReturnType<typeof parseCommand<O>>["values"];

/** Parses a verb's command line: its flag values, the global settings, and exactly the positionals named. */
export function parseVerb<const O extends OptionsConfig>(
  input: { argv: readonly string[]; env: Record<string, string | undefined> },
  options: O,
  names: readonly string[],
): { values: FlagValues<O>; settings: GlobalSettings; args: string[] } {
  const { values, positionals } = parseCommand(input.argv, options);
  const settings = globalSettings(values, input.env);
  return { values, settings, args: expectPositionals(positionals.slice(2), names) };
}

/** The leading words of a command line ("providers", "create", "openai"), skipping global flags. */
export function commandWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? "";
    if (token === "--") break;
    if (token.startsWith("-")) {
      // A global flag's value is the next token unless given inline (--token=x).
      if ((token === "--admin-url" || token === "--token") && !token.includes("=")) i++;
      continue;
    }
    words.push(token);
  }
  return words;
}

/** Resolves the global settings from parsed flags, then the environment, then defaults. */
export function globalSettings(
  values: { "admin-url"?: string | undefined; token?: string | undefined; json?: boolean | undefined },
  env: Record<string, string | undefined>,
): GlobalSettings {
  const adminUrl = values["admin-url"] ?? nonEmpty(env.PARLEY_ADMIN_URL) ?? DEFAULT_ADMIN_URL;
  let parsed: URL;
  try {
    parsed = new URL(adminUrl);
  } catch {
    throw new UsageError(`--admin-url: "${adminUrl}" is not a URL (expected e.g. ${DEFAULT_ADMIN_URL})`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new UsageError(`--admin-url: "${adminUrl}" must be an http or https URL`);
  }
  return {
    adminUrl: adminUrl.replace(/\/+$/, ""),
    token: values.token ?? nonEmpty(env.PARLEY_ADMIN_TOKEN),
    json: values.json ?? false,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** The arguments after the command words: exactly one per name, else a UsageError naming what is off. */
export function expectPositionals(positionals: readonly string[], names: readonly string[]): string[] {
  if (positionals.length < names.length) {
    throw new UsageError(
      `missing ${names
        .slice(positionals.length)
        .map((n) => `<${n}>`)
        .join(" ")}`,
    );
  }
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument "${positionals[names.length]}"`);
  }
  return [...positionals];
}

/** Parses a whole number flag within bounds. */
export function parseInteger(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag}: expected a whole number ${min}-${max}, got "${text}"`);
  }
  return value;
}

/** Parses `--enabled=<true|false>`. */
export function parseBoolean(flag: string, text: string): boolean {
  if (text === "true") return true;
  if (text === "false") return false;
  throw new UsageError(`--${flag}: expected true or false, got "${text}"`);
}
