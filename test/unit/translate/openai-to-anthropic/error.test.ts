import { describe, expect, it } from "vitest";
import { translateError } from "../../../../src/translate/openai-to-anthropic/index.js";
import { fixtureText } from "./fixtures.js";

describe("translateError", () => {
  it("keeps the message of a recorded Anthropic error and puts its type in code", async () => {
    const body = await fixtureText("anthropic/error-invalid-request.json");
    expect(translateError(400, body)).toEqual({
      error: {
        message: "prompt is too long: 212345 tokens > 200000 maximum",
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
