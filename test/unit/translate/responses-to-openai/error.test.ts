import { describe, expect, it } from "vitest";
import { translateError } from "../../../../src/translate/responses-to-openai/index.js";
import { readFixture } from "./fixtures.js";

describe("upstream error answers", () => {
  it("an OpenAI error keeps its message, type, param and code", async () => {
    expect(translateError(429, await readFixture("openai/error-rate-limit.json"))).toEqual({
      error: {
        message:
          "Rate limit reached for gpt-4.1 in organization org-0000000000000000000000 on tokens per min (TPM): Limit 30000, Used 29550, Requested 1200. Please try again in 1.5s. Visit https://platform.openai.com/account/rate-limits to learn more.",
        type: "tokens",
        param: null,
        code: "rate_limit_exceeded",
      },
    });
  });

  it("a rate-limit refusal names the provider and the wait when they are known", async () => {
    const body = translateError(429, await readFixture("openai/error-rate-limit.json"), {
      providerId: "openai-eu",
      retryAfter: "2",
    });
    expect(body.error.message).toMatch(
      /^provider openai-eu refused the request \(rate limit or quota, HTTP 429\); retry after 2 seconds\. The upstream said: Rate limit reached/,
    );
    expect(body.error.code).toBe("rate_limit_exceeded");
  });

  it("OpenAI's own context-length error passes as it is", async () => {
    expect(translateError(400, await readFixture("openai/error-context-length.json"))).toEqual({
      error: {
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens (130500 in the messages, 572 in the functions). Please reduce the length of the messages or functions.",
        type: "invalid_request_error",
        param: "messages",
        code: "context_length_exceeded",
      },
    });
  });

  it("vLLM's context-length error, coded 400, gets OpenAI's context_length_exceeded (edge 28)", async () => {
    const body = translateError(400, await readFixture("openai/vllm-error-context-length.json"), {
      upstreamModel: "Qwen/Qwen3-Coder-30B",
    });
    expect(body.error).toEqual({
      message:
        "This model's maximum context length is 32768 tokens. However, you requested 48598 tokens (48000 in the messages, 598 in the completion). Please reduce the length of the messages or completion (model Qwen/Qwen3-Coder-30B): trim the conversation history or use a model with a larger context window",
      type: "invalid_request_error",
      param: null,
      code: "context_length_exceeded",
    });
  });

  it.each([
    {
      name: "an HTML page from a load balancer",
      status: 502,
      body: "openai/error-502.html",
      error: {
        message: "502 Bad Gateway 502 Bad Gateway nginx/1.25.3",
        type: "server_error",
        param: null,
        code: null,
      },
    },
    {
      name: "FastAPI's validation detail",
      status: 422,
      text: '{"detail":[{"loc":["body","messages"],"msg":"field required","type":"value_error.missing"}]}',
      error: { message: "field required", type: "invalid_request_error", param: null, code: null },
    },
    {
      name: "Ollama's bare error string",
      status: 404,
      text: '{"error":"model \\"llama9\\" not found, try pulling it first"}',
      error: {
        message: 'model "llama9" not found, try pulling it first',
        type: "not_found_error",
        param: null,
        code: null,
      },
    },
    {
      name: "an empty body",
      status: 503,
      text: "",
      error: {
        message: "the upstream answered HTTP 503 with an empty body",
        type: "server_error",
        param: null,
        code: null,
      },
    },
  ])("$name becomes an OpenAI error body", async ({ status, body, text, error }) => {
    expect(translateError(status, text ?? (await readFixture(body ?? "")))).toEqual({ error });
  });
});
