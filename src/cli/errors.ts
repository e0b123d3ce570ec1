// The CLI's two failure kinds and how any failure becomes the one-line reason printed on
// stderr: usage mistakes exit 2, everything else (server answers, files, I/O) exits 1.
import { Code, ConnectError } from "@connectrpc/connect";
import { codeToString } from "@connectrpc/connect/protocol-connect";

/** The command line itself is wrong (unknown flag, missing argument): exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A failure the CLI detected itself (bad setup file, unhealthy models): exit code 1. */
export class CliError extends Error {
  override readonly name = "CliError";
}

/** The exit code for an error thrown by a command. */
export function exitCodeFor(error: unknown): number {
  return error instanceof UsageError ? 2 : 1;
}

/** One line saying what went wrong, without the "parley: " prefix. */
export function describeError(error: unknown, adminUrl?: string): string {
  if (error instanceof ConnectError) {
    const line = `${codeToString(error.code)}: ${firstLine(error.rawMessage)}`;
    if (error.code === Code.Unavailable && adminUrl !== undefined) {
      return `${line} (is the admin API listening at ${adminUrl}?)`;
    }
    return line;
  }
  if (error instanceof Error) return firstLine(error.message);
  return firstLine(String(error));
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0] ?? "";
  return line.trim() === "" ? "unknown error" : line;
}
