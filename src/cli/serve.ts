// `parley serve`: starts the proxy and its admin API, and drains them on SIGTERM/SIGINT
// (a second signal exits at once). The server modules load only for this command, so the
// admin commands start fast and never open the database.
import { ConfigError } from "../core/config.js";

async function start(): Promise<void> {
  const { startParley } = await import("../main.js");
  const parley = await startParley();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    parley.close().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`shutdown failed: ${error}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
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
