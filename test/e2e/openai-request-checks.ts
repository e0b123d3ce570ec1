// A strict reading of a Chat Completions request, as a picky OpenAI-compatible server
// would do it: only fields the OpenAI dialect defines, every `tool` message answering a
// call the assistant made before it, and nothing of the Anthropic dialect anywhere.

/** Top-level fields of `ChatCompletionCreateParams`, less `metadata`: Claude Code's
 * `metadata.user_id` is Anthropic's, and OpenAI-compatible servers refuse unknown shapes. */
const REQUEST_FIELDS = new Set([
  "messages",
  "model",
  "audio",
  "frequency_penalty",
  "function_call",
  "functions",
  "logit_bias",
  "logprobs",
  "max_completion_tokens",
  "max_tokens",
  "modalities",
  "n",
  "parallel_tool_calls",
  "prediction",
  "presence_penalty",
  "prompt_cache_key",
  "prompt_cache_retention",
  "reasoning_effort",
  "response_format",
  "safety_identifier",
  "seed",
  "service_tier",
  "stop",
  "store",
  "stream",
  "stream_options",
  "temperature",
  "tool_choice",
  "tools",
  "top_logprobs",
  "top_p",
  "user",
  "verbosity",
  "web_search_options",
]);

/** Fields of each message role (`ChatCompletion*MessageParam`). */
const MESSAGE_FIELDS: Record<string, Set<string>> = {
  system: new Set(["role", "content", "name"]),
  developer: new Set(["role", "content", "name"]),
  user: new Set(["role", "content", "name"]),
  assistant: new Set(["role", "content", "name", "refusal", "tool_calls", "audio", "function_call"]),
  tool: new Set(["role", "content", "tool_call_id"]),
};

/** Content part types each role may carry. */
const PART_TYPES: Record<string, Set<string>> = {
  system: new Set(["text"]),
  developer: new Set(["text"]),
  user: new Set(["text", "image_url", "input_audio", "file"]),
  assistant: new Set(["text", "refusal"]),
  tool: new Set(["text"]),
};

/** Content block types that exist only in Anthropic's Messages API. */
const ANTHROPIC_BLOCK_TYPES = new Set([
  "tool_use",
  "tool_result",
  "thinking",
  "redacted_thinking",
  "server_tool_use",
  "web_search_tool_result",
  "document",
  "search_result",
  "container_upload",
  "ephemeral",
  "adaptive",
  "enabled",
]);

/** Keys that exist only in Anthropic's Messages API. */
const ANTHROPIC_KEYS = new Set([
  "cache_control",
  "thinking",
  "context_management",
  "output_config",
  "input_schema",
  "tool_use_id",
  "stop_sequences",
  "top_k",
  "anthropic_version",
  "system",
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Anthropic keys and block types anywhere in `value`, skipping the JSON Schemas of tool
 * parameters (their property names are the tool author's, not the dialect's).
 */
function anthropicLeaks(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) anthropicLeaks(item, `${path}[${i}]`, out);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (path.endsWith(".function") && key === "parameters") continue;
    if (ANTHROPIC_KEYS.has(key)) out.push(`${path}.${key}: an Anthropic field leaked`);
    if (key === "type" && typeof child === "string" && ANTHROPIC_BLOCK_TYPES.has(child)) {
      out.push(`${path}.type: the Anthropic block type "${child}" leaked`);
    }
    anthropicLeaks(child, `${path}.${key}`, out);
  }
}

function checkContent(role: string, content: unknown, where: string, out: string[]): void {
  if (typeof content === "string" || (content === null && role === "assistant")) return;
  if (!Array.isArray(content)) {
    out.push(`${where}.content: expected a string or an array of parts`);
    return;
  }
  content.forEach((part, i) => {
    const type = isRecord(part) ? part.type : undefined;
    if (typeof type !== "string" || !PART_TYPES[role]?.has(type)) {
      out.push(
        `${where}.content[${i}]: part type ${JSON.stringify(type)} is not allowed in a ${role} message`,
      );
      return;
    }
    const allowed = new Set(["type", type]);
    for (const key of Object.keys(part as object)) {
      if (!allowed.has(key)) out.push(`${where}.content[${i}].${key}: not a field of a ${type} part`);
    }
  });
}

