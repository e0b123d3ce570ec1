// Saves what the real Codex CLI sent as a fixture for translator tests, on request only
// (PARLEY_RECORD_CODEX=1), so an ordinary test run never rewrites a tracked file. The
// developer prompts are trimmed (about 20 KB that no translator reads); the rest is exact.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { TappedRequest } from "../helpers/recording-tap.js";

/** Whether this run should refresh the captures. */
export const RECORDING = process.env.PARLEY_RECORD_CODEX === "1";

/** Prompt texts longer than this keep only their opening. */
const KEPT_PROMPT_CHARS = 400;

/** Where the capture of a model's tool set goes: Codex picks its tools by model. */
export function capturePath(model: string): string {
  return resolve(import.meta.dirname, `../fixtures/responses/codex-tool-loop-${model}.json`);
}

function trimmed(text: string): string {
  if (text.length <= KEPT_PROMPT_CHARS) return text;
  return `${text.slice(0, KEPT_PROMPT_CHARS)}[… ${text.length - KEPT_PROMPT_CHARS} characters trimmed]`;
}

/** The body with each developer message's text parts trimmed. */
function trimPrompts(body: { input?: Array<{ role?: string; content?: unknown }> }): unknown {
  const input = body.input?.map((item) => {
    if (item.role !== "developer" || !Array.isArray(item.content)) return item;
    const content = item.content.map((part: { text?: unknown }) =>
      typeof part.text === "string" ? { ...part, text: trimmed(part.text) } : part,
    );
    return { ...item, content };
  });
  return { ...body, input };
}

/** Writes the request that answers the tool call (it holds the first turn's input too). */
export function saveCodexCapture(options: {
  version: string;
  model: string;
  requests: TappedRequest[];
}): void {
  const last = options.requests.at(-1);
  if (!last) throw new Error("no Codex request to capture");
  const { host: _host, "content-length": _length, ...headers } = last.headers;
  const capture = {
    client: `codex ${options.version}`,
    method: last.method,
    path: last.path,
    headers,
    body: trimPrompts(JSON.parse(last.body)),
  };
  writeFileSync(capturePath(options.model), `${JSON.stringify(capture, null, 2)}\n`);
}
