import { describe, expect, it } from "vitest";
import {
  anthropicContextMessage,
  type ContextOverflow,
  openaiContextMessage,
  readContextOverflow,
} from "../../../src/translate/context-length.js";
import {
  CLAUDE_CODE_MAX_TOKENS_OVERFLOW,
  CLAUDE_CODE_PROMPT_TOO_LONG,
  claudeCodeCounts,
  claudeCodeSeesPromptTooLong,
} from "../../helpers/claude-code-patterns.js";

describe("recognising a context overflow", () => {
  it.each<{ who: string; message: string; overflow: ContextOverflow }>([
    {
      who: "OpenAI",
      message:
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.",
      overflow: { kind: "prompt", tokens: 130532, limit: 128000 },
    },
    {
      who: "older OpenAI completions",
      message:
        "This model's maximum context length is 4097 tokens, however you requested 4116 tokens (1044 in your prompt; 3072 for the completion). Please reduce your prompt; or completion length.",
      overflow: { kind: "prompt", tokens: 4116, limit: 4097 },
    },
    {
      who: "vLLM, counting messages and completion",
      message:
        "This model's maximum context length is 32768 tokens. However, you requested 48598 tokens (48000 in the messages, 598 in the completion). Please reduce the length of the messages or completion.",
      overflow: { kind: "prompt", tokens: 48598, limit: 32768 },
    },
    {
      who: "vLLM, counting input tokens",
      message:
        "This model's maximum context length is 32768 tokens. However, your request has 48598 input tokens. Please reduce the length of the input messages.",
      overflow: { kind: "prompt", tokens: 48598, limit: 32768 },
    },
    {
      who: "vLLM, giving a total",
      message:
        "This model's maximum context length is 32768 tokens. However, you requested 598 output tokens and your prompt contains at least 48000 input tokens, for a total of at least 48598 tokens.",
      overflow: { kind: "prompt", tokens: 48598, limit: 32768 },
    },
    {
      who: "vLLM, when only max_tokens does not fit",
      message:
        "'max_tokens' or 'max_completion_tokens' is too large: 8000. This model's maximum context length is 32768 tokens and your request has 30000 input tokens (8000 > 32768 - 30000). None",
      overflow: { kind: "max_tokens", inputTokens: 30000, maxTokens: 8000, limit: 32768 },
    },
    {
      who: "OpenRouter",
      message:
        'This endpoint\'s maximum context length is 32768 tokens. However, you requested about 48598 tokens (48000 of text input, 598 in the output). Please reduce the length of either one, or use the "middle-out" transform to compress your prompt automatically.',
      overflow: { kind: "prompt", tokens: 48598, limit: 32768 },
    },
    {
      who: "Anthropic",
      message: "prompt is too long: 208423 tokens > 200000 maximum",
      overflow: { kind: "prompt", tokens: 208423, limit: 200000 },
    },
    {
      who: "Anthropic, when only max_tokens does not fit",
      message:
        "input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000, decrease input length or `max_tokens` and try again",
      overflow: { kind: "max_tokens", inputTokens: 188240, maxTokens: 21333, limit: 200000 },
    },
    {
      who: "Google",
      message: "The input token count (1196265) exceeds the maximum number of tokens allowed (1048575).",
      overflow: { kind: "prompt", tokens: 1196265, limit: 1048575 },
    },
    {
      who: "xAI",
      message: "This model's maximum prompt length is 131072 but the request contains 537812 tokens.",
      overflow: { kind: "prompt", tokens: 537812, limit: 131072 },
    },
    {
      who: "llama.cpp",
      message: "request (24071 tokens) exceeds the available context size (8192 tokens), try increasing it",
      overflow: { kind: "prompt", tokens: 24071, limit: 8192 },
    },
    {
      who: "a provider giving only its maximum",
      message: "The input token count exceeds the maximum number of tokens allowed (1048576).",
      overflow: { kind: "prompt", limit: 1048576 },
    },
    {
      who: "OpenAI, without counts",
      message: "Your input exceeds the context window of this model. Please adjust your input and try again.",
      overflow: { kind: "prompt" },
    },
    {
      who: "Bedrock, without counts",
      message: "Input is too long for requested model.",
      overflow: { kind: "prompt" },
    },
  ])("reads $who", ({ message, overflow }) => {
    expect(readContextOverflow({ status: 400, message })).toEqual(overflow);
  });

  it("takes a context_length_exceeded code whatever the message says", () => {
    const message = "Please reduce the length of the messages or completion.";
    expect(readContextOverflow({ status: 400, message })).toBeUndefined();
    expect(readContextOverflow({ status: 400, message, codes: ["context_length_exceeded"] })).toEqual({
      kind: "prompt",
    });
  });

  it.each([
    { name: "a bad max_tokens", status: 400, message: "max_tokens must be at least 1, got -1." },
    {
      name: "Anthropic's output-token limit",
      status: 400,
      message:
        "max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5-20250929",
    },
    {
      name: "a rate limit that mentions a context",
      status: 429,
      message: "prompt is too long for your tier",
    },
    { name: "a server error", status: 500, message: "maximum context length is 8192 tokens" },
  ])("leaves $name alone", ({ status, message }) => {
    expect(readContextOverflow({ status, message })).toBeUndefined();
  });
});

