// Token usage as the upstream reported it, read from what goes to the client: a JSON
// body, client-dialect stream events, or raw passthrough chunks. Raw chunks are only
// searched (a native indexOf) and parsed when they carry a usage object, so a stream costs
// nothing per chunk beyond that search.
import type { ClientDialect } from "../core/dialect-errors.js";
import { skipWhitespace, valueEnd } from "./json-spans.js";

type Loose = Record<string, unknown>;

const USAGE_KEY = Buffer.from('"usage"');

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** The input and output tokens of one request. */
export class UsageMeter {
  input: number | undefined;
  output: number | undefined;

  constructor(private readonly dialect: ClientDialect) {}

  /** Reads a usage object in the client's dialect (Anthropic counts cached input as input too). */
  private take(usage: unknown): void {
    if (typeof usage !== "object" || usage === null) return;
    const u = usage as Loose;
    if (this.dialect === "anthropic") {
      const input = num(u.input_tokens) + num(u.cache_creation_input_tokens) + num(u.cache_read_input_tokens);
      // message_delta repeats usage cumulatively; its input fields may be absent.
      if (input > 0 || this.input === undefined) this.input = input;
      if (u.output_tokens !== undefined) this.output = num(u.output_tokens);
    } else if (this.dialect === "responses") {
      if (u.input_tokens !== undefined) this.input = num(u.input_tokens);
      if (u.output_tokens !== undefined) this.output = num(u.output_tokens);
    } else {
      if (u.prompt_tokens !== undefined) this.input = num(u.prompt_tokens);
      if (u.completion_tokens !== undefined) this.output = num(u.completion_tokens);
    }
  }

  /** A whole response body or stream event, parsed. */
  fromPayload(payload: unknown): void {
    if (typeof payload !== "object" || payload === null) return;
    const p = payload as Loose;
    if (p.usage !== undefined && p.usage !== null) this.take(p.usage);
    // Anthropic's message_start carries it in `message`, Responses' response.completed in `response`.
    const inner = (p.message ?? p.response) as Loose | undefined;
    if (inner?.usage) this.take(inner.usage);
  }

  /** A JSON body as text (a demoted stream's accumulated answer): searched as its bytes are. */
  fromJsonText(text: string): void {
    this.fromRawChunk(Buffer.from(text));
  }

  /** A raw SSE chunk of a passthrough stream, or a whole JSON body as bytes. */
  fromRawChunk(chunk: Buffer): void {
    let at = chunk.indexOf(USAGE_KEY);
    while (at !== -1) {
      at += USAGE_KEY.length;
      this.usageIn(chunk, at);
      at = chunk.indexOf(USAGE_KEY, at);
    }
  }

  /** The usage object whose key ends at `from`, found in the bytes and decoded alone, when the chunk holds all of it. */
  private usageIn(chunk: Buffer, from: number): void {
    const colon = skipWhitespace(chunk, from);
    if (chunk[colon] !== 0x3a) return;
    const open = skipWhitespace(chunk, colon + 1);
    if (chunk[open] !== 0x7b) return;
    const end = valueEnd(chunk, open);
    if (end < 0) return;
    try {
      this.take(JSON.parse(chunk.toString("utf8", open, end)));
    } catch {
      // Not a usage object after all; the log simply has no counts.
    }
  }
}
