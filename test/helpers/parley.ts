// Starts the real Parley process in-process on ephemeral ports with a temp database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/core/config.js";
import { createLogger, type Logger } from "../../src/core/logger.js";
import { startParley } from "../../src/main.js";

/** A Parley under test. */
export interface TestParley {
  url: string;
  /** Where the admin API (Connect, gRPC, gRPC-Web) listens. */
  adminUrl: string;
  dir: string;
  reload(): void;
  close(): Promise<void>;
}

/** Starts Parley with the given environment on top of test defaults (and a logger of the test's). */
export async function startTestParley(
  env: Record<string, string>,
  options: { logger?: Logger } = {},
): Promise<TestParley> {
  const dir = mkdtempSync(join(tmpdir(), "parley-test-"));
  const config = loadConfig({
    PORT: "0",
    PARLEY_ADMIN_PORT: "0",
    PARLEY_DB: join(dir, "parley.db"),
    PARLEY_LOG_LEVEL: "silent",
    ...env,
  });
  const parley = await startParley(config, options.logger ?? createLogger(config.logLevel));
  return {
    url: parley.dataPlaneUrl,
    adminUrl: parley.adminUrl,
    dir,
    reload: () => parley.reload(),
    async close() {
      await parley.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
