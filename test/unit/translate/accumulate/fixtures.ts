// Replays wire captures through an accumulator, and through the official SDKs' own stream
// accumulators (over a real socket) so a test can hold the body against what each SDK
// makes of the same stream.
import { readFile } from "node:fs/promises";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { decodeSse } from "../../../../src/sse/decode.js";
import type { AccumulatedBody, StreamAccumulator } from "../../../../src/translate/accumulate/index.js";
import { type MockUpstream, startMockUpstream } from "../../../helpers/mock-upstream.js";

const FIXTURES = new URL("../../../fixtures/", import.meta.url);

/** A fixture's text. */
export function readFixture(path: string): Promise<string> {
  return readFile(new URL(path, FIXTURES), "utf8");
}

/** A `.json` fixture, parsed. */
export async function readJsonFixture<T = unknown>(path: string): Promise<T> {
  return JSON.parse(await readFixture(path)) as T;
}

/** The parsed `data` of every event of an `.sse` fixture, up to OpenAI's `[DONE]`. */
export async function readSsePayloads(path: string): Promise<unknown[]> {
  const payloads: unknown[] = [];
  for await (const event of decodeSse([await readFixture(path)])) {
    if (event.data.trim() === "[DONE]") break;
    payloads.push(JSON.parse(event.data));
  }
  return payloads;
}

/** Pushes every payload into a fresh accumulator and finishes it. */
export function accumulate(create: () => StreamAccumulator, payloads: unknown[]): AccumulatedBody {
  const accumulator = create();
  for (const payload of payloads) accumulator.push(payload);
  return accumulator.finish();
}

/** The body text of a result that must have succeeded. */
export function bodyOf(result: AccumulatedBody): string {
  if (!result.ok) throw new Error(`expected a body, got ${result.error.code}: ${result.error.message}`);
  return result.body;
}

/** A mock upstream that answers every request with the `.sse` fixture named by the request's `model`. */
export function startFixtureUpstream(): Promise<MockUpstream> {
  return startMockUpstream(async (req, res) => {
    const text = await readFixture(String(req.json?.model));
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.end(text);
  });
}

/** What the Anthropic SDK's MessageStream accumulates from a fixture, without the SDK's own `parsed_output` helper field. */
export async function anthropicSdkMessage(upstream: MockUpstream, fixture: string): Promise<unknown> {
  const client = new Anthropic({ baseURL: upstream.url, apiKey: "test-key", maxRetries: 0 });
  const { parsed_output: _, ...message } = await client.messages
    .stream({ model: fixture, max_tokens: 1024, messages: [{ role: "user", content: "hi" }] })
    .finalMessage();
  return message;
}

/**
 * What the OpenAI SDK's ChatCompletionStream accumulates from a fixture, without what the
 * SDK adds of its own: `message.parsed` (its structured-output helper).
 */
export async function openaiSdkCompletion(upstream: MockUpstream, fixture: string): Promise<unknown> {
  const client = new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: "test-key", maxRetries: 0 });
  const completion = await client.chat.completions
    .stream({ model: fixture, messages: [{ role: "user", content: "hi" }] })
    .finalChatCompletion();
  return {
    ...completion,
    choices: completion.choices.map(({ message: { parsed: _, ...message }, ...choice }) => ({
      ...choice,
      message,
    })),
  };
}
