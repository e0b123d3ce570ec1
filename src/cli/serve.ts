// `parley serve`: starts the proxy and its admin API, and drains them on SIGTERM/SIGINT
// (a second signal exits at once). The server modules load only for this command, so the
// admin commands start fast and never open the database.
import { constants } from "node:os";
import { ConfigError } from "../core/config.js";

/** The signals that start a drain; a second one ends the process without waiting. */
const STOP_SIGNALS = ["SIGTERM", "SIGINT"] as const;

/**
 * A signal this soon after the first is the same request to stop, delivered twice: Ctrl-C under
 * `npm start` reaches npm and Parley both, and npm forwards its own copy to Parley a moment later.
 */
const REPEAT_WINDOW_MS = 250;

/** 128 + the signal's number, the status a shell reports for a process that signal ended. */
function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

async function start(): Promise<void> {
  const { startParley } = await import("../main.js");
  const parley = await startParley();
  let firstSignalAt: number | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt < REPEAT_WINDOW_MS) return;
      process.stderr.write(`parley: ${signal} again: exiting now, cutting the requests in flight\n`);
      process.exit(signalExitCode(signal));
    }
    firstSignalAt = Date.now();
    process.stderr.write(`parley: ${signal}: draining; send SIGTERM or SIGINT again to exit at once\n`);
    parley.close().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`parley: shutdown failed: ${error}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => stop(signal));
}

/** Runs `parley serve`; a start-up failure prints one line (a stack for unexpected errors) and exits 1. */
export function serve(): void {
  start().catch((error: unknown) => {
    const message =
      error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error);
    process.stderr.write(`parley: ${message}\n`);
    process.exit(1);
  });
}
