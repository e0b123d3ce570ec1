// Saves what the real Claude Code sent as a fixture for translator tests, on request only
// (PARLEY_RECORD_CLAUDE_CODE=1), so an ordinary test run never rewrites a tracked file.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { TappedRequest } from "../helpers/recording-tap.js";

/** Where the capture goes. */
export const CAPTURE_PATH = resolve(import.meta.dirname, "../fixtures/anthropic/claude-code-request.json");

/** Whether this run should refresh the capture. */
export const RECORDING = process.env.PARLEY_RECORD_CLAUDE_CODE === "1";

/** Writes the first `limit` requests (method, path, query, headers, body keys and body). */
export function saveCapture(options: { version: string; requests: TappedRequest[]; limit?: number }): void {
  const requests = options.requests.slice(0, options.limit ?? 3).map((r) => {
    let body: unknown = null;
    try {
      body = r.body === "" ? null : JSON.parse(r.body);
    } catch {
      body = r.body;
    }
    const bodyKeys = typeof body === "object" && body !== null ? Object.keys(body) : [];
    return { method: r.method, path: r.path, query: r.query, headers: r.headers, bodyKeys, body };
  });
  const capture = { client: `claude-code ${options.version}`, requests };
  writeFileSync(CAPTURE_PATH, `${JSON.stringify(capture, null, 2)}\n`);
}
