// The translated stream as the openai SDK reads it: served over a real socket to
// `client.responses.stream()`, whose own accumulator must rebuild exactly the body the
// non-streaming translation gives for the same content, and must throw on a failure.
import type { Message } from "@anthropic-ai/sdk/resources/messages";
import OpenAI, { APIError } from "openai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createAnthropicMessageAccumulator } from "../../../../src/translate/accumulate/index.js";
import { translateResponse } from "../../../../src/translate/responses-to-anthropic/index.js";
import { type MockUpstream, startMockUpstream } from "../../../helpers/mock-upstream.js";
import { fixtureJson, fixtureSse } from "../openai-to-anthropic/fixtures.js";
import { CTX, toSse, translateFixture } from "./fixtures.js";

let upstream: MockUpstream;
let client: OpenAI;

beforeAll(async () => {
  // Serves the translation of the Anthropic stream fixture named by the request's model.
  upstream = await startMockUpstream(async (req, res) => {
    const events = await translateFixture(String(req.json?.model));
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.end(toSse(events));
  });
  client = new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: "test-key", maxRetries: 0 });
});
afterAll(() => upstream.close());

// Only Date is faked, so sockets and the SDK's timers run as usual while both
// translations stamp the same created_at.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-12-01T12:00:00Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

/** What the SDK's stream helper accumulates, without the fields it adds of its own. */
async function sdkFinalResponse(fixture: string): Promise<unknown> {
  const response = await client.responses.stream({ model: fixture, input: "hi" }).finalResponse();
  return withoutSdkFields(response);
}

function withoutSdkFields(response: object): unknown {
  const { output_text: _, output_parsed: __, ...rest } = response as Record<string, unknown>;
  const output = (rest.output as Array<Record<string, unknown>>).map(({ parsed_arguments: _, ...item }) =>
    Array.isArray(item.content)
      ? { ...item, content: item.content.map(({ parsed: _, ...part }: Record<string, unknown>) => part) }
      : item,
  );
  return normalizeArguments({ ...rest, output });
}

/** Arguments compared as JSON values: the stream keeps the upstream's spacing, a body is re-serialized. */
function normalizeArguments(response: unknown): unknown {
  const body = response as { output: Array<Record<string, unknown>> };
  return {
    ...body,
    output: body.output.map((item) =>
      typeof item.arguments === "string" ? { ...item, arguments: JSON.parse(item.arguments) } : item,
    ),
  };
}

/** The non-streaming translation of the message the Anthropic stream fixture adds up to. */
async function accumulatedTranslation(fixture: string): Promise<unknown> {
  const accumulator = createAnthropicMessageAccumulator();
  for (const payload of await fixtureSse(fixture)) accumulator.push(payload);
  const result = accumulator.finish();
  if (!result.ok) throw new Error(result.error.message);
  return normalizeArguments(translateResponse(JSON.parse(result.body) as Message, CTX));
}

describe("the openai SDK's Responses stream helper over the translated stream", () => {
  it.each([
    "anthropic/stream-tool-use.sse",
    "anthropic/stream-thinking.sse",
    "anthropic/stream-parallel-tool-use.sse",
    "anthropic/stream-tool-no-arguments.sse",
    "anthropic/stream-citations.sse",
    "anthropic/stream-web-search.sse",
    "anthropic/stream-big-integer-tool-input.sse",
    "responses/stream-exec-command-anthropic.sse",
    "responses/stream-parallel-namespaced-anthropic.sse",
  ])("rebuilds from %s the body the non-streaming translation gives", async (fixture) => {
    expect(await sdkFinalResponse(fixture)).toEqual(await accumulatedTranslation(fixture));
  });

  it.each([
    ["stream-tool-use.sse", "message-tool-use.json"],
    ["stream-web-search.sse", "message-web-search.json"],
    ["stream-citations.sse", "message-citations.json"],
  ])("rebuilds from %s the translation of the recorded body %s", async (stream, body) => {
    const message = await fixtureJson<Message>(`anthropic/${body}`);
    expect(await sdkFinalResponse(`anthropic/${stream}`)).toEqual(
      normalizeArguments(translateResponse(message, CTX)),
    );
  });

  it.each([
    ["an upstream error", "anthropic/stream-error.sse", /Overloaded/],
    ["a cut stream", "anthropic/stream-cut.sse", /ended before the response was complete/],
  ])("throws on %s, with the upstream's message", async (_, fixture, message) => {
    const stream = client.responses.stream({ model: fixture, input: "hi" });
    const failure = await stream.finalResponse().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).message).toMatch(message);
  });

  it("throws while iterating responses.create({ stream: true }) too", async () => {
    const stream = await client.responses.create({
      model: "anthropic/stream-error.sse",
      input: "hi",
      stream: true,
    });
    const seen: string[] = [];
    await expect(async () => {
      for await (const event of stream) seen.push(event.type);
    }).rejects.toThrow(/Overloaded/);
    expect(seen).toContain("response.output_text.delta");
  });
});
