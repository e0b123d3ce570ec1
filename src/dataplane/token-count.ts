// Local token counting for /v1/messages/count_tokens when the provider has no such
// endpoint: a real tokenizer (gpt-tokenizer, o200k_base) over the text the model would
// read. The result is an estimate of what the provider will bill, and says so.

/** Tokens Anthropic bills for an image of unknown size (about 1.15 megapixels). */
const IMAGE_TOKENS = 1600;
/** Per-message framing tokens. */
const MESSAGE_OVERHEAD = 3;

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

/** Counts the input tokens of an Anthropic count_tokens body. */
export async function estimateInputTokens(body: Record<string, unknown>): Promise<number> {
  const { countTokens } = await loadTokenizer();
  const images = { count: 0 };
  const parts: string[] = [contentText(body.system, images)];
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const message of messages) parts.push(contentText((message as Block).content, images));
  if (Array.isArray(body.tools) && body.tools.length > 0) parts.push(JSON.stringify(body.tools));
  return countTokens(parts.join("\n")) + messages.length * MESSAGE_OVERHEAD + images.count * IMAGE_TOKENS;
}
