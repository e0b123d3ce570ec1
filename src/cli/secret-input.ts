// Reads an API key from where the operator chose to keep it: an environment variable or
// stdin, so the key never sits in shell history or in `ps` output.

import type { Env } from "./command.js";
import { UsageError } from "./errors.js";

/** Reads all of stdin as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Where a command line says the API key comes from. */
export interface ApiKeyFlags {
  "api-key"?: string | undefined;
  "api-key-env"?: string | undefined;
  "api-key-stdin"?: boolean | undefined;
  "clear-api-key"?: boolean | undefined;
}

/** The API key the flags name: a string (possibly "" to clear it), or undefined when no flag was given. */
export async function resolveApiKey(flags: ApiKeyFlags, env: Env): Promise<string | undefined> {
  const given = (["api-key", "api-key-env", "api-key-stdin", "clear-api-key"] as const).filter(
    (flag) => flags[flag] !== undefined && flags[flag] !== false,
  );
  if (given.length > 1) throw new UsageError(`--${given[0]} and --${given[1]} cannot be combined`);
  if (flags["clear-api-key"]) return "";
  if (flags["api-key"] !== undefined) return flags["api-key"];
  const variable = flags["api-key-env"];
  if (variable !== undefined) {
    const value = env[variable]?.trim();
    if (value === undefined || value === "") {
      throw new UsageError(`--api-key-env: environment variable ${variable} is not set`);
    }
    return value;
  }
  if (flags["api-key-stdin"]) {
    const value = (await readStdin()).trim();
    if (value === "") throw new UsageError("--api-key-stdin: stdin was empty");
    return value;
  }
  return undefined;
}
