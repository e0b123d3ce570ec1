// One content block of an Anthropic stream being rebuilt: the block as content_block_start
// gave it, filled in by its deltas the way the SDK's MessageStream fills it, except that a
// tool input stays the upstream's own JSON text until the body is written.
import { isRecord } from "./json-record.js";
import { RawJson } from "./raw-json.js";

/** A finished block, or why it cannot be one. */
export type BlockResult = { ok: true; block: Record<string, unknown> } | { ok: false; problem: string };

/** Accumulates the deltas of one content block. */
export class BlockAccumulator {
  private readonly block: Record<string, unknown>;
  /** The input_json_delta fragments so far, joined; never parsed until the block is finished. */
  private json = "";

  constructor(start: Record<string, unknown>) {
    this.block = { ...start };
  }

  /** Applies one delta. A delta this kind of block cannot hold is ignored, as the SDK ignores it. */
  apply(delta: Record<string, unknown>): void {
    const block = this.block;
    switch (delta.type) {
      case "text_delta":
        if (block.type === "text") appendText(block, "text", delta.text);
        break;
      case "citations_delta":
        // A cited text block starts with `citations: []`; an uncited one has no such field.
        if (block.type === "text" && delta.citation !== undefined) {
          block.citations = [...(Array.isArray(block.citations) ? block.citations : []), delta.citation];
        }
        break;
      case "thinking_delta":
        if (block.type === "thinking") appendText(block, "thinking", delta.thinking);
        break;
      case "signature_delta":
        // Replaced, not appended, as the SDK does: the signature is opaque and arrives whole.
        if (block.type === "thinking" && typeof delta.signature === "string")
          block.signature = delta.signature;
        break;
      case "input_json_delta":
        // Every block with an `input` takes it as JSON fragments: tool_use, server_tool_use, mcp_tool_use.
        if ("input" in block && typeof delta.partial_json === "string") this.json += delta.partial_json;
        break;
      default:
        // Delta types newer than this accumulator carry nothing a body could show.
        break;
    }
  }

  /**
   * The finished block. A streamed input must be a JSON object; when the message was cut
   * off by its token limit, an unfinished input becomes `{}` (the stop reason tells the
   * client why), otherwise it makes the whole body fail rather than invent arguments.
   */
  result(options: { truncated: boolean }): BlockResult {
    if (!("input" in this.block)) return { ok: true, block: this.block };
    const text = this.json.trim();
    // No fragments (or only empty ones) means no arguments: the start's `{}` (edge 3).
    if (text === "") return { ok: true, block: { ...this.block, input: objectOr(this.block.input) } };
    if (isJsonObjectText(text)) return { ok: true, block: { ...this.block, input: new RawJson(text) } };
    if (options.truncated) return { ok: true, block: { ...this.block, input: {} } };
    const name = typeof this.block.name === "string" ? ` (${this.block.name})` : "";
    return {
      ok: false,
      problem: `the streamed input of a ${String(this.block.type)} block${name} is not a JSON object`,
    };
  }
}

function appendText(block: Record<string, unknown>, field: string, fragment: unknown): void {
  if (typeof fragment !== "string") return;
  const current = block[field];
  block[field] = (typeof current === "string" ? current : "") + fragment;
}

function objectOr(input: unknown): unknown {
  return isRecord(input) ? input : {};
}

/** Whether text is one JSON object; parsed only to check it, so precision lost here does not matter. */
function isJsonObjectText(text: string): boolean {
  try {
    return isRecord(JSON.parse(text));
  } catch {
    return false;
  }
}
