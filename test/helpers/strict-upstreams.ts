// Request checks as strict as the real APIs: a mock upstream runs them and answers 400
// with the reason, so a translation that leaks a field or breaks a conversation fails.

const OPENAI_MESSAGE_KEYS: Record<string, string[]> = {
  system: ["role", "content", "name"],
  developer: ["role", "content", "name"],
  user: ["role", "content", "name"],
  assistant: ["role", "content", "name", "tool_calls", "refusal", "reasoning_content", "audio"],
  tool: ["role", "content", "tool_call_id"],
};
const OPENAI_REQUEST_KEYS = new Set([
  "model",
  "messages",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "stop",
  "stream",
  "stream_options",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "user",
  "reasoning_effort",
  "n",
  "response_format",
  "seed",
  "frequency_penalty",
  "presence_penalty",
  "logprobs",
  "top_logprobs",
  "metadata",
  "store",
]);
const OPENAI_PART_TYPES = new Set(["text", "image_url", "input_audio", "file"]);

/** Problems that an OpenAI Chat Completions server would reject; empty when valid. */
export function openaiRequestProblems(body: any): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(body))
    if (!OPENAI_REQUEST_KEYS.has(key)) problems.push(`unknown request field ${key}`);
  if (body.metadata !== undefined) problems.push("metadata needs store:true");
  const text = JSON.stringify(body);
  for (const leak of [
    '"cache_control"',
    '"tool_use"',
    '"tool_result"',
    '"input_schema"',
    '"thinking"',
    '"stop_sequences"',
  ]) {
    if (text.includes(leak)) problems.push(`Anthropic field ${leak} leaked`);
  }
  let open = new Set<string>();
  let afterAssistantCalls = false;
  for (const [i, m] of (body.messages as any[]).entries()) {
    const allowed = OPENAI_MESSAGE_KEYS[m.role];
    if (!allowed) {
      problems.push(`messages[${i}]: unknown role ${m.role}`);
      continue;
    }
    for (const key of Object.keys(m))
      if (!allowed.includes(key)) problems.push(`messages[${i}]: unknown field ${key}`);
    if (Array.isArray(m.content)) {
      for (const part of m.content)
        if (!OPENAI_PART_TYPES.has(part.type)) problems.push(`messages[${i}]: part type ${part.type}`);
    }
    if (m.role === "tool") {
      if (!afterAssistantCalls)
        problems.push(`messages[${i}]: tool message does not follow an assistant tool_calls message`);
      if (!open.delete(m.tool_call_id))
        problems.push(`messages[${i}]: tool_call_id ${m.tool_call_id} answers no open call`);
      continue;
    }
    if (open.size > 0) problems.push(`messages[${i}]: calls ${[...open].join(",")} were never answered`);
    open = new Set();
    afterAssistantCalls = false;
    if (m.role === "assistant" && Array.isArray(m.tool_calls) && m.tool_calls.length > 0) {
      for (const call of m.tool_calls) {
        if (call.type !== "function" || typeof call.function?.arguments !== "string")
          problems.push(`messages[${i}]: bad tool call`);
        open.add(call.id);
      }
      if (m.content === "") problems.push(`messages[${i}]: tool-only assistant turn must have content null`);
      afterAssistantCalls = true;
    }
  }
  for (const tool of body.tools ?? []) {
    if (tool.type !== "function" || !/^[a-zA-Z0-9_-]{1,64}$/.test(tool.function?.name ?? "")) {
      problems.push(`bad tool ${JSON.stringify(tool).slice(0, 80)}`);
    }
  }
  return problems;
}

const ANTHROPIC_BLOCK_TYPES: Record<string, string[]> = {
  user: ["text", "image", "document", "tool_result", "search_result"],
  assistant: ["text", "tool_use", "thinking", "redacted_thinking"],
};

/** Problems that the Anthropic Messages API would reject; empty when valid. */
export function anthropicRequestProblems(body: any): string[] {
  const problems: string[] = [];
  if (typeof body.max_tokens !== "number") problems.push("max_tokens is required");
  for (const key of [
    "tool_calls",
    "n",
    "response_format",
    "stop",
    "max_completion_tokens",
    "stream_options",
    "user",
  ]) {
    if (key in body) problems.push(`OpenAI field ${key} leaked`);
  }
  const messages = body.messages as any[];
  if (messages[0]?.role !== "user") problems.push("the first message must be a user message");
  let previousToolUses = new Set<string>();
  for (const [i, m] of messages.entries()) {
    if (m.role !== "user" && m.role !== "assistant") problems.push(`messages[${i}]: role ${m.role}`);
    if (i > 0 && messages[i - 1].role === m.role) problems.push(`messages[${i}]: roles must alternate`);
    const blocks: any[] = typeof m.content === "string" ? [{ type: "text", text: m.content }] : m.content;
    const answered = new Set<string>();
    let seenOther = false;
    for (const block of blocks) {
      if (!(ANTHROPIC_BLOCK_TYPES[m.role] ?? []).includes(block.type))
        problems.push(`messages[${i}]: block type ${block.type}`);
      if (block.type === "text" && block.text === "") problems.push(`messages[${i}]: empty text block`);
      if (block.type === "tool_result") {
        if (seenOther) problems.push(`messages[${i}]: tool_result blocks must come first`);
        if (!previousToolUses.has(block.tool_use_id))
          problems.push(`messages[${i}]: tool_result ${block.tool_use_id} answers no tool_use`);
        answered.add(block.tool_use_id);
      } else {
        seenOther = true;
      }
      if (
        (block.type === "tool_use" || block.type === "tool_result") &&
        !/^[a-zA-Z0-9_-]+$/.test(block.id ?? block.tool_use_id)
      ) {
        problems.push(`messages[${i}]: bad tool id`);
      }
    }
    if (m.role === "user" && previousToolUses.size > 0) {
      for (const id of previousToolUses)
        if (!answered.has(id)) problems.push(`messages[${i}]: tool_use ${id} not answered`);
    }
    previousToolUses = new Set(
      m.role === "assistant" ? blocks.filter((b) => b.type === "tool_use").map((b) => b.id) : [],
    );
  }
  return problems;
}
