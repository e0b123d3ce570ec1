// `npm start` with nothing but the quick-start environment serves a request end to end:
// the compiled server seeds its provider, routes the request and answers.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import OpenAI from "openai";
import { afterEach, expect, it } from "vitest";
import { json, type MockUpstream, startMockUpstream } from "../helpers/mock-upstream.js";
import { openaiCompletion } from "../helpers/wire.js";

let child: ChildProcess | undefined;
let upstream: MockUpstream | undefined;
let dir: string | undefined;
afterEach(async () => {
  // npm runs the server as its own child: signal the whole process group, or the server
  // outlives the test and keeps its pipes open.
  if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Resolves with the data-plane URL from the server's "listening" log line. */
function listeningUrl(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.on("line", (line) => {
      try {
        const entry = JSON.parse(line);
        if (entry.msg === "data plane listening") resolve(entry.url);
      } catch {
        // npm's own banner lines are not JSON.
      }
    });
    proc.once("exit", (code) => reject(new Error(`npm start exited with ${code}`)));
  });
}

it("serves a request with only the quick-start env", async () => {
  upstream = await startMockUpstream((_req, res) => json(res, 200, openaiCompletion()));
  dir = mkdtempSync(join(tmpdir(), "parley-start-"));
  child = spawn("npm", ["start", "--silent"], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: "0",
      PARLEY_ADMIN_PORT: "0",
      PARLEY_DB: join(dir, "parley.db"),
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-quick-start",
    },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  const url = await listeningUrl(child);
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "anything", maxRetries: 0 });
  const completion = await client.chat.completions.create({
    model: "gpt-4.1",
    messages: [{ role: "user", content: "hi" }],
  });
  expect(completion.choices[0]!.message.content).toBe("Hello from OpenAI");
  expect(upstream.requests[0]!.json.model).toBe("gpt-4.1");
  expect(upstream.requests[0]!.headers.authorization).toBe("Bearer sk-quick-start");

  // SIGTERM to the group stops npm and the server it started.
  const exited = new Promise((resolve) => child!.once("exit", resolve));
  process.kill(-child.pid!, "SIGTERM");
  await exited;
}, 60_000);
