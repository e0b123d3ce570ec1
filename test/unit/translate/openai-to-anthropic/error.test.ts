import { describe, expect, it } from "vitest";
import { translateError } from "../../../../src/translate/openai-to-anthropic/index.js";
import { fixtureText } from "./fixtures.js";

describe("translateError", () => {
  it("keeps the message of a recorded Anthropic error and puts its type in code", () => {
    const body =
      '{"type":"error","error":{"type":"invalid_request_error","message":"messages: roles must alternate between \\"user\\" and \\"assistant\\", but found multiple \\"user\\" roles in a row"}}';
    expect(translateError(400, body)).toEqual({
      error: {
        message:
          'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row',
        type: "invalid_request_error",
        param: null,
        code: "invalid_request_error",
      },
    });
  });

  it.each([
    { status: 401, type: "authentication_error", openai: "authentication_error" },
    { status: 403, type: "permission_error", openai: "permission_error" },
    { status: 404, type: "not_found_error", openai: "not_found_error" },
    { status: 429, type: "rate_limit_error", openai: "rate_limit_error" },
    { status: 500, type: "api_error", openai: "server_error" },
    { status: 529, type: "overloaded_error", openai: "server_error" },
  ])("maps HTTP $status ($type) to $openai", ({ status, type, openai }) => {
    const body = JSON.stringify({ type: "error", error: { type, message: `upstream says ${type}` } });
    expect(translateError(status, body)).toEqual({
      error: { message: `upstream says ${type}`, type: openai, param: null, code: type },
    });
  });

  it("keeps the readable text of an HTML error page", async () => {
    const page = await fixtureText("anthropic/error-502.html");
    expect(translateError(502, page)).toEqual({
      error: {
        message: "502 Bad Gateway 502 Bad Gateway cloudflare",
        type: "server_error",
        param: null,
        code: null,
      },
    });
  });

  it("leaves scripts and styles of an error page out", () => {
    const page =
      "<html><style>body{color:red}</style><script>var x = 1;</script><p>Service &amp; API down</p></html>";
    expect(translateError(503, page).error.message).toBe("Service & API down");
  });

  it("keeps at most 500 characters of a long non-JSON body", () => {
    const message = translateError(500, "x".repeat(2000)).error.message;
    expect(message).toBe("x".repeat(500));
  });

  it.each([
    { name: "an empty body", body: "", message: "the upstream answered HTTP 504 with no message" },
    { name: "a JSON error string", body: '{"error":"upstream timeout"}', message: "upstream timeout" },
    { name: "a JSON message field", body: '{"message":"Gateway timeout"}', message: "Gateway timeout" },
    { name: "a JSON value with no message", body: "[1,2]", message: "[1,2]" },
  ])("handles $name", ({ body, message }) => {
    const translated = translateError(504, body);
    expect(translated.error.message).toBe(message);
    expect(translated.error.type).toBe("timeout");
    expect(translated.error.code).toBeNull();
  });
});

describe("context-length errors an OpenAI client can act on", () => {
  const ADVICE = "trim the conversation history or use a model with a larger context window";
  const contextError = { type: "invalid_request_error", param: "messages", code: "context_length_exceeded" };

  it("Anthropic's prompt is too long carries context_length_exceeded and keeps the counts", async () => {
    const body = await fixtureText("anthropic/error-invalid-request.json");
    expect(translateError(400, body, { upstreamModel: "claude-sonnet-4-5" })).toEqual({
      error: {
        ...contextError,
        message: `prompt is too long: 212345 tokens > 200000 maximum (model claude-sonnet-4-5): ${ADVICE}`,
      },
    });
  });

  it("Anthropic's max_tokens overflow keeps its own advice and names the model", async () => {
    const body = await fixtureText("anthropic/error-context-limit-max-tokens.json");
    expect(translateError(400, body, { upstreamModel: "claude-sonnet-4-5" })).toEqual({
      error: {
        ...contextError,
        message:
          "input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000, decrease input length or `max_tokens` and try again (model claude-sonnet-4-5)",
      },
    });
  });

  it("a count-free wording (Bedrock's) is recognised too", () => {
    const body = '{"message":"Input is too long for requested model."}';
    expect(translateError(400, body)).toEqual({
      error: { ...contextError, message: `Input is too long for requested model: ${ADVICE}` },
    });
  });
});

describe("refusals name the provider and when to retry", () => {
  it("a rate limit says which provider and how long to wait, then Anthropic's message", async () => {
    const body = await fixtureText("anthropic/error-rate-limit.json");
    const upstream = (JSON.parse(body) as { error: { message: string } }).error.message;
    expect(translateError(429, body, { providerId: "anthropic", retryAfter: "17" })).toEqual({
      error: {
        message: `provider anthropic refused the request (rate limit or quota, HTTP 429); retry after 17 seconds. The upstream said: ${upstream}`,
        type: "rate_limit_error",
        param: null,
        code: "rate_limit_error",
      },
    });
  });

  it("an overload names the provider", async () => {
    const body = await fixtureText("anthropic/error-overloaded.json");
    expect(translateError(529, body, { providerId: "anthropic" }).error).toEqual({
      message: "provider anthropic is overloaded (HTTP 529). The upstream said: Overloaded",
      type: "server_error",
      param: null,
      code: "overloaded_error",
    });
  });

  it("an HTML overload page names the provider too", () => {
    const page = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>";
    expect(translateError(503, page, { providerId: "anthropic", retryAfter: "30" }).error.message).toBe(
      "provider anthropic is unavailable or overloaded (HTTP 503); retry after 30 seconds. The upstream said: 503 Service Temporarily Unavailable",
    );
  });
});
