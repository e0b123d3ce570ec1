// Local token counting for /v1/messages/count_tokens when the provider has no such
// endpoint: a real tokenizer (gpt-tokenizer, o200k_base) over the text the model would
// read. The result is an estimate of what the provider will bill, and says so. Counting
// runs in short slices between which other requests are served, and stops at a deadline,
// so no body up to the size limit holds up the process.

import { setImmediate as nextTurn } from "node:timers/promises";
import { tokenPieces } from "./token-pieces.js";

/** Tokens Anthropic bills for an image of unknown size (about 1.15 megapixels). */
const IMAGE_TOKENS = 1600;
/** Per-message framing tokens. */
const MESSAGE_OVERHEAD = 3;
/** Counting done between two turns of the event loop: short enough that /livez and other requests never notice. */
const SLICE_MS = 5;
/**
 * Wall-clock bound on one count: callers such as Claude Code wait on it, often fifteen at a
 * time. Ordinary text counts at about 7 MB per CPU second, so real requests (a full 200k
 * context is under 1 MB) are counted whole; past the bound (a body near the 32 MiB limit,
 * or text the tokenizer finds slow, like random letters at 0.7 MB/s) the rest is
 * extrapolated at the rate seen so far.
 */
const DEADLINE_MS = 1_000;
/** `<|endoftext|>` and its kin count as the text they are: a prompt may quote them, and the default throws. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** What may cut a count short; the rest of the text is then estimated from the part counted. */
export interface CountOptions {
  /** Aborted when nobody waits for the answer any more (the client hung up). */
  signal?: { readonly aborted: boolean };
  /** Overrides the default deadline (tests). */
  deadlineMs?: number;
}

type Block = Record<string, unknown>;

let tokenizer: Promise<typeof import("gpt-tokenizer")> | undefined;

/** Loads the tokenizer's tables on first use, not at start-up. */
function loadTokenizer(): Promise<typeof import("gpt-tokenizer")> {
  tokenizer ??= import("gpt-tokenizer");
  return tokenizer;
}

function blockText(block: unknown, images: { count: number }): string {
  if (typeof block === "string") return block;
  if (typeof block !== "object" || block === null) return "";
  const b = block as Block;
  switch (b.type) {
    case "text":
      return String(b.text ?? "");
    case "thinking":
      return String(b.thinking ?? "");
    case "tool_use":
      return `${String(b.name ?? "")} ${JSON.stringify(b.input ?? {})}`;
    case "tool_result":
      return contentText(b.content, images);
    case "image":
    case "document":
      images.count++;
      return "";
    default:
      return "";
  }
}

function contentText(content: unknown, images: { count: number }): string {
  if (Array.isArray(content)) return content.map((b) => blockText(b, images)).join("\n");
  return blockText(content, images);
}

/** Counts `text` piece by piece, yielding between slices; past the deadline the rest is extrapolated. */
async function countText(text: string, options: CountOptions): Promise<number> {
  const { countTokens } = await loadTokenizer();
  const deadline = performance.now() + (options.deadlineMs ?? DEADLINE_MS);
  let tokens = 0;
  let counted = 0;
  let sliceEnd = performance.now() + SLICE_MS;
  for (const piece of tokenPieces(text)) {
    tokens += countTokens(piece, PLAIN_TEXT);
    counted += piece.length;
    const now = performance.now();
    if (now < sliceEnd || counted === text.length) continue;
    if (now >= deadline || options.signal?.aborted) {
      return tokens + Math.round(((text.length - counted) * tokens) / counted);
    }
    await nextTurn();
    sliceEnd = performance.now() + SLICE_MS;
  }
  return tokens;
}

/** Counts the input tokens of an Anthropic count_tokens body. */
export async function estimateInputTokens(
  body: Record<string, unknown>,
  options: CountOptions = {},
): Promise<number> {
  const images = { count: 0 };
  const parts: string[] = [contentText(body.system, images)];
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const message of messages) parts.push(contentText((message as Block).content, images));
  if (Array.isArray(body.tools) && body.tools.length > 0) parts.push(JSON.stringify(body.tools));
  // A missing system prompt is no text, not an empty line.
  const text = parts.filter((part) => part !== "").join("\n");
  const textTokens = await countText(text, options);
  return textTokens + messages.length * MESSAGE_OVERHEAD + images.count * IMAGE_TOKENS;
}
