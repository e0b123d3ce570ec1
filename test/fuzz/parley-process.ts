// The compiled server (`node dist/src/cli/main.js serve`) as a child process of its own,
// so a crash is visible as an exit and its memory can be read apart from the test's.
// Its error log lines are kept by request id, to name the exception behind a 500.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** What /livez answers. */
export interface Livez {
  status: string;
  in_flight: number;
  draining: boolean;
}

/** A running server process. */
export interface ParleyProcess {
  url: string;
  pid: number;
  /** How the process ended, if it has. */
  exit(): string | undefined;
  /** Resident set size from /proc/<pid>/status, in bytes, after a full garbage collection. */
  rssBytes(): Promise<number>;
  /** Rejects when no answer comes within `timeoutMs` (default 5 s). */
  livez(timeoutMs?: number): Promise<Livez>;
  /** The exception logged for a request id, as "TypeError: … at file:line". */
  loggedError(requestId: string): string | undefined;
  /** The last lines the process wrote to stderr. */
  stderrTail(): string;
  stop(): Promise<void>;
}

/** The compiled entry point; `npm test` builds it before vitest runs. */
const ENTRY = join(process.cwd(), "dist/src/cli/main.js");

/**
 * Preloaded into the server: a full collection on SIGUSR2, so RSS is read without the
 * garbage of the last few requests (a 32 MiB body not yet collected would swamp a leak).
 */
const GC_ON_SIGNAL = `data:text/javascript,process.on("SIGUSR2",()=>{gc();gc();})`;

/** A port nothing listens on right now (the server is told to use it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** The first stack frame inside the project, relative to it. */
function firstFrame(stack: string): string {
  const frame = stack.split("\n").find((line) => line.includes("/src/") || line.includes("/dist/"));
  return frame ? frame.trim().replace(`file://${process.cwd()}/`, "") : "";
}

/** A server that exited before it listened (its port may have been taken meanwhile). */
class EarlyExitError extends Error {}

/** Starts the server with `env` on free ports and a temp database, and waits for /livez. */
export async function startParleyProcess(env: Record<string, string>): Promise<ParleyProcess> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
  // A free port can be taken by someone else between the probe and the server's listen.
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), "parley-fuzz-"));
    try {
      return await launch(env, dir);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      if (!(error instanceof EarlyExitError) || attempt === 3) throw error;
    }
  }
}

async function launch(env: Record<string, string>, dir: string): Promise<ParleyProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ["--expose-gc", "--import", GC_ON_SIGNAL, ENTRY, "serve"],
    {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        PARLEY_ADMIN_PORT: String(await freePort()),
        PARLEY_DB: join(dir, "parley.db"),
        PARLEY_LOG_LEVEL: "warn",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so stopping it never signals the test runner.
      detached: true,
    },
  );
  let exit: string | undefined;
  // If the test process ends without stop() (a crash, an interrupted run), the server must not outlive it.
  const killOnExit = () => {
    if (!exit) process.kill(-child.pid!, "SIGKILL");
  };
  process.once("exit", killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exit = signal ? `killed by ${signal}` : `exited with code ${code}`;
      process.off("exit", killOnExit);
      resolve();
    }),
  );
  const errors = new Map<string, string>();
  // Every line must be read, or a full pipe would block the server's logger.
  createInterface({ input: child.stdout! }).on("line", (line) => {
    try {
      const entry = JSON.parse(line) as {
        level?: number;
        request_id?: string;
        err?: { type?: string; message?: string; stack?: string };
      };
      if ((entry.level ?? 0) >= 50 && entry.request_id && entry.err) {
        const at = firstFrame(entry.err.stack ?? "");
        // Numbers in messages (positions, sizes) would split one failure class into many.
        const message = (entry.err.message ?? "").replace(/\d+/g, "N");
        errors.set(entry.request_id, `${entry.err.type}: ${message}${at ? ` ${at}` : ""}`);
      }
    } catch {
      // Not a log line.
    }
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });

  const url = `http://127.0.0.1:${port}`;
  const livez = async (timeoutMs = 5_000): Promise<Livez> => {
    const res = await fetch(`${url}/livez`, { signal: AbortSignal.timeout(timeoutMs) });
    return (await res.json()) as Livez;
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exit) throw new EarlyExitError(`the server ${exit} before it listened:\n${stderr}`);
    try {
      await livez();
      // An answer from a server that is not ours, on a port taken meanwhile, does not count.
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (exit) continue;
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        killOnExit();
        throw new Error(`the server did not answer /livez: ${error}\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    url,
    pid: child.pid!,
    exit: () => exit,
    async rssBytes() {
      process.kill(child.pid!, "SIGUSR2");
      // The collection runs on the server's next turn of its event loop.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
      if (kb === undefined) throw new Error("no VmRSS in /proc/<pid>/status");
      return Number(kb) * 1024;
    },
    livez,
    loggedError: (requestId) => errors.get(requestId),
    stderrTail: () => stderr,
    async stop() {
      if (!exit) {
        process.kill(-child.pid!, "SIGTERM");
        // The drain waits for in-flight requests; a stuck one must not hold the suite.
        const killer = setTimeout(() => !exit && process.kill(-child.pid!, "SIGKILL"), 3_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
