// The compiled `parley serve` as a child process of its own, for tests that signal it: its
// log lines parsed as they come, its stderr, and when and how it exited.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** The compiled entry point; build with `npm run build` before these tests run. */
const ENTRY = join(process.cwd(), "dist/src/cli/main.js");

/** How a process ended, and when (ms since the epoch). */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/** A running `parley serve`. */
export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** Every JSON line written to stdout so far, with when it was read. */
  logs: Array<Record<string, any> & { readAt: number }>;
  stderr(): string;
  /** Resolves once the process has exited. */
  exited: Promise<Exit>;
  /** Signals the process (or, with `group`, its whole process group). */
  signal(signal: NodeJS.Signals, options?: { group?: boolean }): number;
  /** Kills whatever is left and removes the temp directory. */
  dispose(): Promise<void>;
}

/** How to start the server: `node … serve` by default, or through `npm start`. */
export interface ServeOptions {
  env: Record<string, string>;
  viaNpm?: boolean;
}

/** Starts the server on ports the kernel picks and a temp database; resolves once it listens. */
export async function startServeProcess(options: ServeOptions): Promise<ServeProcess> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
  const dir = mkdtempSync(join(tmpdir(), "parley-drain-"));
  // bash runs a one-command script by exec, so Parley is npm's own child and gets npm's
  // forwarded signals; dash (Debian's sh) stays in between and swallows them.
  const [command, args] = options.viaNpm
    ? ["npm", ["start", "--silent", "--script-shell", "bash"]]
    : [process.execPath, [ENTRY, "serve"]];
  const child = spawn(command, args, {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: "0",
      PARLEY_ADMIN_PORT: "0",
      PARLEY_DB: join(dir, "parley.db"),
      PARLEY_LOG_LEVEL: "info",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a group signal never reaches the test runner.
    detached: true,
  });
  const exited = new Promise<Exit>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const logs: ServeProcess["logs"] = [];
  // Every line must be read, or a full pipe would block the server's logger.
  createInterface({ input: child.stdout! }).on("line", (line) => {
    try {
      logs.push({ ...JSON.parse(line), readAt: Date.now() });
    } catch {
      // npm's banner lines are not JSON.
    }
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const dispose = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const listening = logs.find((entry) => entry.msg === "data plane listening");
      if (listening) {
        clearInterval(timer);
        resolve(listening.url);
      }
    }, 20);
    void exited.then((exit) => {
      clearInterval(timer);
      reject(
        new Error(`parley serve exited with ${exit.code ?? exit.signal} before it listened:\n${stderr}`),
      );
    });
  }).catch(async (error) => {
    await dispose();
    throw error;
  });
  return {
    url,
    child,
    logs,
    stderr: () => stderr,
    exited,
    signal(signal, { group = false } = {}) {
      process.kill(group ? -child.pid! : child.pid!, signal);
      return Date.now();
    },
    dispose,
  };
}
