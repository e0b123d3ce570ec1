// Durability: the compiled server (`node dist/src/cli/main.js serve`) is killed with
// SIGKILL right after a successful write, restarted on the same SQLite file, and the
// write is there.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { clientsFor } from "./admin-harness.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const ENTRY = join(ROOT, "dist/src/cli/main.js");

function newestMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory()
      ? newestMtime(path)
      : entry.name.endsWith(".ts")
        ? statSync(path).mtimeMs
        : 0;
    return Math.max(newest, mtime);
  }, 0);
}

/** Compiles src/ to dist/ when the build is missing or older than the sources. */
function ensureBuilt(): void {
  if (existsSync(ENTRY) && statSync(ENTRY).mtimeMs >= newestMtime(join(ROOT, "src"))) return;
  // `npm run build` also regenerates src/gen (buf generate, clean: true), which would pull
  // the generated code from under test files running in parallel; it is already there.
  const command = existsSync(join(ROOT, "src/gen"))
    ? ["tsc", "-p", "tsconfig.build.json"]
    : ["npm", "run", "build"];
  try {
    execFileSync("npx", command, { cwd: ROOT, stdio: "pipe" });
  } catch (error) {
    // tsc still emits when some other module has a type error; the server run below is the test.
    if (!existsSync(ENTRY)) throw error;
  }
}

interface Served {
  child: ChildProcess;
  adminUrl: string;
  output: string[];
}

function serve(dbPath: string): Promise<Served> {
  const child = spawn(process.execPath, [ENTRY, "serve"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      PORT: "0",
      PARLEY_ADMIN_PORT: "0",
      PARLEY_DB: dbPath,
      PARLEY_LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join("")}`)), 20_000);
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => output.push(chunk));
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      output.push(chunk);
      for (const line of chunk.split("\n")) {
        if (!line.includes("admin API listening")) continue;
        clearTimeout(timer);
        resolvePromise({ child, adminUrl: JSON.parse(line).url, output });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output.join("")}`));
    });
  });
}

function killed(child: ChildProcess): Promise<NodeJS.Signals | null> {
  return new Promise((resolvePromise) => {
    child.on("exit", (_code, signal) => resolvePromise(signal));
    child.kill("SIGKILL");
  });
}

let dir: string;
let running: ChildProcess | undefined;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "parley-persist-"));
}, 120_000);
afterAll(() => {
  running?.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("persistence across SIGKILL", () => {
  it("a write acknowledged just before the process is killed is there after restart", async () => {
    const dbPath = join(dir, "parley.db");
    const first = await serve(dbPath);
    running = first.child;
    const c1 = clientsFor(createConnectTransport({ baseUrl: first.adminUrl, httpVersion: "1.1" }));
    await c1.providers.createProvider({
      provider: {
        id: "durable",
        kind: ProviderKind.ANTHROPIC,
        baseUrl: "https://api.anthropic.com",
        apiKey: "sk-durable-9876",
      },
    });
    await c1.mappings.createModelMapping({
      modelMapping: {
        id: "durable-map",
        alias: "claude-*",
        destination: { case: "target", value: { providerId: "durable" } },
      },
    });
    expect(await killed(first.child)).toBe("SIGKILL");

    const second = await serve(dbPath);
    running = second.child;
    const c2 = clientsFor(createConnectTransport({ baseUrl: second.adminUrl, httpVersion: "1.1" }));
    const { provider } = await c2.providers.getProvider({ id: "durable" });
    expect(provider).toMatchObject({ kind: ProviderKind.ANTHROPIC, apiKeySet: true, apiKeyHint: "9876" });
    const { modelMapping } = await c2.mappings.getModelMapping({ id: "durable-map" });
    expect(modelMapping?.alias).toBe("claude-*");
    await killed(second.child);
    running = undefined;
  });
});