function checkToolCalls(calls: unknown, where: string, out: string[]): string[] {
  if (!Array.isArray(calls) || calls.length === 0) {
    out.push(`${where}.tool_calls: expected a non-empty array`);
    return [];
  }
  const ids: string[] = [];
  calls.forEach((call, i) => {
    const fn = isRecord(call) ? call.function : undefined;
    if (!isRecord(call) || call.type !== "function" || typeof call.id !== "string" || !isRecord(fn)) {
      out.push(`${where}.tool_calls[${i}]: expected {id, type: "function", function}`);
      return;
    }
    if (typeof fn.name !== "string" || typeof fn.arguments !== "string") {
      out.push(`${where}.tool_calls[${i}].function: expected string name and arguments`);
    } else {
      try {
        JSON.parse(fn.arguments);
      } catch {
        out.push(`${where}.tool_calls[${i}].function.arguments: not JSON`);
      }
    }
    ids.push(call.id);
  });
  return ids;
}

/** Checks one message; returns the tool-call ids it opens (assistant) or answers (tool). */
function checkMessage(message: unknown, where: string, out: string[]): { opens: string[]; answers?: string } {
  if (!isRecord(message) || typeof message.role !== "string" || !MESSAGE_FIELDS[message.role]) {
    out.push(`${where}: expected a message with role system, developer, user, assistant or tool`);
    return { opens: [] };
  }
  const role = message.role;
  for (const key of Object.keys(message)) {
    if (!MESSAGE_FIELDS[role]!.has(key)) out.push(`${where}.${key}: not a field of a ${role} message`);
  }
  checkContent(role, message.content, where, out);
  if (role === "assistant" && message.tool_calls !== undefined) {
    return { opens: checkToolCalls(message.tool_calls, where, out) };
  }
  if (role === "tool") {
    if (typeof message.tool_call_id !== "string") out.push(`${where}.tool_call_id: expected a string`);
    return { opens: [], answers: String(message.tool_call_id) };
  }
  return { opens: [] };
}

/** Every tool call must be answered by `tool` messages right after the assistant message. */
function checkConversation(messages: unknown[], out: string[]): void {
  let pending: string[] = [];
  messages.forEach((message, i) => {
    const where = `messages[${i}]`;
    const { opens, answers } = checkMessage(message, where, out);
    if (answers !== undefined) {
      if (!pending.includes(answers)) out.push(`${where}: tool_call_id "${answers}" answers no pending call`);
      pending = pending.filter((id) => id !== answers);
      return;
    }
    if (pending.length > 0) out.push(`${where}: calls ${pending.join(", ")} were never answered`);
    pending = opens;
  });
  if (pending.length > 0) out.push(`calls ${pending.join(", ")} at the end were never answered`);
}

function checkTools(tools: unknown, out: string[]): void {
  if (tools === undefined) return;
  if (!Array.isArray(tools)) {
    out.push("tools: expected an array");
    return;
  }
  tools.forEach((tool, i) => {
    const fn = isRecord(tool) ? tool.function : undefined;
    if (!isRecord(tool) || tool.type !== "function" || !isRecord(fn) || typeof fn.name !== "string") {
      out.push(`tools[${i}]: expected {type: "function", function: {name, parameters}}`);
      return;
    }
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name))
      out.push(`tools[${i}].function.name: "${fn.name}" is invalid`);
    for (const key of Object.keys(fn)) {
      if (!["name", "description", "parameters", "strict"].includes(key)) {
        out.push(`tools[${i}].function.${key}: not a field of a function definition`);
      }
    }
  });
}

/** The problems a strict Chat Completions server would find in `body` (empty when valid). */
export function chatRequestProblems(body: unknown): string[] {
  const out: string[] = [];
  if (!isRecord(body)) return ["the body is not a JSON object"];
  for (const key of Object.keys(body)) {
    if (!REQUEST_FIELDS.has(key)) out.push(`${key}: not a Chat Completions request field`);
  }
  if (typeof body.model !== "string") out.push("model: expected a string");
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    out.push("messages: expected a non-empty array");
  else checkConversation(body.messages, out);
  checkTools(body.tools, out);
  anthropicLeaks(body, "body", out);
  return out;
}
