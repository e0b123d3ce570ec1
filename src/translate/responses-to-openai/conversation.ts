// Responses `instructions` and `input` → Chat Completions `messages`: system and developer
// messages stay where they stand, one turn's assistant items merge into one assistant message,
// and each output becomes a tool message paired by `call_id`.
import type { ChatCompletionMessageFunctionToolCall } from "openai/resources/chat/completions";
import { InvalidRequestError } from "../../core/errors.js";
import { isRecord } from "../accumulate/json-record.js";
import { upstreamToolCallId } from "../anthropic-to-openai/tool-call-id.js";
import { textOf, userContent } from "./content-parts.js";
import type { ResponsesToolNames } from "./tool-names.js";
import { translateToolOutput } from "./tool-output.js";
import type { OpenAIAssistantMessage, OpenAIContentPart, OpenAIMessage } from "./wire.js";

/** What the conversation translation needs besides the input. */
export interface ConversationOptions {
  toolNames: ResponsesToolNames;
  /** Whether reasoning summaries of earlier turns go back as `reasoning_content`. */
  keepReasoning: boolean;
}

/** The upstream messages, and the input item types left out (they have no Chat Completions form). */
export interface TranslatedConversation {
  messages: OpenAIMessage[];
  droppedItems: string[];
}

/** Items that only make sense to OpenAI's servers, or that ran there: left out of the history. */
const PROVIDER_ITEMS = new Set([
  "web_search_call",
  "file_search_call",
  "code_interpreter_call",
  "image_generation_call",
  "computer_call",
  "computer_call_output",
  "compaction",
  "mcp_list_tools",
  "mcp_approval_request",
  "mcp_approval_response",
  "mcp_call",
  "tool_search_call",
  "tool_search_output",
  "local_shell_call",
  "local_shell_call_output",
  "shell_call",
  "shell_call_output",
  "apply_patch_call",
  "apply_patch_call_output",
]);

interface PendingAssistant {
  texts: string[];
  reasoning: string[];
  calls: ChatCompletionMessageFunctionToolCall[];
}

function stringOf(value: unknown, param: string): string {
  if (typeof value !== "string" || value === "") {
    throw new InvalidRequestError({ message: `${param} must be a non-empty string`, param });
  }
  return value;
}

/** Builds the message list item by item; one instance per translation. */
class ConversationBuilder {
  readonly messages: OpenAIMessage[] = [];
  readonly dropped = new Set<string>();
  private assistant: PendingAssistant | undefined;
  private attachments: OpenAIContentPart[] = [];
  private readonly callIds = new Set<string>();

  constructor(private readonly options: ConversationOptions) {}

  add(item: unknown, param: string): void {
    if (!isRecord(item)) {
      throw new InvalidRequestError({ message: `${param} must be an input item object`, param });
    }
    const type = item.type ?? (item.role !== undefined ? "message" : undefined);
    switch (type) {
      case "message":
        this.message(item, param);
        break;
      case "reasoning":
        this.reasoning(item);
        break;
      case "function_call":
        this.call(item, param, typeof item.arguments === "string" ? item.arguments : "");
        break;
      case "custom_tool_call":
        this.call(item, param, JSON.stringify({ input: typeof item.input === "string" ? item.input : "" }));
        break;
      case "function_call_output":
      case "custom_tool_call_output":
        this.output(item, param);
        break;
      case "item_reference":
        throw new InvalidRequestError({
          message: `${param}: item_reference points at items stored by OpenAI, which this provider cannot read; send the items themselves (store: false)`,
          param,
        });
      default:
        if (typeof type === "string" && PROVIDER_ITEMS.has(type)) {
          this.dropped.add(type);
          break;
        }
        throw new InvalidRequestError({
          message: `${param}.type ${JSON.stringify(type)} is not an input item this provider can take`,
          param: `${param}.type`,
        });
    }
  }

  finish(): OpenAIMessage[] {
    this.flush();
    return this.messages;
  }

  system(text: string): void {
    this.flush();
    if (text === "") return;
    // Consecutive system texts (instructions, then Codex's developer messages) become one:
    // many open models' chat templates refuse a system message anywhere but first.
    const last = this.messages.at(-1);
    if (last?.role === "system" && typeof last.content === "string")
      last.content = `${last.content}\n\n${text}`;
    else this.messages.push({ role: "system", content: text });
  }

  user(content: string | OpenAIContentPart[]): void {
    this.flush();
    this.messages.push({ role: "user", content });
  }

