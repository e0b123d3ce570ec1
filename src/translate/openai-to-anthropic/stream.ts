// Anthropic stream events → OpenAI chat.completion.chunk objects, one state machine per
// response. Tool calls are numbered in the order they start (0, 1, 2…) whatever their
// block index, their argument fragments pass through unparsed, and a stream that fails
// or is cut ends with one OpenAI error object instead of silence.
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { type OpenAIErrorBody, openaiErrorBody } from "../../core/dialect-errors.js";
import type { StreamTranslator } from "../types.js";
import {
  type AnthropicUsage,
  completionId,
  completionUsage,
  type FinishReason,
  finishReason,
} from "./completion-fields.js";
import { streamErrorBody } from "./error.js";
import type { OpenAIResponseContext } from "./response.js";

/** A chunk delta, with the non-standard `reasoning_content` for thinking text. */
type Delta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };

/** What the translator emits: a chunk or an error object. */
export type StreamOutput = ChatCompletionChunk | OpenAIErrorBody;

interface ToolCallState {
  /** The OpenAI tool-call index (tool calls only, in order of appearance). */
  index: number;
  /** Whether any argument text has been sent. */
  hasArguments: boolean;
}

/** A loosely typed Anthropic event, what `JSON.parse` of its data gives; both Anthropic streams read it. */
export interface LooseAnthropicEvent {
  type?: unknown;
  index?: unknown;
  message?: { id?: unknown; usage?: AnthropicUsage };
  content_block?: {
    type?: unknown;
    text?: unknown;
    thinking?: unknown;
    id?: unknown;
    name?: unknown;
    input?: unknown;
  };
  delta?: {
    type?: unknown;
    text?: unknown;
    thinking?: unknown;
    partial_json?: unknown;
    stop_reason?: unknown;
  };
  usage?: AnthropicUsage;
  error?: unknown;
}

/** Creates the translator for one streamed response. */
export function createStreamTranslator(ctx: OpenAIResponseContext): StreamTranslator<unknown, StreamOutput> {
  return new MessageStreamToChunks(ctx);
}

class MessageStreamToChunks implements StreamTranslator<unknown, StreamOutput> {
  private id = completionId(undefined);
  private readonly created = Math.floor(Date.now() / 1000);
  private started = false;
  private finishSent = false;
  /** message_stop or an error has been seen: nothing more goes out. */
  private closed = false;
  private usage: AnthropicUsage = {};
  private readonly tools = new Map<number, ToolCallState>();

  constructor(private readonly ctx: OpenAIResponseContext) {}

  push(input: unknown): StreamOutput[] {
    if (this.closed || typeof input !== "object" || input === null) return [];
    const event = input as LooseAnthropicEvent;
    switch (event.type) {
      case "message_start":
        return this.onMessageStart(event);
      case "content_block_start":
        return this.onBlockStart(event);
      case "content_block_delta":
        return this.onBlockDelta(event);
      case "content_block_stop":
        return this.onBlockStop(event);
      case "message_delta":
        return this.onMessageDelta(event);
      case "message_stop":
        return this.onMessageStop();
      case "error":
        this.closed = true;
        return [streamErrorBody(event)];
      default:
        // ping, and event types newer than this translator.
        return [];
    }
  }

  end(): StreamOutput[] {
    if (this.closed) return [];
    this.closed = true;
    return [
      openaiErrorBody(
        502,
        "the upstream stream ended early, before message_stop; the response is incomplete",
      ),
    ];
  }

  private onMessageStart(event: LooseAnthropicEvent): StreamOutput[] {
    if (this.started) return [];
    this.id = completionId(event.message?.id);
    this.usage = { ...event.message?.usage };
    return this.start();
  }

