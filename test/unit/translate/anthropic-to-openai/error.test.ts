import { describe, expect, it } from "vitest";
import { translateError } from "../../../../src/translate/anthropic-to-openai/index.js";
import {
  CLAUDE_CODE_MAX_TOKENS_OVERFLOW,
  CLAUDE_CODE_PROMPT_TOO_LONG,
  claudeCodeCounts,
  claudeCodeSeesPromptTooLong,
} from "../../../helpers/claude-code-patterns.js";
import { readFixture } from "./fixtures.js";

describe("upstream error answers", () => {
  it("an OpenAI context-length error leads with Anthropic's wording and keeps OpenAI's", async () => {
    const body = await readFixture("openai/error-context-length.json");
    expect(translateError(400, body)).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message:
          "prompt is too long: 131072 tokens > 128000 maximum: trim the conversation history or use a model with a larger context window. The upstream said: This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens (130500 in the messages, 572 in the functions). Please reduce the length of the messages or functions.",
      },
    });
  });

  it("an HTML page from a load balancer is reduced to its text", async () => {
    const body = await readFixture("openai/error-502.html");
    expect(translateError(502, body)).toEqual({
      type: "error",
      error: { type: "api_error", message: "502 Bad Gateway 502 Bad Gateway nginx/1.25.3" },
    });
  });

  it.each([
    [
      429,
      '{"error":{"message":"Rate limit reached for gpt-4.1","type":"requests","code":"rate_limit_exceeded"}}',
      "rate_limit_error",
      "Rate limit reached for gpt-4.1",
    ],
    [
      401,
      '{"error":{"message":"Incorrect API key provided: sk-****1234.","type":"invalid_request_error","code":"invalid_api_key"}}',
      "authentication_error",
      "Incorrect API key provided: sk-****1234.",
    ],
    [
      404,
      '{"error":"model \\"llama9\\" not found, try pulling it first"}',
      "not_found_error",
      'model "llama9" not found, try pulling it first',
    ],
    [
      503,
      '{"message":"Service temporarily unavailable"}',
      "overloaded_error",
      "Service temporarily unavailable",
    ],
    [
      422,
      '{"detail":[{"loc":["body","messages"],"msg":"field required","type":"value_error.missing"}]}',
      "invalid_request_error",
      "field required",
    ],
    [
      400,
      '{"object":"error","message":"max_tokens must be at least 1, got -1.","type":"BadRequestError","param":null,"code":400}',
      "invalid_request_error",
      "max_tokens must be at least 1, got -1.",
    ],
    [529, "overloaded", "overloaded_error", "overloaded"],
    [500, "", "api_error", "the upstream answered HTTP 500 with an empty body"],
    [
      402,
      '{"error":{"message":"Insufficient credits","code":402,"metadata":{"raw":"Insufficient credits"}}}',
      "billing_error",
      "Insufficient credits",
    ],
    [
      400,
      '{"error":{"message":"Provider returned error","code":400,"metadata":{"raw":"{\\"error\\":\\"tool_call_id is invalid\\"}","provider_name":"Together"}}}',
      "invalid_request_error",
      'Provider returned error ({"error":"tool_call_id is invalid"})',
    ],
    [
      504,
      '[{"error":{"code":504,"message":"Deadline exceeded","status":"DEADLINE_EXCEEDED"}}]',
      "timeout_error",
      "Deadline exceeded",
    ],
  ])("status %i with %s → %s", (status, body, type, message) => {
    expect(translateError(status, body)).toEqual({ type: "error", error: { type, message } });
  });

  it("a long non-JSON body is cut to 500 characters, scripts and styles removed", () => {
    const html = `<html><head><style>body{color:red}</style><script>var x=1;</script></head><body><p>${"x".repeat(2000)}</p></body></html>`;
    const { error } = translateError(500, html);
    expect(error.message).toBe("x".repeat(500));
  });
});