describe("the wording an Anthropic client gets", () => {
  const upstreamMessage = "upstream text";

  it("gives Claude Code the two counts it compacts by", () => {
    const message = anthropicContextMessage(
      { kind: "prompt", tokens: 48598, limit: 32768 },
      { upstreamMessage, model: "qwen3-32b" },
    );
    expect(message).toBe(
      "prompt is too long: 48598 tokens > 32768 maximum (model qwen3-32b): trim the conversation history or use a model with a larger context window. The upstream said: upstream text",
    );
    expect(claudeCodeCounts(CLAUDE_CODE_PROMPT_TOO_LONG, message)).toEqual([48598, 32768]);
  });

  it("gives Claude Code the max_tokens overflow it retries with less", () => {
    const message = anthropicContextMessage(
      { kind: "max_tokens", inputTokens: 30000, maxTokens: 8000, limit: 32768 },
      { upstreamMessage },
    );
    expect(claudeCodeCounts(CLAUDE_CODE_MAX_TOKENS_OVERFLOW, message)).toEqual([30000, 8000, 32768]);
    expect(claudeCodeSeesPromptTooLong(message)).toBe(false);
  });

  it.each<{ name: string; overflow: ContextOverflow; starts: string }>([
    { name: "no counts", overflow: { kind: "prompt" }, starts: "prompt is too long (model m):" },
    {
      name: "only the maximum",
      overflow: { kind: "prompt", limit: 131072 },
      starts: "prompt is too long for the 131072-token context window (model m):",
    },
    {
      name: "counts that show no overflow",
      overflow: { kind: "prompt", tokens: 2778, limit: 4096 },
      starts: "prompt is too long for the 4096-token context window (model m):",
    },
  ])("keeps the wording but invents no count with $name", ({ overflow, starts }) => {
    const message = anthropicContextMessage(overflow, { upstreamMessage, model: "m" });
    expect(message.startsWith(starts)).toBe(true);
    expect(claudeCodeSeesPromptTooLong(message)).toBe(true);
    expect(claudeCodeCounts(CLAUDE_CODE_PROMPT_TOO_LONG, message)).toBeUndefined();
  });

  it("does not repeat an upstream that already spoke Anthropic's wording", () => {
    const wording = "prompt is too long: 208423 tokens > 200000 maximum";
    expect(
      anthropicContextMessage(
        { kind: "prompt", tokens: 208423, limit: 200000 },
        { upstreamMessage: wording },
      ),
    ).toBe(`${wording}: trim the conversation history or use a model with a larger context window`);
  });
});

describe("the wording an OpenAI client gets", () => {
  it("keeps Anthropic's message and counts, then names the model", () => {
    expect(
      openaiContextMessage(
        { kind: "prompt", tokens: 208423, limit: 200000 },
        { upstreamMessage: "prompt is too long: 208423 tokens > 200000 maximum", model: "claude-sonnet-4-5" },
      ),
    ).toBe(
      "prompt is too long: 208423 tokens > 200000 maximum (model claude-sonnet-4-5): trim the conversation history or use a model with a larger context window",
    );
  });
});
