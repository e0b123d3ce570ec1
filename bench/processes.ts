// The bench's child processes: the mock upstream, the bare hop, Parley, the peers and the load
// generator, each started from compiled JS or an installed package, tracked, and killed on every
// way out of the runner. Servers' stdout and stderr go to a log file, as in production.
import { type ChildProcess, fork, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type { JobMessage, LoadJob, LoadResult, ReplyMessage } from "./protocol.js";

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Asks every child to stop, SIGKILLs whatever is left after `graceMs`, removes temp dirs. */
export async function stopAll(graceMs = 3_000): Promise<void> {
  const running = [...children];
  const exited = running.map(
    (c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once("exit", resolve))),
  );
  for (const child of running) child.kill("SIGTERM");
  await Promise.race([Promise.all(exited), sleep(graceMs)]);
  killAllNow();
}

/** Synchronous last resort for `process.on("exit")`. */
export function killAllNow(): void {
  for (const child of children) child.kill("SIGKILL");
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** A temp directory removed when the bench ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** A port free on 127.0.0.1 right now (the usual tiny race with whoever binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** A compiled file of the bench or of Parley, by its path relative to this one. */
export function script(name: string): string {
  return fileURLToPath(new URL(name, import.meta.url));
}

/** A running server process of the bench. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** Where its stdout and stderr go. */
  logFile: string;
  /** SIGTERM, then resolves with the exit code once it has exited. */
  stop(): Promise<number | null>;
}

/** How long a stopped server may take to exit (Parley drains, a profile is written) before SIGKILL. */
const STOP_GRACE_MS = 10_000;

function stopper(child: ChildProcess): () => Promise<number | null> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      child.once("exit", (code) => {
        clearTimeout(timer);
        resolve(code);
      });
      child.kill("SIGTERM");
    });
}

/** Forks one of the bench's own servers, which reports its URL over IPC once it listens. */
function forkServer(name: string, args: string[]): Promise<ServerProcess> {
  const child = track(fork(script(name), args, { stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  return new Promise((resolve, reject) => {
    child.once("message", (m: { url: string }) =>
      resolve({ url: m.url, pid: child.pid!, logFile: "", stop: stopper(child) }),
    );
    child.once("exit", (code) => reject(new Error(`${name} exited early (${code})`)));
  });
}

/** Starts the mock upstream. */
export function startMock(): Promise<ServerProcess> {
  return forkServer("./mock-upstream.js", []);
}

/** Starts the bare hop in front of `upstream`. */
export function startBare(upstream: string): Promise<ServerProcess> {
  return forkServer("./bare-proxy.js", [upstream]);
}

/** The caller's environment without what would change a server's behaviour under test. */
export function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !entry[0].startsWith("PARLEY_") && entry[0] !== "PORT",
    ),
  );
}

/**
 * Spawns a server with its output appended to `logFile` and resolves once `readyUrl` answers
 * any HTTP status (or rejects after `readyMs`, with the end of the log).
 */
export async function spawnServer(options: {
  label: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  logFile: string;
  url: string;
  readyUrl: string;
  readyMs?: number;
}): Promise<ServerProcess> {
  const fd = openSync(options.logFile, "a");
  const child = track(
    spawn(process.execPath, options.args, {
      env: options.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ["ignore", fd, fd],
    }),
  );
  closeSync(fd);
  const tail = () => readFileSync(options.logFile, "utf8").split("\n").slice(-20).join("\n");
  const deadline = Date.now() + (options.readyMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${options.label} exited (${child.exitCode}):\n${tail()}`);
    const up = await fetch(options.readyUrl, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.body?.cancel().then(() => true) ?? true,
      () => false,
    );
    if (up) return { url: options.url, pid: child.pid!, logFile: options.logFile, stop: stopper(child) };
    await sleep(100);
  }
  child.kill("SIGKILL");
  throw new Error(`${options.label} did not answer ${options.readyUrl} within the deadline:\n${tail()}`);
}

/**
 * Starts `parley serve` with the defaults a user gets (info logs, metrics), quick-started at the mock
 * with a temp database; `nodeArgs` go to node itself (`--cpu-prof`); `entry` is another build's
 * `dist/src/cli/main.js` (a baseline), this one's by default.
 */
export async function startParley(options: {
  mockUrl: string;
  clientKey: string;
  dir: string;
  nodeArgs?: string[];
  entry?: string;
}): Promise<ServerProcess> {
  const [port, adminPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  return spawnServer({
    label: options.entry ? "parley (baseline)" : "parley",
    args: [...(options.nodeArgs ?? []), options.entry ?? script("../src/cli/main.js"), "serve"],
    env: {
      ...cleanEnv(),
      PORT: String(port),
      PARLEY_HOST: "127.0.0.1",
      PARLEY_ADMIN_PORT: String(adminPort),
      PARLEY_ADMIN_HOST: "127.0.0.1",
      PARLEY_DB: join(options.dir, "parley.db"),
      PARLEY_CLIENT_KEYS: options.clientKey,
      PARLEY_OPENAI_BASE_URL: `${options.mockUrl}/v1`,
      PARLEY_OPENAI_API_KEY: "bench-upstream-key",
    },
    logFile: join(options.dir, "parley.log"),
    url,
    readyUrl: `${url}/livez`,
  });
}

/** The load generator process, driven one job at a time. */
export interface LoadGenerator {
  pid: number;
  run<T extends LoadResult>(job: LoadJob, timeoutMs: number): Promise<T>;
}

/** Starts the load generator process. */
export function startLoad(): LoadGenerator {
  const child = track(fork(script("./load.js"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  let nextId = 1;
  return {
    pid: child.pid!,
    run<T extends LoadResult>(job: LoadJob, timeoutMs: number) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => finish(new Error(`load job ${job.kind} took over ${timeoutMs} ms`)),
          timeoutMs,
        );
        const onExit = (code: number | null) => finish(new Error(`load generator exited (${code})`));
        const onMessage = (m: ReplyMessage) => {
          if (m.id !== id) return;
          if (m.ok) finish(undefined, m.result as T);
          else finish(new Error(m.error));
        };
        const finish = (error?: Error, result?: T) => {
          clearTimeout(timer);
          child.off("message", onMessage);
          child.off("exit", onExit);
          if (error) reject(error);
          else resolve(result as T);
        };
        child.on("message", onMessage);
        child.once("exit", onExit);
        child.send({ id, job } satisfies JobMessage);
      });
    },
  };
}
