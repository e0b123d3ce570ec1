import { describe, expect, it } from "vitest";
import { translateError } from "../../../../src/translate/anthropic-to-openai/index.js";
import { readFixture } from "./fixtures.js";

describe("upstream error answers", () => {
  it("an OpenAI context-length error keeps its message verbatim", async () => {
    const body = await readFixture("openai/error-context-length.json");
    expect(translateError(400, body)).toEqual({
      type: "error",
      error: {
        type: "invalid_request_error",
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens (130500 in the messages, 572 in the functions). Please reduce the length of the messages or functions.",
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
