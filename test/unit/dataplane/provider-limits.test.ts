// A provider's own limits on one request: bodies are measured in UTF-8 bytes as the client
// sent them (not in characters), conversations in entries of `messages` or of Responses
// `input`, each limit exactly at its value allowed and one over it refused with the
// provider named.
import { describe, expect, it } from "vitest";
import { InvalidRequestError, PayloadTooLargeError } from "../../../src/core/errors.js";
import { type LimitedRequest, providerLimitError } from "../../../src/dataplane/provider-limits.js";
import type { ProviderConfig, RequestLimits } from "../../../src/routing/types.js";

function provider(limits: Partial<RequestLimits>): ProviderConfig {
  return {
    id: "small",
    kind: "openai",
    baseUrl: "http://small.test/v1",
    apiKey: null,
    headers: {},
    timeouts: { connectMs: 1, headersMs: 1, idleMs: 1, requestMs: 1 },
    maxRetries: null,
    breaker: { failureThreshold: null, openMs: null },
    enabled: true,
    demoteNonStreaming: null,
    responsesApi: false,
    limits: { maxBodyBytes: null, maxMessages: null, ...limits },
  };
}

/** A chat request whose raw body is exactly `bytes` UTF-8 bytes, padded with `unit`. */
function bodyOf(bytes: number, unit = "x"): LimitedRequest {
  const empty = JSON.stringify({ model: "m", messages: [{ role: "user", content: "" }] });
  const unitBytes = Buffer.byteLength(unit);
  const content = unit.repeat(Math.floor((bytes - empty.length) / unitBytes));
  const json = JSON.stringify({ model: "m", messages: [{ role: "user", content }] });
  // Trailing whitespace is valid JSON: it makes up what whole characters cannot.
  const rawBody = json + " ".repeat(bytes - Buffer.byteLength(json));
  expect(Buffer.byteLength(rawBody)).toBe(bytes);
  return { dialect: "openai", body: { bytes: Buffer.from(rawBody) }, conversationLength: 1 };
}

function conversation(dialect: LimitedRequest["dialect"], n: number): LimitedRequest {
  return { dialect, body: { bytes: Buffer.from("{}") }, conversationLength: n };
}

describe("max_body_bytes", () => {
  it.each([
    ["ASCII", "x"],
    ["two-byte characters", "é"],
    ["three-byte characters", "€"],
    ["four-byte characters (surrogate pairs)", "😀"],
  ])("in %s: exactly the limit passes, one byte more is a 413 naming the provider", (_name, unit) => {
    const limited = provider({ maxBodyBytes: 4096 });
    expect(providerLimitError(limited, bodyOf(4096, unit))).toBeUndefined();
    const error = providerLimitError(limited, bodyOf(4097, unit));
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error?.message).toBe(
      'provider "small" takes request bodies of at most 4 KiB; this one has 4097 bytes — send fewer or smaller images and documents, trim the conversation, or route it elsewhere',
    );
  });

  it("counts bytes, not characters: 2000 characters of é are 4000+ bytes", () => {
    const request = bodyOf(4100, "é");
    expect(request.body.bytes.toString("utf8").length).toBeLessThan(4096);
    expect(providerLimitError(provider({ maxBodyBytes: 4096 }), request)).toBeInstanceOf(
      PayloadTooLargeError,
    );
  });

  it("is not checked when the provider has none", () => {
    expect(providerLimitError(provider({}), bodyOf(100_000))).toBeUndefined();
  });
});

describe("max_messages", () => {
  it.each(["anthropic", "openai"] as const)("%s: counts messages, param messages", (dialect) => {
    const limited = provider({ maxMessages: 10 });
    expect(providerLimitError(limited, conversation(dialect, 10))).toBeUndefined();
    const error = providerLimitError(limited, conversation(dialect, 11));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error?.param).toBe("messages");
    expect(error?.message).toBe(
      'provider "small" takes at most 10 messages; this request has 11 — trim the conversation or route it elsewhere',
    );
  });

  it("responses: counts input items, param input", () => {
    const limited = provider({ maxMessages: 1 });
    expect(providerLimitError(limited, conversation("responses", 1))).toBeUndefined();
    expect(providerLimitError(limited, conversation("responses", 2))?.param).toBe("input");
  });

  it("is not checked when the provider has none", () => {
    expect(providerLimitError(provider({}), conversation("anthropic", 100_000))).toBeUndefined();
  });
});
