// Runs the real Codex CLI (the `@openai/codex` devDependency) as `codex exec --json` against
// a Responses base URL, offline: a throwaway CODEX_HOME whose config.toml names the provider,
// no retries, no plugin sync or update check, and a catch-all proxy that records any attempt
// to leave the machine. Each run is bounded by a timeout and its process group killed after.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The CLI that `npm install` put in place (a Node launcher for the platform package's binary). */
export const CODEX_BIN = resolve(import.meta.dirname, "../../node_modules/.bin/codex");

const PACKAGE_JSON = resolve(import.meta.dirname, "../../node_modules/@openai/codex/package.json");

/** The installed CLI's version, as its package declares it. */
export const CODEX_VERSION: string = existsSync(PACKAGE_JSON)
  ? (JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { version: string }).version
  : "not installed";

/** The environment variable the provider's `env_key` names: Codex sends it as a bearer token. */
const KEY_VARIABLE = "PARLEY_CLIENT_KEY";

/** One line of `codex exec --json` output (thread, turn and item events). */
export interface CodexEvent {
  type: string;
  item?: CodexItem;
  usage?: Record<string, number>;
  error?: { message?: string };
  message?: string;
}

/** An item of a Codex event: a command it ran, a message of the agent, an error… */
export interface CodexItem {
  id: string;
  type: string;
  text?: string;
  message?: string;
  command?: string;
  aggregated_output?: string;
  exit_code?: number | null;
  status?: string;
}

/** What one run of the CLI produced. */
export interface CodexRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** stdout parsed line by line; lines that are not JSON are left out. */
  events: CodexEvent[];
  /** Every request the CLI tried to send past the local machine (`CONNECT host:443`, …). */
  outbound: string[];
}

/** Options of one `codex exec` run. */
export interface CodexOptions {
  /** The provider's `base_url`: Parley's `/v1` (Codex appends `/responses`). */
  baseUrl: string;
  /** The working directory, where the agent's commands run. */
  cwd: string;
  prompt: string;
  /** The model name Codex asks for (and picks its tool set and prompts by). */
  model: string;
  /** The key Codex sends as `Authorization: Bearer …`. */
  apiKey: string;
  timeoutMs?: number;
}

/** Fails with a clear message when the CLI is missing (e.g. optional dependencies were omitted). */
export function assertCodexInstalled(): void {
  if (!existsSync(CODEX_BIN)) {
    throw new Error(
      `Codex is not installed at ${CODEX_BIN}: run \`npm install\` (with optional dependencies, ` +
        "which carry the platform binary of @openai/codex)",
    );
  }
}

/** A TOML string: JSON's escapes are a subset of TOML basic strings'. */
function toml(value: string): string {
  return JSON.stringify(value);
}

/** The config.toml of a run: `--strict-config` makes Codex refuse a key this version does not know. */
function configToml(options: CodexOptions): string {
  return [
    `model = ${toml(options.model)}`,
    `model_provider = "parley"`,
    // Runs `cat note.txt` without asking and without a sandbox that CI's container may lack.
    `approval_policy = "never"`,
    `sandbox_mode = "danger-full-access"`,
    "check_for_update_on_startup = false",
    "",
    "[model_providers.parley]",
    `name = "Parley"`,
    `base_url = ${toml(options.baseUrl)}`,
    `env_key = ${toml(KEY_VARIABLE)}`,
    `wire_api = "responses"`,
    // A failed exchange must show at once, not as a second identical request after back-off.
    "request_max_retries = 0",
    "stream_max_retries = 0",
    "stream_idle_timeout_ms = 20000",
    "",
    "[analytics]",
    "enabled = false",
    "",
    "[feedback]",
    "enabled = false",
    "",
    "[history]",
    `persistence = "none"`,
    "",
    // Plugins and apps sync a curated catalogue from GitHub and chatgpt.com at start-up.
    "[features]",
    "plugins = false",
    "remote_plugin = false",
    "apps = false",
    "",
  ].join("\n");
}

/** A proxy that forwards nothing: it answers 502 and records what the CLI tried to reach. */
async function startCatchAllProxy(): Promise<{ url: string; attempts: string[]; close(): Promise<void> }> {
  const attempts: string[] = [];
  const server = createServer((req, res) => {
    attempts.push(`${req.method} ${req.url}`);
    res.writeHead(502).end();
  });
  server.on("connect", (req, socket) => {
    attempts.push(`CONNECT ${req.url}`);
    socket.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    attempts,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function parseEvents(stdout: string): CodexEvent[] {
  const events: CodexEvent[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      events.push(JSON.parse(line) as CodexEvent);
    } catch {
      // A line cut by a kill is not an event; describeCodexRun shows the raw stdout.
    }
  }
  return events;
}

/** Kills the run's whole process group (the launcher, the native binary, the shells it spawned). */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: the group has already exited.
  }
}

/** Runs `codex exec --json <prompt>` in `cwd` and collects its output. */
export async function runCodex(options: CodexOptions): Promise<CodexRun> {
  assertCodexInstalled();
  const home = mkdtempSync(join(tmpdir(), "parley-codex-home-"));
  writeFileSync(join(home, "config.toml"), configToml(options));
  const proxy = await startCatchAllProxy();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    CODEX_HOME: home,
    [KEY_VARIABLE]: options.apiKey,
    // Everything but the local machine goes to the catch-all proxy, which forwards nothing.
    HTTP_PROXY: proxy.url,
    HTTPS_PROXY: proxy.url,
    ALL_PROXY: proxy.url,
    http_proxy: proxy.url,
    https_proxy: proxy.url,
    all_proxy: proxy.url,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
  };
  const args = [
    "exec",
    "--json",
    "--strict-config",
    "--skip-git-repo-check",
    "--ephemeral",
    "--color",
    "never",
    options.prompt,
  ];
  try {
    return await new Promise<CodexRun>((resolveRun, reject) => {
      // Its own process group, so a timeout can kill the CLI and every shell it started.
      const child = spawn(CODEX_BIN, args, {
        cwd: options.cwd,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
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
        killGroup(child.pid);
      }, options.timeoutMs ?? 30_000);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on("close", (exitCode, signal) => {
        clearTimeout(timer);
        killGroup(child.pid);
        resolveRun({
          exitCode,
          signal,
          timedOut,
          stdout,
          stderr,
          events: parseEvents(stdout),
          outbound: [...proxy.attempts],
        });
      });
    });
  } finally {
    await proxy.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** The commands the agent ran, as Codex reported them when they completed. */
export function commandExecutions(run: CodexRun): CodexItem[] {
  return run.events
    .filter((e) => e.type === "item.completed" && e.item?.type === "command_execution")
    .map((e) => e.item as CodexItem);
}

/** The texts of the agent's messages, in order: what Codex printed as the answer. */
export function agentMessages(run: CodexRun): string[] {
  return run.events
    .filter((e) => e.type === "item.completed" && e.item?.type === "agent_message")
    .map((e) => e.item?.text ?? "");
}

/** The usage Codex reported at the end of the turn (summed over its requests). */
export function turnUsage(run: CodexRun): Record<string, number> | undefined {
  return run.events.find((e) => e.type === "turn.completed")?.usage;
}

/** A one-paragraph account of a run, for assertion messages. */
export function describeCodexRun(run: CodexRun): string {
  return [
    `exit=${run.exitCode} signal=${run.signal} timedOut=${run.timedOut} outbound=${run.outbound.join(",")}`,
    `stdout: ${run.stdout.slice(0, 3000)}`,
    `stderr: ${run.stderr.slice(0, 2000)}`,
  ].join("\n");
}
