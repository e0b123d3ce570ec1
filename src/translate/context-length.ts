// Context-length errors across dialects: recognised from the wordings providers really use,
// then reworded for the client. Claude Code acts on two Anthropic wordings — it compacts the
// conversation on `prompt is too long: M tokens > N maximum` and lowers max_tokens on
// `input length and \`max_tokens\` exceed context limit: I + O > N` — so an Anthropic client
// gets exactly those, while an OpenAI client keeps the upstream's text under OpenAI's code.

/** What a context-length error said about the request's size. */
export type ContextOverflow =
  /** The prompt (with the completion asked for, where the upstream counts both) is over the window. */
  | { kind: "prompt"; tokens?: number; limit?: number }
  /** The prompt fits; the prompt plus the max_tokens asked for does not. */
  | { kind: "max_tokens"; inputTokens: number; maxTokens: number; limit: number };

interface Wording {
  pattern: RegExp;
  /** Builds the overflow from the pattern's numbered groups, read as numbers. */
  read(count: (group: number) => number): ContextOverflow;
}

/**
 * Known wordings, most specific first; each is searched anywhere in the message, since
 * gateways wrap them (OpenRouter quotes the provider's answer after its own).
 */
const WORDINGS: Wording[] = [
  // vLLM, when the prompt fits but max_tokens does not:
  // "'max_tokens' or 'max_completion_tokens' is too large: 8000. This model's maximum context
  // length is 32768 tokens and your request has 30000 input tokens (8000 > 32768 - 30000)."
  {
    pattern:
      /is too large: (\d+)\. This model's maximum context length is (\d+) tokens and your request has (\d+) input tokens/i,
    read: (n) => ({ kind: "max_tokens", inputTokens: n(3), maxTokens: n(1), limit: n(2) }),
  },
  // Anthropic (also relayed by OpenAI-compatible gateways in front of Claude).
  {
    pattern: /input length and `?max_tokens`? exceed context limit: (\d+) \+ (\d+) > (\d+)/i,
    read: (n) => ({ kind: "max_tokens", inputTokens: n(1), maxTokens: n(2), limit: n(3) }),
  },
  // Anthropic, matched with the very pattern Claude Code uses.
  {
    pattern: /prompt is too long[^0-9]*(\d+)\s*tokens?\s*>\s*(\d+)/i,
    read: (n) => ({ kind: "prompt", tokens: n(1), limit: n(2) }),
  },
  // vLLM: "... However, you requested 598 output tokens and your prompt contains at least
  // 48000 input tokens, for a total of at least 48598 tokens."
  {
    pattern: /maximum context length is (\d+) tokens\b.*?for a total of (?:at least )?(\d+) tokens/is,
    read: (n) => ({ kind: "prompt", tokens: n(2), limit: n(1) }),
  },
  // OpenAI ("your messages resulted in M tokens"), older OpenAI ("however you requested M
  // tokens (A in your prompt; B for the completion)"), vLLM and DeepSeek ("you requested M
  // tokens (A in the messages, B in the completion)"), newer vLLM ("your request has M input
  // tokens"), OpenRouter ("This endpoint's … you requested about M tokens"). Where the
  // upstream gives a total and its parts, the total is taken: it is what exceeds the window,
  // so Claude Code's compaction by (total − maximum) makes the same request fit, while the
  // prompt part alone can be under the maximum and leave it nothing to act on.
  {
    pattern:
      /maximum context length is (\d+) tokens[.,]?\s*however,?\s*(?:your messages resulted in|your request has|you requested(?: about)?)\s*(\d+)\s*(?:input )?tokens/i,
    read: (n) => ({ kind: "prompt", tokens: n(2), limit: n(1) }),
  },
  // Google's OpenAI-compatible endpoint.
  {
    pattern: /input token count \(?(\d+)\)? exceeds the maximum number of tokens allowed \(?(\d+)\)?/i,
    read: (n) => ({ kind: "prompt", tokens: n(1), limit: n(2) }),
  },
  // xAI.
  {
    pattern: /maximum prompt length is (\d+) but the request contains (\d+) tokens/i,
    read: (n) => ({ kind: "prompt", tokens: n(2), limit: n(1) }),
  },
  // llama.cpp's server.
  {
    pattern: /request \((\d+) tokens\) exceeds the available context size \((\d+) tokens\)/i,
    read: (n) => ({ kind: "prompt", tokens: n(1), limit: n(2) }),
  },
  // Only the maximum is known.
  {
    pattern: /(?:maximum context length is|maximum number of tokens allowed) \(?(\d+)\)?/i,
    read: (n) => ({ kind: "prompt", limit: n(1) }),
  },
];

