// One request through Parley with plain fetch, keeping the bytes as they arrived and when: what
// the SDKs hide (when the status line came, pings, the exact framing of an error event, the
// `data: [DONE]` trailer) is what the commit point and the stream-failure contract are about.
import type { Dialect } from "../../../src/core/dialect-errors.js";

/** What arrived, with times in ms since the request was sent. */
export interface WireOutcome {
  status: number | undefined;
  headers: Headers | undefined;
  /** When the status line and headers arrived. */
  headersAt: number | undefined;
  chunks: Array<{ at: number; text: string }>;
  text: string;
  /** How reading ended when it did not end cleanly (`TimeoutError`, `UND_ERR_SOCKET`...). */
  error: string | undefined;
  ms: number;
}

const PATHS: Record<Dialect, string> = { anthropic: "/v1/messages", openai: "/v1/chat/completions" };

/** The body an SDK of the dialect would send. */
export function requestBody(dialect: Dialect, stream: boolean): Record<string, unknown> {
  const messages = [{ role: "user", content: "hi" }];
  return dialect === "anthropic"
    ? { model: "claude-sonnet-4-5", max_tokens: 64, messages, stream }
    : { model: "gpt-4.1", messages, stream };
}

/** POSTs a model request and reads the answer to its end, or until `timeoutMs` (default 10 s). */
export async function wireCall(options: {
  baseUrl: string;
  dialect: Dialect;
  stream: boolean;
  timeoutMs?: number;
}): Promise<WireOutcome> {
  const started = performance.now();
  const seen: WireOutcome = {
    status: undefined,
    headers: undefined,
    headersAt: undefined,
    chunks: [],
    text: "",
    error: undefined,
    ms: 0,
  };
  try {
    const res = await fetch(`${options.baseUrl}${PATHS[options.dialect]}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": "client-key",
        ...(options.dialect === "anthropic" ? { "anthropic-version": "2023-06-01" } : {}),
      },
      body: JSON.stringify(requestBody(options.dialect, options.stream)),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    seen.status = res.status;
    seen.headers = res.headers;
    seen.headersAt = performance.now() - started;
    const decoder = new TextDecoder();
    for await (const chunk of res.body ?? []) {
      const text = decoder.decode(chunk, { stream: true });
      seen.chunks.push({ at: performance.now() - started, text });
      seen.text += text;
    }
  } catch (error) {
    const e = error as { name?: string; cause?: { code?: string } };
    seen.error = e.cause?.code ?? e.name ?? String(error);
  }
  seen.ms = performance.now() - started;
  return seen;
}

/** The `event:` names of an Anthropic stream, or the kinds of an OpenAI stream's lines, in order. */
export function wireEvents(dialect: Dialect, text: string): string[] {
  if (dialect === "anthropic") return [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1] ?? "");
  return [...text.matchAll(/^(: ?\w+|data: .*)$/gm)].map((m) => {
    const line = m[1] ?? "";
    if (line.startsWith(":")) return "comment";
    if (line === "data: [DONE]") return "[DONE]";
    if (line.includes('"error"')) return "error";
    if (line.includes('"role"')) return "role";
    if (line.includes('"content":"') && !line.includes('"content":""')) return "content";
    return "chunk";
  });
}
