import { describe, expect, it } from "vitest";
import { translateError } from "../../../../src/translate/responses-to-anthropic/index.js";
import { fixtureText } from "../openai-to-anthropic/fixtures.js";

describe("translateError", () => {
  it.each([
    { status: 400, type: "invalid_request_error", openai: "invalid_request_error" },
    { status: 401, type: "authentication_error", openai: "authentication_error" },
    { status: 429, type: "rate_limit_error", openai: "rate_limit_error" },
    { status: 529, type: "overloaded_error", openai: "server_error" },
  ])(
    "answers an Anthropic HTTP $status ($type) in OpenAI's shape, as $openai",
    ({ status, type, openai }) => {
      const body = JSON.stringify({ type: "error", error: { type, message: `upstream says ${type}` } });
      expect(translateError(status, body)).toEqual({
        error: { message: `upstream says ${type}`, type: openai, param: null, code: type },
      });
    },
  );

  it("gives a context-length error OpenAI's code, with the conversation named as input", () => {
    const body = JSON.stringify({
      type: "error",
      error: { type: "invalid_request_error", message: "prompt is too long: 210000 tokens > 200000 maximum" },
    });
    expect(translateError(400, body, { upstreamModel: "claude-sonnet-4-5" }).error).toMatchObject({
      type: "invalid_request_error",
      param: "input",
      code: "context_length_exceeded",
      message: expect.stringMatching(
        /^prompt is too long: 210000 tokens > 200000 maximum \(model claude-sonnet-4-5\)/,
      ),
    });
  });

  it("names the provider and when to retry on a rate limit", async () => {
    const body = await fixtureText("anthropic/error-rate-limit.json");
    const { error } = translateError(429, body, { providerId: "anthropic", retryAfter: "20" });
    expect(error.message).toMatch(
      /^provider anthropic refused the request .*; retry after 20 seconds\. The upstream said: This request would exceed/,
    );
    expect(error.type).toBe("rate_limit_error");
  });

  it("keeps the readable text of an HTML error page", async () => {
    const page = await fixtureText("anthropic/error-502.html");
    expect(translateError(502, page).error).toEqual({
      message: "502 Bad Gateway 502 Bad Gateway cloudflare",
      type: "server_error",
      param: null,
      code: null,
    });
  });
});
