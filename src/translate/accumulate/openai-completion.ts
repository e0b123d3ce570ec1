// OpenAI-compatible chat.completion.chunk stream → the chat.completion body the
// non-streaming API returns, for demotion: choices rebuilt by index, usage from the final
// usage chunk, and a failure (never a whole-looking body) when a choice never finished.
import { UpstreamHttpError } from "../../core/errors.js";
import type { AccumulatedBody, StreamAccumulator } from "./accumulator.js";
import { assignPresent, isRecord } from "./json-record.js";
import { ChoiceAccumulator } from "./openai-choice.js";
import { incompleteStream, openaiStreamError } from "./stream-failure.js";

/**
 * Chunk fields the accumulator owns or drops: `object` changes to "chat.completion", and
 * `obfuscation` is OpenAI's stream-only padding. Any other field (system_fingerprint,
 * service_tier, OpenRouter's `provider`) is kept as the last chunk that carried it said it.
 */
const OWNED_FIELDS = new Set([
  "id",
  "created",
  "model",
  "object",
  "choices",
  "usage",
  "error",
  "obfuscation",
]);

/** The fields every chunk repeats that head the body. */
const HEAD_FIELDS = ["id", "created", "model"] as const;

/** Creates the accumulator for one streamed OpenAI-compatible response. */
export function createOpenAICompletionAccumulator(): StreamAccumulator {
  return new OpenAICompletionAccumulator();
}

class OpenAICompletionAccumulator implements StreamAccumulator {
  /** id, created and model: the last value sent (every chunk repeats them). */
  private readonly head: Record<string, unknown> = {};
  private readonly extras: Record<string, unknown> = {};
  private readonly choices = new Map<number, ChoiceAccumulator>();
  private usage: Record<string, unknown> | undefined;
  private failure: UpstreamHttpError | undefined;

  push(input: unknown): void {
    if (this.failure || !isRecord(input)) return;
    if (input.error !== undefined && input.error !== null) {
      this.failure = openaiStreamError(input);
      return;
    }
    for (const key of HEAD_FIELDS) {
      if (input[key] !== undefined && input[key] !== null) this.head[key] = input[key];
    }
    assignPresent(this.extras, input, OWNED_FIELDS);
    // With include_usage every chunk but the last says `usage: null`.
    if (isRecord(input.usage)) this.usage = input.usage;
    if (!Array.isArray(input.choices)) return;
    for (const choice of input.choices) {
      if (!isRecord(choice)) continue;
      const index = typeof choice.index === "number" ? choice.index : 0;
      let accumulator = this.choices.get(index);
      if (!accumulator) {
        accumulator = new ChoiceAccumulator(index);
        this.choices.set(index, accumulator);
      }
      accumulator.add(choice);
    }
  }

  finish(): AccumulatedBody {
    if (this.failure) return { ok: false, error: this.failure };
    const choices = [...this.choices.values()].sort((a, b) => a.index - b.index);
    if (choices.length === 0) return { ok: false, error: incompleteStream("ended before any choice") };
    const open = choices.find((choice) => choice.finishReason === undefined);
    if (open) {
      const which = choices.length > 1 ? ` of choice ${open.index}` : "";
      return { ok: false, error: incompleteStream(`ended before the finish_reason${which}`) };
    }
    // OpenRouter ends a choice with finish_reason "error" when the provider failed mid-answer.
    const errored = choices.find((choice) => choice.finishReason === "error");
    if (errored) {
      return {
        ok: false,
        error: new UpstreamHttpError({ status: 502, message: "the upstream ended its answer with an error" }),
      };
    }
    const body = {
      ...this.head,
      object: "chat.completion",
      choices: choices.map((choice) => choice.result(this.head.id)),
      ...(this.usage ? { usage: this.usage } : {}),
      ...this.extras,
    };
    return { ok: true, body: JSON.stringify(body) };
  }
}
