// Runs the `parley` CLI as a subprocess against a real Parley (admin API on port 0, temp
// SQLite file) started in the test process. The CLI runs as built (`npm test` builds first),
// so what is tested is what ships; PARLEY_CLI_ENTRY=src/cli/main.ts runs the source through tsx.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "../../../src/core/config.js";
import { createLogger } from "../../../src/core/logger.js";
import { startParley } from "../../../src/main.js";

/** A Parley whose admin API the CLI talks to. */
export interface AdminUnderTest {
  adminUrl: string;
  dataPlaneUrl: string;
  dir: string;
  close(): Promise<void>;
}

/** Starts Parley with a temp database; `env` adds or overrides variables (e.g. PARLEY_ADMIN_TOKEN). */
export async function startAdmin(env: Record<string, string> = {}): Promise<AdminUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), "parley-cli-"));
  const config = loadConfig({
    PORT: "0",
    PARLEY_ADMIN_PORT: "0",
    PARLEY_DB: join(dir, "parley.db"),
    PARLEY_LOG_LEVEL: "silent",
    ...env,
  });
  const parley = await startParley(config, createLogger(config.logLevel));
  return {
    adminUrl: parley.adminUrl,
    dataPlaneUrl: parley.dataPlaneUrl,
    dir,
    async close() {
      await parley.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a CLI run printed and how it ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ENTRY = process.env.PARLEY_CLI_ENTRY ?? "dist/src/cli/main.js";
const NODE_ARGS = ENTRY.endsWith(".ts") ? ["--import", "tsx", resolve(ENTRY)] : [resolve(ENTRY)];

/**
 * Runs `parley <args>` with a clean environment (only PATH, HOME and `env`) so the
 * developer's own PARLEY_* variables never leak into a test. Asynchronous on purpose:
 * the admin server under test lives in this process and must keep answering.
 */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
) {
  return runNode([...NODE_ARGS, ...args], options);
}

/** Runs a TypeScript file (e.g. an example script) through tsx with a clean environment. */
export function runTypeScript(path: string, options: { env?: Record<string, string> } = {}) {
  return runNode(["--import", "tsx", resolve(path)], options);
}

function runNode(nodeArgs: readonly string[], options: { env?: Record<string, string>; stdin?: string }) {
  return new Promise<CliRun>((resolvePromise, reject) => {
    const child = spawn(process.execPath, nodeArgs, {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

/** A CLI bound to one admin server: `parley(...)` runs with PARLEY_ADMIN_URL pointing at it. */
export function cliFor(admin: { adminUrl: string }) {
  return (args: readonly string[], options: { env?: Record<string, string>; stdin?: string } = {}) =>
    runCli(args, { ...options, env: { PARLEY_ADMIN_URL: admin.adminUrl, ...options.env } });
}

/** Parses a run's stdout as JSON, failing with the run's output when it is not JSON. */
export function jsonOf(run: CliRun): any {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/** A CLI process still running, whose output can be awaited line by line. */
export interface LiveCli {
  /** Resolves once stdout contains text matching the pattern; rejects after 10 s or when the CLI ends first. */
  waitForStdout(pattern: RegExp): Promise<string>;
  /** Resolves when the process ends. */
  done: Promise<CliRun>;
}

/** Starts `parley <args>` without waiting for it, to watch its output as it is printed. */
export function startCli(args: readonly string[], options: { env?: Record<string, string> } = {}): LiveCli {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: (text: string) => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(stdout)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(stdout);
      }
    }
  };
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    check();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<CliRun>((resolvePromise, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
  return {
    waitForStdout: (pattern) =>
      new Promise<string>((resolveWait, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${pattern} on stdout within 10 s:\n${stdout}`)),
          10_000,
        );
        waiters.push({
          pattern,
          resolve: (text) => {
            clearTimeout(timer);
            resolveWait(text);
          },
        });
        check();
        done.then((run) =>
          reject(
            new Error(
              `the CLI ended (exit ${run.code}) before printing ${pattern}:\n${run.stdout}${run.stderr}`,
            ),
          ),
        );
      }),
    done,
  };
}