  private onBlockStart(event: LooseAnthropicEvent): StreamOutput[] {
    const block = event.content_block ?? {};
    if (block.type === "text") return this.text("content", block.text);
    if (block.type === "thinking") return this.text("reasoning_content", block.thinking);
    if (block.type !== "tool_use" || typeof event.index !== "number") return [];
    const state: ToolCallState = { index: this.tools.size, hasArguments: false };
    this.tools.set(event.index, state);
    // Anthropic always starts a tool_use block with `input: {}`; anything else is input
    // that will not come again as deltas.
    const input = block.input;
    const preset = typeof input === "object" && input !== null && Object.keys(input).length > 0;
    state.hasArguments = preset;
    const name = typeof block.name === "string" ? block.name : "";
    return [
      ...this.start(),
      this.chunk({
        tool_calls: [
          {
            index: state.index,
            id: typeof block.id === "string" ? block.id : "",
            type: "function",
            function: {
              name: this.ctx.toolNames?.toClient(name) ?? name,
              arguments: preset ? JSON.stringify(input) : "",
            },
          },
        ],
      }),
    ];
  }

  private onBlockDelta(event: LooseAnthropicEvent): StreamOutput[] {
    const delta = event.delta ?? {};
    switch (delta.type) {
      case "text_delta":
        return this.text("content", delta.text);
      case "thinking_delta":
        return this.text("reasoning_content", delta.thinking);
      case "input_json_delta":
        return this.toolArguments(event.index, delta.partial_json);
      default:
        // signature_delta (meaningless to an OpenAI client), citations_delta, newer types.
        return [];
    }
  }

  private onBlockStop(event: LooseAnthropicEvent): StreamOutput[] {
    const state = typeof event.index === "number" ? this.tools.get(event.index) : undefined;
    // A tool call without argument deltas takes no arguments: say `{}` so clients that
    // JSON.parse the arguments do not fail on an empty string.
    if (!state || state.hasArguments) return [];
    return this.toolArguments(event.index, "{}");
  }

  private onMessageDelta(event: LooseAnthropicEvent): StreamOutput[] {
    // message_delta usage is cumulative: its non-null fields replace what came before.
    for (const [key, value] of Object.entries(event.usage ?? {})) {
      if (value !== null && value !== undefined) Object.assign(this.usage, { [key]: value });
    }
    const stopReason = event.delta?.stop_reason;
    if (stopReason === null || stopReason === undefined) return [];
    return this.finish(finishReason(stopReason, this.tools.size > 0));
  }

  private onMessageStop(): StreamOutput[] {
    const out = this.finish(finishReason(undefined, this.tools.size > 0));
    this.closed = true;
    if (this.ctx.includeUsage) out.push({ ...this.base(), choices: [], usage: completionUsage(this.usage) });
    return out;
  }

  private toolArguments(index: unknown, fragment: unknown): StreamOutput[] {
    const state = typeof index === "number" ? this.tools.get(index) : undefined;
    if (!state || typeof fragment !== "string" || fragment === "") return [];
    state.hasArguments = true;
    return [this.chunk({ tool_calls: [{ index: state.index, function: { arguments: fragment } }] })];
  }

  /** A content or reasoning chunk, when there is text to send. */
  private text(key: "content" | "reasoning_content", text: unknown): StreamOutput[] {
    if (typeof text !== "string" || text === "") return [];
    return [...this.start(), this.chunk({ [key]: text })];
  }

  /** The role chunk, once, before anything else (even if message_start never came). */
  private start(): ChatCompletionChunk[] {
    if (this.started) return [];
    this.started = true;
    return [this.chunk({ role: "assistant", content: "" })];
  }

  private finish(reason: FinishReason): StreamOutput[] {
    if (this.finishSent) return [];
    this.finishSent = true;
    return [...this.start(), this.chunk({}, reason)];
  }

  private base(): Omit<ChatCompletionChunk, "choices"> {
    return {
      id: this.id,
      object: "chat.completion.chunk",
      created: this.created,
      model: this.ctx.clientModel,
    };
  }

  private chunk(delta: Delta, reason: FinishReason | null = null): ChatCompletionChunk {
    return {
      ...this.base(),
      choices: [{ index: 0, delta, logprobs: null, finish_reason: reason }],
      // With include_usage, OpenAI sends `usage: null` on every chunk but the last.
      ...(this.ctx.includeUsage ? { usage: null } : {}),
    };
  }
}
