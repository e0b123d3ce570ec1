// Runs the real Claude Code CLI (the `@anthropic-ai/claude-code` devDependency) in print
// mode against a base URL, offline: a throwaway HOME, a minimal environment, stdin closed,
// no retries (a failure must show at once, not after minutes of back-off).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The CLI that `npm install` put in place (a native binary chosen by its postinstall). */
export const CLAUDE_CODE_BIN = resolve(import.meta.dirname, "../../node_modules/.bin/claude");

const PACKAGE_JSON = resolve(
  import.meta.dirname,
  "../../node_modules/@anthropic-ai/claude-code/package.json",
);

/** The installed CLI's version, as its package declares it. */
export const CLAUDE_CODE_VERSION: string = existsSync(PACKAGE_JSON)
  ? (JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { version: string }).version
  : "not installed";

/** What one run of the CLI produced. */
export interface ClaudeCodeRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** The `--output-format json` result object, or undefined when stdout was not JSON. */
  result: ClaudeCodeResult | undefined;
}

/** The fields of Claude Code's JSON result that tests read. */
export interface ClaudeCodeResult {
  type: string;
  subtype: string;
  is_error: boolean;
  num_turns: number;
  result?: string;
  errors?: string[];
}

/** Options of one print-mode run. */
export interface ClaudeCodeOptions {
  /** Where Claude Code sends its API requests (`ANTHROPIC_BASE_URL`). */
  baseUrl: string;
  /** The working directory: the project Claude Code works on. */
  cwd: string;
  prompt: string;
  /** The key Claude Code sends as `x-api-key`. */
  apiKey?: string;
  timeoutMs?: number;
}

/** Fails with a clear message when the CLI is missing (e.g. optional dependencies were omitted). */
export function assertClaudeCodeInstalled(): void {
  if (!existsSync(CLAUDE_CODE_BIN)) {
    throw new Error(
      `Claude Code is not installed at ${CLAUDE_CODE_BIN}: run \`npm install\` (with optional dependencies, ` +
        "which carry the platform binary of @anthropic-ai/claude-code)",
    );
  }
}

/** Runs `claude -p <prompt> --allowedTools Read --output-format json` and collects its output. */
export function runClaudeCode(options: ClaudeCodeOptions): Promise<ClaudeCodeRun> {
  assertClaudeCodeInstalled();
  const home = mkdtempSync(join(tmpdir(), "parley-claude-home-"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    ANTHROPIC_BASE_URL: options.baseUrl,
    ANTHROPIC_API_KEY: options.apiKey ?? "x",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1",
    // Retries would hide a failed exchange behind a second, identical request.
    CLAUDE_CODE_MAX_RETRIES: "0",
  };
  const args = [
    "-p",
    options.prompt,
    "--allowedTools",
    "Read",
    "--output-format",
    "json",
    // A guard against a tool loop: the scripted conversation needs two turns.
    "--max-turns",
    "4",
    "--no-session-persistence",
  ];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(CLAUDE_CODE_BIN, args, { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 120_000);
    const cleanUp = () => {
      clearTimeout(timer);
      rmSync(home, { recursive: true, force: true });
    };
    child.on("error", (error) => {
      cleanUp();
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      cleanUp();
      resolvePromise({ exitCode, signal, timedOut, stdout, stderr, result: parseResult(stdout) });
    });
  });
}

function parseResult(stdout: string): ClaudeCodeResult | undefined {
  try {
    const parsed: unknown = JSON.parse(stdout.trim());
    return typeof parsed === "object" && parsed !== null ? (parsed as ClaudeCodeResult) : undefined;
  } catch {
    return undefined;
  }
}

/** A one-paragraph account of a run, for assertion messages. */
export function describeRun(run: ClaudeCodeRun): string {
  return [
    `exit=${run.exitCode} signal=${run.signal} timedOut=${run.timedOut}`,
    `stdout: ${run.stdout.slice(0, 2000)}`,
    `stderr: ${run.stderr.slice(0, 2000)}`,
  ].join("\n");
}
