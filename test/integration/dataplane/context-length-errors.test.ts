// Context-length errors across dialects through the real server: what an SDK client sees
// when the provider of the other dialect refuses an over-long prompt, read with the very
// patterns Claude Code acts on.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import {
  CLAUDE_CODE_MAX_TOKENS_OVERFLOW,
  CLAUDE_CODE_PROMPT_TOO_LONG,
  claudeCodeCounts,
} from "../../helpers/claude-code-patterns.js";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";

let upstream: MockUpstream | undefined;
let parley: TestParley | undefined;
afterEach(async () => {
  await parley?.close();
  await upstream?.close();
  parley = upstream = undefined;
});

const VLLM_TOO_LONG = {
  object: "error",
  message:
    "This model's maximum context length is 32768 tokens. However, you requested 48598 tokens (48000 in the messages, 598 in the completion). Please reduce the length of the messages or completion.",
  type: "BadRequestError",
  param: null,
  code: 400,
};

const VLLM_MAX_TOKENS = {
  error: {
    message:
      "'max_tokens' or 'max_completion_tokens' is too large: 8000. This model's maximum context length is 32768 tokens and your request has 30000 input tokens (8000 > 32768 - 30000). None",
    type: "BadRequestError",
    param: null,
    code: 400,
  },
};

async function anthropicClientOf(answer: object): Promise<Anthropic> {
  upstream = await startMockUpstream((_req, res) => json(res, 400, answer));
  parley = await startTestParley({
    PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
    PARLEY_OPENAI_API_KEY: "sk-provider",
    PARLEY_MODEL_MAP: "claude-*=openai/qwen3-32b",
  });
  return new Anthropic({ baseURL: parley.url, apiKey: "client", maxRetries: 0 });
}

async function failureOf(client: Anthropic): Promise<InstanceType<typeof Anthropic.BadRequestError>> {
  const failure = await client.messages
    .create({ model: "claude-x", max_tokens: 8000, messages: [{ role: "user", content: "hi" }] })
    .catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(Anthropic.BadRequestError);
  return failure as InstanceType<typeof Anthropic.BadRequestError>;
}

describe("an Anthropic client behind an OpenAI-compatible provider", () => {
  it("gets vLLM's context-length 400 in the wording Claude Code compacts on", async () => {
    const failure = await failureOf(await anthropicClientOf(VLLM_TOO_LONG));
    expect(failure.status).toBe(400);
    expect(failure.error).toMatchObject({
      type: "error",
      error: {
        type: "invalid_request_error",
        message: expect.stringMatching(/^prompt is too long: 48598 tokens > 32768 maximum/),
      },
    });
    // Claude Code runs its pattern over the SDK error's message, body and all.
    expect(claudeCodeCounts(CLAUDE_CODE_PROMPT_TOO_LONG, failure.message)).toEqual([48598, 32768]);
    expect(failure.message).toContain(VLLM_TOO_LONG.message);
  });

  it("gets vLLM's max_tokens 400 in the wording Claude Code retries with a lower max_tokens on", async () => {
    const failure = await failureOf(await anthropicClientOf(VLLM_MAX_TOKENS));
    expect(failure.status).toBe(400);
    expect(claudeCodeCounts(CLAUDE_CODE_MAX_TOKENS_OVERFLOW, failure.message)).toEqual([30000, 8000, 32768]);
  });
});

describe("an OpenAI client behind an Anthropic provider", () => {
  it("gets Anthropic's prompt is too long as context_length_exceeded, counts kept", async () => {
    const message = "prompt is too long: 208423 tokens > 200000 maximum";
    upstream = await startMockUpstream((_req, res) =>
      json(res, 400, { type: "error", error: { type: "invalid_request_error", message } }),
    );
    parley = await startTestParley({
      PARLEY_ANTHROPIC_BASE_URL: upstream.url,
      PARLEY_ANTHROPIC_API_KEY: "sk-ant-provider",
      PARLEY_MODEL_MAP: "gpt-*=anthropic/claude-sonnet-4-5",
    });
    const client = new OpenAI({ baseURL: `${parley.url}/v1`, apiKey: "client", maxRetries: 0 });
    const failure = await client.chat.completions
      .create({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.code).toBe("context_length_exceeded");
    expect(error.param).toBe("messages");
    expect(error.type).toBe("invalid_request_error");
    expect(error.message).toContain(message);
  });
});
