// The bench's child processes: the mock upstream, the real Parley CLI and the load generator,
// each started from compiled JS, tracked, and killed on every way out of the runner.
import { type ChildProcess, execFileSync, fork, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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

function script(name: string): string {
  return fileURLToPath(new URL(name, import.meta.url));
}

/** Starts the mock upstream process; resolves with its base URL. */
export function startMock(): Promise<{ url: string; pid: number }> {
  const child = track(
    fork(script("./mock-upstream.js"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] }),
  );
  return new Promise((resolve, reject) => {
    child.once("message", (m: { url: string }) => resolve({ url: m.url, pid: child.pid! }));
    child.once("exit", (code) => reject(new Error(`mock upstream exited early (${code})`)));
  });
}

/** A running Parley process. */
export interface ParleyProcess {
  url: string;
  pid: number;
}

/** Starts `parley serve` on fixed free ports with a temp database, quick-started at the mock. */
export async function startParley(mockUrl: string, clientKey: string): Promise<ParleyProcess> {
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-"));
  tempDirs.add(dir);
  const [port, adminPort] = [await freePort(), await freePort()];
  // The caller's own PARLEY_* settings must not change what is measured.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("PARLEY_") && k !== "PORT"),
  );
  const child = track(
    spawn(process.execPath, [script("../src/cli/main.js"), "serve"], {
      env: {
        ...env,
        PORT: String(port),
        PARLEY_HOST: "127.0.0.1",
        PARLEY_ADMIN_PORT: String(adminPort),
        PARLEY_ADMIN_HOST: "127.0.0.1",
        PARLEY_DB: join(dir, "parley.db"),
        PARLEY_LOG_LEVEL: "warn",
        PARLEY_CLIENT_KEYS: clientKey,
        PARLEY_OPENAI_BASE_URL: `${mockUrl}/v1`,
        PARLEY_OPENAI_API_KEY: "bench-upstream-key",
      },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const tail: string[] = [];
  // Keep the last lines of its output for the error message if it fails to start.
  const keep = (chunk: Buffer) => {
    tail.push(...String(chunk).split("\n").filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 20));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`parley exited (${child.exitCode}):\n${tail.join("\n")}`);
    const ok = await fetch(`${url}/livez`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, pid: child.pid! };
    await sleep(100);
  }
  throw new Error(`parley did not answer /livez within 20 s:\n${tail.join("\n")}`);
}

/** The load generator process, driven one job at a time. */
export interface LoadGenerator {
  run<T extends LoadResult>(job: LoadJob, timeoutMs: number): Promise<T>;
}

/** Starts the load generator process. */
export function startLoad(): LoadGenerator {
  const child = track(fork(script("./load.js"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  let nextId = 1;
  return {
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

/** Resident set size of a process in KiB (Linux /proc; `ps` elsewhere). */
export function rssKiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    if (match) return Number(match[1]);
  } catch {
    // not Linux: fall through to ps
  }
  return Number(String(execFileSync("ps", ["-o", "rss=", "-p", String(pid)])).trim());
}
