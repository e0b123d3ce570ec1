// Wire payloads in the exact shape the real APIs send, for mock upstreams.

/** An Anthropic Messages response. */
export function anthropicMessage(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5-20250929",
    content: [{ type: "text", text: "Hello from Anthropic" }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 6, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    ...overrides,
  };
}

/** The event payloads of an Anthropic stream that says `text` in two deltas. */
export function anthropicTextEvents(text: string): Array<{ type: string } & Record<string, unknown>> {
  const half = Math.ceil(text.length / 2);
  return [
    {
      type: "message_start",
      message: {
        ...anthropicMessage({ content: [], stop_reason: null }),
        usage: { input_tokens: 12, output_tokens: 1 },
      },
    },
    { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    { type: "ping" },
    { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: text.slice(0, half) } },
    { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: text.slice(half) } },
    { type: "content_block_stop", index: 0 },
    {
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: 6 },
    },
    { type: "message_stop" },
  ];
}

/** An OpenAI chat completion. */
export function openaiCompletion(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
    object: "chat.completion",
    created: 1741569952,
    model: "gpt-4.1-2025-04-14",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "Hello from OpenAI", refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: {
      prompt_tokens: 19,
      completion_tokens: 10,
      total_tokens: 29,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
    service_tier: "default",
    system_fingerprint: null,
    ...overrides,
  };
}

/** The chunks of an OpenAI stream that says `text` in two deltas, with a usage chunk. */
export function openaiTextChunks(text: string): unknown[] {
  const base = {
    id: "chatcmpl-stream1",
    object: "chat.completion.chunk",
    created: 1741569952,
    model: "gpt-4.1",
  };
  const half = Math.ceil(text.length / 2);
  return [
    {
      ...base,
      choices: [{ index: 0, delta: { role: "assistant", content: "", refusal: null }, finish_reason: null }],
    },
    { ...base, choices: [{ index: 0, delta: { content: text.slice(0, half) }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: { content: text.slice(half) }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
    { ...base, choices: [], usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 } },
  ];
}