/** Wordings with no counts at all: OpenAI's "Your input exceeds the context window of this model", Bedrock's. */
const COUNTLESS =
  /exceeds the context window|context length exceeded|input is too long for requested model|prompt is too long|exceeds the maximum number of tokens allowed/i;

/** Error codes and types that mean a context overflow whatever the message says. */
const CONTEXT_CODES = new Set(["context_length_exceeded", "exceed_context_size_error"]);

/** Statuses a context overflow comes with; a 429 or a 5xx that mentions a context is something else. */
const CONTEXT_STATUSES = new Set([400, 413, 422]);

/** The context overflow an upstream error answer describes, or undefined for any other error. */
export function readContextOverflow(answer: {
  status: number;
  message: string;
  codes?: readonly string[];
}): ContextOverflow | undefined {
  if (!CONTEXT_STATUSES.has(answer.status)) return undefined;
  for (const wording of WORDINGS) {
    const match = wording.pattern.exec(answer.message);
    if (match) return wording.read((group) => Number(match[group]));
  }
  const coded = answer.codes?.some((code) => CONTEXT_CODES.has(code)) ?? false;
  return coded || COUNTLESS.test(answer.message) ? { kind: "prompt" } : undefined;
}

/** What the user can do about a prompt over the window. */
const ADVICE = "trim the conversation history or use a model with a larger context window";

/** What a translated context-length message is built from. */
export interface ContextMessageParts {
  /** The upstream's own message, kept after the client's wording. */
  upstreamMessage: string;
  /** The model the upstream was asked for, when known. */
  model?: string | undefined;
}

function promptTooLong({ tokens, limit }: { tokens?: number; limit?: number }): string {
  if (tokens !== undefined && limit !== undefined && tokens > limit) {
    return `prompt is too long: ${tokens} tokens > ${limit} maximum`;
  }
  // Claude Code reads the overflow as (first count − second count). With fewer than two
  // counts it still recognises "prompt is too long" and compacts, only without knowing by
  // how much; no count is guessed, since a wrong one would size that compaction wrongly.
  if (limit !== undefined) return `prompt is too long for the ${limit}-token context window`;
  return "prompt is too long";
}

/** The message for an Anthropic client: Anthropic's wording first, then the model, advice and the upstream's text. */
export function anthropicContextMessage(overflow: ContextOverflow, parts: ContextMessageParts): string {
  const model = parts.model ? ` (model ${parts.model})` : "";
  const wording =
    overflow.kind === "max_tokens"
      ? `input length and \`max_tokens\` exceed context limit: ${overflow.inputTokens} + ${overflow.maxTokens} > ${overflow.limit}, decrease input length or \`max_tokens\` and try again`
      : promptTooLong(overflow);
  const head = overflow.kind === "max_tokens" ? `${wording}${model}` : `${wording}${model}: ${ADVICE}`;
  // A gateway relaying Anthropic already said exactly this; saying it twice adds nothing.
  if (parts.upstreamMessage.trim().toLowerCase() === wording.toLowerCase()) return head;
  return `${head}. The upstream said: ${parts.upstreamMessage}`;
}

/** The message for an OpenAI client: the upstream's text (its counts included), then the model and advice. */
export function openaiContextMessage(overflow: ContextOverflow, parts: ContextMessageParts): string {
  const model = parts.model ? ` (model ${parts.model})` : "";
  const text = parts.upstreamMessage.replace(/[\s.]+$/, "");
  // Anthropic's max_tokens wording already says what to change.
  return overflow.kind === "max_tokens" ? `${text}${model}` : `${text}${model}: ${ADVICE}`;
}