describe("context-length errors an Anthropic client can act on", () => {
  const ADVICE = "trim the conversation history or use a model with a larger context window";

  it.each([
    { fixture: "openai/error-context-length-messages.json", tokens: 130532, limit: 128000 },
    { fixture: "openai/vllm-error-context-length.json", tokens: 48598, limit: 32768 },
    { fixture: "openai/vllm-error-context-length-input.json", tokens: 48598, limit: 32768 },
    { fixture: "openai/openrouter-error-context-length.json", tokens: 48598, limit: 32768 },
  ])("Claude Code reads $tokens > $limit out of $fixture", async ({ fixture, tokens, limit }) => {
    const body = await readFixture(fixture);
    const { error } = translateError(400, body, { upstreamModel: "qwen3-32b" });
    expect(error.type).toBe("invalid_request_error");
    expect(error.message).toBe(
      `prompt is too long: ${tokens} tokens > ${limit} maximum (model qwen3-32b): ${ADVICE}. The upstream said: ${upstreamMessage(body)}`,
    );
    expect(claudeCodeCounts(CLAUDE_CODE_PROMPT_TOO_LONG, error.message)).toEqual([tokens, limit]);
  });

  it("a vLLM request whose max_tokens alone does not fit gets the wording Claude Code retries with less", async () => {
    const body = await readFixture("openai/vllm-error-max-tokens.json");
    const { error } = translateError(400, body, { upstreamModel: "qwen3-32b" });
    expect(error.message).toBe(
      `input length and \`max_tokens\` exceed context limit: 30000 + 8000 > 32768, decrease input length or \`max_tokens\` and try again (model qwen3-32b). The upstream said: ${upstreamMessage(body)}`,
    );
    expect(claudeCodeCounts(CLAUDE_CODE_MAX_TOKENS_OVERFLOW, error.message)).toEqual([30000, 8000, 32768]);
  });

  it("OpenAI's count-free wording still says prompt is too long, with no made-up counts", async () => {
    const body = await readFixture("openai/error-context-window.json");
    const { error } = translateError(400, body, { upstreamModel: "gpt-5" });
    expect(error).toEqual({
      type: "invalid_request_error",
      message: `prompt is too long (model gpt-5): ${ADVICE}. The upstream said: Your input exceeds the context window of this model. Please adjust your input and try again.`,
    });
    expect(claudeCodeSeesPromptTooLong(error.message)).toBe(true);
    expect(claudeCodeCounts(CLAUDE_CODE_PROMPT_TOO_LONG, error.message)).toBeUndefined();
  });

  it.each([
    {
      who: "DeepSeek",
      body: '{"error":{"message":"This model\'s maximum context length is 65536 tokens. However, you requested 70000 tokens (70000 in the messages, 0 in the completion). Please reduce the length of the messages or completion.","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}',
      counts: [70000, 65536],
    },
    {
      who: "llama.cpp",
      body: '{"error":{"code":400,"message":"request (24071 tokens) exceeds the available context size (8192 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":24071,"n_ctx":8192}}',
      counts: [24071, 8192],
    },
    {
      who: "Google",
      body: '[{"error":{"code":400,"message":"The input token count (1196265) exceeds the maximum number of tokens allowed (1048575).","status":"INVALID_ARGUMENT"}}]',
      counts: [1196265, 1048575],
    },
    {
      who: "OpenRouter relaying Anthropic",
      body: '{"error":{"message":"Provider returned error","code":400,"metadata":{"raw":"{\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"invalid_request_error\\",\\"message\\":\\"prompt is too long: 208423 tokens > 200000 maximum\\"}}","provider_name":"Anthropic"}}}',
      counts: [208423, 200000],
    },
    {
      who: "Groq, by its code alone",
      body: '{"error":{"message":"Please reduce the length of the messages or completion.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}',
      counts: undefined,
    },
  ])("$who", ({ body, counts }) => {
    const { error } = translateError(400, body);
    expect(error.type).toBe("invalid_request_error");
    expect(claudeCodeSeesPromptTooLong(error.message)).toBe(true);
    expect(claudeCodeCounts(CLAUDE_CODE_PROMPT_TOO_LONG, error.message)).toEqual(counts);
  });

  it("a 413 context-length error is still the invalid_request_error Anthropic answers with", () => {
    const body =
      '{"error":{"message":"This model\'s maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.","code":"context_length_exceeded"}}';
    const { error } = translateError(413, body);
    expect(error.type).toBe("invalid_request_error");
    expect(claudeCodeCounts(CLAUDE_CODE_PROMPT_TOO_LONG, error.message)).toEqual([9000, 8192]);
  });
});

describe("refusals name the provider and when to retry", () => {
  it("a rate limit says which provider and how long to wait, then OpenAI's message", async () => {
    const body = await readFixture("openai/error-rate-limit.json");
    const { error } = translateError(429, body, { providerId: "openai-east", retryAfter: "2" });
    expect(error).toEqual({
      type: "rate_limit_error",
      message: `provider openai-east refused the request (rate limit or quota, HTTP 429); retry after 2 seconds. The upstream said: ${upstreamMessage(body)}`,
    });
  });

  it("a quota error names the provider even when it gives no time", async () => {
    const body = await readFixture("openai/error-insufficient-quota.json");
    const { error } = translateError(429, body, { providerId: "openai" });
    expect(error.message).toBe(
      `provider openai refused the request (rate limit or quota, HTTP 429). The upstream said: ${upstreamMessage(body)}`,
    );
  });

  it.each([
    {
      status: 503,
      retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT",
      says: "is unavailable or overloaded (HTTP 503); retry after Wed, 21 Oct 2015 07:28:00 GMT",
    },
    { status: 529, retryAfter: "1.2", says: "is overloaded (HTTP 529); retry after 2 seconds" },
    { status: 529, retryAfter: "1", says: "is overloaded (HTTP 529); retry after 1 second" },
    { status: 503, retryAfter: "soon <script>", says: "is unavailable or overloaded (HTTP 503)" },
  ])("HTTP $status with retry-after $retryAfter", ({ status, retryAfter, says }) => {
    const { error } = translateError(status, '{"message":"Service temporarily unavailable"}', {
      providerId: "vllm-gpu-2",
      retryAfter,
    });
    expect(error.message).toBe(
      `provider vllm-gpu-2 ${says}. The upstream said: Service temporarily unavailable`,
    );
  });

  it("other statuses keep the upstream's message as it is", () => {
    const body = '{"error":{"message":"Incorrect API key provided: sk-****1234.","code":"invalid_api_key"}}';
    const { error } = translateError(401, body, { providerId: "openai", retryAfter: "5" });
    expect(error.message).toBe("Incorrect API key provided: sk-****1234.");
  });
});

/** The message inside an OpenAI-style fixture body, as the upstream wrote it. */
function upstreamMessage(body: string): string {
  const parsed = JSON.parse(body) as { error?: { message?: string }; message?: string };
  return parsed.error?.message ?? parsed.message ?? "";
}
