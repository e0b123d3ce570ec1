// What the upstream model's name tells about the parameters it takes. OpenAI's reasoning
// families (o1/o3/o4, gpt-5) want `max_completion_tokens`, refuse sampling settings and
// take `reasoning_effort`; open reasoning models take `reasoning_effort` too.

/** The model's own name: lower-cased, without a router prefix (`openai/o3` → `o3`). */
function baseName(model: string): string {
  const lower = model.trim().toLowerCase();
  return lower.slice(lower.lastIndexOf("/") + 1);
}

const O_SERIES = /^o\d+(?:-|$)/;
const GPT_5 = /^gpt-5/;
/** `gpt-5-chat-latest` and kin are chat models: no reasoning, sampling allowed. */
const GPT_5_CHAT = /^gpt-5(?:\.\d+)?-chat/;

/** Whether the model is one of OpenAI's own reasoning families. */
export function isOpenAIReasoningModel(model: string): boolean {
  const name = baseName(model);
  return O_SERIES.test(name) || (GPT_5.test(name) && !GPT_5_CHAT.test(name));
}

/** Whether the model is known to accept `reasoning_effort`. */
export function takesReasoningEffort(model: string): boolean {
  const name = baseName(model);
  return (
    isOpenAIReasoningModel(model) ||
    name.startsWith("gpt-oss") ||
    name.includes("reasoner") ||
    name.startsWith("grok-3-mini")
  );
}

/** Whether the model wants `max_completion_tokens` (it rejects `max_tokens`). */
export function wantsMaxCompletionTokens(model: string): boolean {
  const name = baseName(model);
  return O_SERIES.test(name) || GPT_5.test(name);
}

/**
 * Whether an assistant message may carry `reasoning_content`. OpenAI's own models never
 * produce it and validate message fields, so a thinking text carried over from another
 * provider is left out for them; everyone else (DeepSeek, vLLM, Kimi…) gets it back.
 */
export function acceptsReasoningContent(model: string): boolean {
  const name = baseName(model);
  if (name.startsWith("gpt-oss")) return true;
  return !(O_SERIES.test(name) || name.startsWith("gpt-") || name.startsWith("chatgpt-"));
}

/**
 * The largest completion OpenAI's own models accept. Claude Code asks for 32,000-64,000
 * tokens and OpenAI answers 400 above a model's cap, so without a per-mapping limit the
 * request is clamped to the known cap instead. Unknown models are sent what was asked.
 */
const KNOWN_OUTPUT_LIMITS: Array<[RegExp, number]> = [
  [/^gpt-4o-mini/, 16_384],
  [/^gpt-4o/, 16_384],
  [/^gpt-4\.1/, 32_768],
  [/^gpt-4-turbo/, 4_096],
  [/^gpt-4(?:-\d|$)/, 8_192],
  [/^gpt-3\.5/, 4_096],
  [/^gpt-5(?:\.\d+)?-chat/, 16_384],
  [/^gpt-5/, 128_000],
  [/^o1-mini/, 65_536],
  [/^o\d+(?:-|$)/, 100_000],
];

/** The output-token cap of a known OpenAI model, or undefined. */
export function knownOutputLimit(model: string): number | undefined {
  const name = baseName(model);
  return KNOWN_OUTPUT_LIMITS.find(([pattern]) => pattern.test(name))?.[1];
}
