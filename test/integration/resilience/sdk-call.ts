// One request through Parley with the official SDK of the client's dialect, summed up as what a
// user of that SDK sees: the completed text or the error the SDK raised (class, status, type,
// message), the response headers, each stream event in order, and how long it all took.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import type { Dialect } from "../../../src/core/dialect-errors.js";

/** Longer than any bound a resilience test asserts: past it the call counts as hung. */
const WATCHDOG_MS = 15_000;

/** What the SDK raised. */
export interface SdkError {
  /** The SDK's error class: `InternalServerError`, `RateLimitError`, `APIError`… */
  name: string;
  /** Unset for an error event inside a stream (the HTTP status was 200). */
  status: number | undefined;
  /** The error type from the body (`overloaded_error`, `server_error`…). */
  type: string | null | undefined;
  /** OpenAI's `code` (`context_length_exceeded`); unset for Anthropic clients. */
  code: string | null | undefined;
  message: string;
  /** The error JSON as the SDK parsed it. */
  body: unknown;
}

/** What one call through an SDK came to. */
export interface SdkOutcome {
  /** The response's status; a stream that failed after it began is still a 200. */
  status: number | undefined;
  headers: Headers | undefined;
  /** The answer's text when the SDK completed without an error. */
  text: string | undefined;
  error: SdkError | undefined;
  /** Anthropic: event types; OpenAI: `role`, `content`, `finish:<reason>`, `usage` per chunk. */
  events: string[];
  /** True when the watchdog had to stop a call that neither completed nor failed. */
  hung: boolean;
  ms: number;
}

/** How to make the call. */
export interface SdkCallOptions {
  /** The Parley data-plane URL. */
  baseUrl: string;
  dialect: Dialect;
  stream: boolean;
  /** Aborts the call (a client that hangs up). */
  signal?: AbortSignal;
  model?: string;
}

function sdkError(error: unknown): SdkError {
  const e = error as {
    status?: number;
    type?: string | null;
    code?: string | null;
    error?: unknown;
    message?: string;
  };
  return {
    name: (error as object)?.constructor?.name ?? typeof error,
    status: e.status,
    type: e.type,
    code: e.code,
    message: e.message ?? String(error),
    body: e.error,
  };
}

/** One client per Parley URL, as an application keeps one (the soak makes thousands of calls). */
const clients = new Map<string, Anthropic | OpenAI>();

function anthropicClient(baseUrl: string): Anthropic {
  const key = `anthropic ${baseUrl}`;
  const known = clients.get(key);
  if (known instanceof Anthropic) return known;
  // The SDK retries 5xx and 429 itself by default; Parley's retries are what is under test.
  const client = new Anthropic({ baseURL: baseUrl, apiKey: "client-key", maxRetries: 0 });
  clients.set(key, client);
  return client;
}

function openaiClient(baseUrl: string): OpenAI {
  const key = `openai ${baseUrl}`;
  const known = clients.get(key);
  if (known instanceof OpenAI) return known;
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: "client-key", maxRetries: 0 });
  clients.set(key, client);
  return client;
}

type Seen = Omit<SdkOutcome, "ms" | "hung" | "error">;

async function callAnthropic(options: SdkCallOptions, signal: AbortSignal, seen: Seen): Promise<void> {
  const params = {
    model: options.model ?? "claude-sonnet-4-5",
    max_tokens: 64,
    messages: [{ role: "user" as const, content: "hi" }],
  };
  const client = anthropicClient(options.baseUrl);
  if (!options.stream) {
    const { data, response } = await client.messages.create(params, { signal }).withResponse();
    seen.status = response.status;
    seen.headers = response.headers;
    seen.text = data.content.map((block) => (block.type === "text" ? block.text : "")).join("");
    return;
  }
  const { data, response } = await client.messages
    .create({ ...params, stream: true }, { signal })
    .withResponse();
  seen.status = response.status;
  seen.headers = response.headers;
  let text = "";
  for await (const event of data) {
    seen.events.push(event.type);
    if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
  }
  seen.text = text;
}

async function callOpenAI(options: SdkCallOptions, signal: AbortSignal, seen: Seen): Promise<void> {
  const params = { model: options.model ?? "gpt-4.1", messages: [{ role: "user" as const, content: "hi" }] };
  const client = openaiClient(options.baseUrl);
  if (!options.stream) {
    const { data, response } = await client.chat.completions.create(params, { signal }).withResponse();
    seen.status = response.status;
    seen.headers = response.headers;
    seen.text = data.choices[0]?.message.content ?? "";
    return;
  }
  const { data, response } = await client.chat.completions
    .create({ ...params, stream: true }, { signal })
    .withResponse();
  seen.status = response.status;
  seen.headers = response.headers;
  let text = "";
  for await (const chunk of data) {
    const choice = chunk.choices[0];
    if (choice?.delta.role) seen.events.push("role");
    if (choice?.delta.content) seen.events.push("content");
    if (choice?.finish_reason) seen.events.push(`finish:${choice.finish_reason}`);
    if (chunk.usage) seen.events.push("usage");
    text += choice?.delta.content ?? "";
  }
  seen.text = text;
}

/** Makes one call and reports what the SDK gave back or raised; never throws, never hangs. */
export async function sdkCall(options: SdkCallOptions): Promise<SdkOutcome> {
  const watchdog = AbortSignal.timeout(WATCHDOG_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, watchdog]) : watchdog;
  const started = performance.now();
  const seen: Seen = { status: undefined, headers: undefined, text: undefined, events: [] };
  let error: SdkError | undefined;
  try {
    await (options.dialect === "anthropic" ? callAnthropic : callOpenAI)(options, signal, seen);
  } catch (thrown) {
    error = sdkError(thrown);
    // A call that failed before any response still carries the headers of its error answer.
    const headers = (thrown as { headers?: Headers }).headers;
    if (seen.headers === undefined && headers instanceof Headers) seen.headers = headers;
    seen.status ??= (thrown as { status?: number }).status;
    seen.text = undefined;
  }
  return { ...seen, error, hung: watchdog.aborted, ms: performance.now() - started };
}

/** The x-parley-* headers of an outcome, for one readable assertion. */
export function parleyHeaders(outcome: { headers: Headers | undefined }): Record<string, string | null> {
  const h = outcome.headers;
  return {
    provider: h?.get("x-parley-provider") ?? null,
    attempts: h?.get("x-parley-attempts") ?? null,
    exhausted: h?.get("x-parley-fallback-exhausted") ?? null,
  };
}