  private message(item: Record<string, unknown>, param: string): void {
    const content = `${param}.content`;
    switch (item.role) {
      case "system":
      case "developer":
        // Developer messages count as system (edge 13); not every compatible server knows the role.
        this.system(textOf(item.content, content, "\n\n"));
        return;
      case "user":
        this.user(userContent(item.content, content));
        return;
      case "assistant": {
        const text = textOf(item.content, content, "");
        if (text !== "") this.pending().texts.push(text);
        return;
      }
      default:
        throw new InvalidRequestError({
          message: `${param}.role must be "user", "assistant", "system" or "developer", not ${JSON.stringify(item.role)}`,
          param: `${param}.role`,
        });
    }
  }

  /** Encrypted content belongs to the provider that made it; only summary text may go back (edge 10). */
  private reasoning(item: Record<string, unknown>): void {
    if (!this.options.keepReasoning) return;
    const texts = [item.summary, item.content].flatMap((parts) =>
      Array.isArray(parts)
        ? parts.flatMap((part: unknown) =>
            isRecord(part) && typeof part.text === "string" && part.text !== "" ? [part.text] : [],
          )
        : [],
    );
    if (texts.length > 0) this.pending().reasoning.push(...texts);
  }

  private call(item: Record<string, unknown>, param: string, args: string): void {
    const callId = stringOf(item.call_id, `${param}.call_id`);
    const name = stringOf(item.name, `${param}.name`);
    const namespace =
      typeof item.namespace === "string" && item.namespace !== "" ? item.namespace : undefined;
    this.callIds.add(callId);
    this.pending().calls.push({
      id: upstreamToolCallId(callId),
      type: "function",
      function: {
        name: this.options.toolNames.toUpstream({ name, namespace }),
        arguments: args.trim() === "" ? "{}" : args,
      },
    });
  }

  private output(item: Record<string, unknown>, param: string): void {
    const callId = stringOf(item.call_id, `${param}.call_id`);
    if (!this.callIds.has(callId)) {
      throw new InvalidRequestError({
        message: `${param}: no function_call with call_id ${JSON.stringify(callId)} comes before this output in input; send the call item too (store: false needs the full conversation)`,
        param: `${param}.call_id`,
      });
    }
    this.flushAssistant();
    const translated = translateToolOutput(callId, item.output, param);
    this.messages.push(translated.message);
    this.attachments.push(...translated.attachments);
  }

  private pending(): PendingAssistant {
    this.flushAttachments();
    this.assistant ??= { texts: [], reasoning: [], calls: [] };
    return this.assistant;
  }

  private flush(): void {
    this.flushAssistant();
    this.flushAttachments();
  }

  private flushAttachments(): void {
    if (this.attachments.length === 0) return;
    this.messages.push({ role: "user", content: this.attachments });
    this.attachments = [];
  }

  private flushAssistant(): void {
    const pending = this.assistant;
    this.assistant = undefined;
    // Reasoning alone is no turn: without text or calls after it there is nothing to send.
    if (!pending || (pending.texts.length === 0 && pending.calls.length === 0)) return;
    const text = pending.texts.join("\n\n");
    const message: OpenAIAssistantMessage = {
      role: "assistant",
      // A tool-only turn says `null`, not "" (edge 14).
      content: text === "" && pending.calls.length > 0 ? null : text,
    };
    if (pending.calls.length > 0) message.tool_calls = pending.calls;
    if (pending.reasoning.length > 0) message.reasoning_content = pending.reasoning.join("\n\n");
    this.messages.push(message);
  }
}

/** The Chat Completions messages for a Responses `instructions` and `input`. */
export function translateConversation(
  instructions: unknown,
  input: unknown,
  options: ConversationOptions,
): TranslatedConversation {
  const builder = new ConversationBuilder(options);
  if (instructions !== undefined && instructions !== null) {
    if (typeof instructions !== "string") {
      throw new InvalidRequestError({ message: "instructions must be a string", param: "instructions" });
    }
    builder.system(instructions);
  }
  if (typeof input === "string") builder.user(input);
  else if (Array.isArray(input)) {
    input.forEach((item: unknown, i) => {
      builder.add(item, `input.${i}`);
    });
  } else if (input !== undefined && input !== null) {
    throw new InvalidRequestError({ message: "input must be a string or an array of items", param: "input" });
  }
  const messages = builder.finish();
  if (messages.length === 0) {
    throw new InvalidRequestError({
      message: "input must hold at least one message (or instructions must be set)",
      param: "input",
    });
  }
  return { messages, droppedItems: [...builder.dropped] };
}
