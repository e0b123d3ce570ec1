// The real server as a child process of its own (`parley serve` from the sources, through tsx),
// so its resident memory can be read apart from the test's clients and mocks. A full garbage
// collection runs on SIGUSR2 before each reading, so a reading is live memory, not garbage.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const ENTRY = join(ROOT, "src/cli/main.ts");
const GC_ON_SIGNAL = `data:text/javascript,process.on("SIGUSR2",()=>{gc();gc();})`;

/** A running server process. */
export interface ParleyChild {
  url: string;
  adminUrl: string;
  pid: number;
  /** Resident set size after a full collection, in bytes (from /proc/<pid>/status). */
  rssBytes(): Promise<number>;
  /** How many log lines carried each message ("request", "forward failed"...). */
  messages: Map<string, number>;
  /** Log lines at error level and above (a handler that threw, an unexpected error), parsed. */
  errors: Array<Record<string, unknown>>;
  /** SIGTERM, then SIGKILL if the drain takes longer than 5 s; removes its database. */
  stop(): Promise<void>;
}

/** Starts `parley serve` with `env` (ephemeral ports, a temp database) and waits until it listens. */
export async function startParleyChild(env: Record<string, string>): Promise<ParleyChild> {
  const dir = mkdtempSync(join(tmpdir(), "parley-soak-"));
  const child: ChildProcess = spawn(
    process.execPath,
    ["--expose-gc", "--import", "tsx", "--import", GC_ON_SIGNAL, ENTRY, "serve"],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: "0",
        PARLEY_ADMIN_PORT: "0",
        PARLEY_DB: join(dir, "parley.db"),
        PARLEY_LOG_LEVEL: "info",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4_000);
  });
  const errors: Array<Record<string, unknown>> = [];
  const messages = new Map<string, number>();
  // Every line is read: a full pipe would block the server's logger.
  const lines = createInterface({ input: child.stdout! });
  let adminUrl = "";
  let dataPlaneUrl = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${stderr}`)), 30_000);
    child.once("exit", (code) => reject(new Error(`the server exited with ${code}:\n${stderr}`)));
    lines.on("line", (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return; // not a log line
      }
      const msg = String(entry.msg);
      messages.set(msg, (messages.get(msg) ?? 0) + 1);
      // The admin listener comes up after the data plane, and is logged after it.
      if (entry.msg === "data plane listening" && typeof entry.url === "string") dataPlaneUrl = entry.url;
      if (entry.msg === "admin API listening" && typeof entry.url === "string") {
        adminUrl = entry.url;
        clearTimeout(timer);
        resolve(dataPlaneUrl);
      }
      if (typeof entry.level === "number" && entry.level >= 50 && errors.length < 100) errors.push(entry);
    });
  });
  return {
    url,
    adminUrl,
    pid: child.pid!,
    errors,
    messages,
    async rssBytes() {
      child.kill("SIGUSR2");
      // The collection runs on the server's next turn of its event loop.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1];
      if (kb === undefined) throw new Error("no VmRSS in /proc/<pid>/status");
      return Number(kb) * 1024;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(killer);
      }
      process.off("exit", killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
