// This direction's wire captures, replays through the stream translator, and the openai
// SDK's own Responses stream reader run over the translator's output on a real socket.
import OpenAI from "openai";
import { encodeSse } from "../../../../src/sse/encode.js";
import {
  type ResponsesContext,
  type ResponsesRequest,
  type ResponsesStreamEvent,
  translateRequest,
} from "../../../../src/translate/responses-to-openai/index.js";
import type { StreamTranslator } from "../../../../src/translate/types.js";
import { sseChunks, startMockUpstream } from "../../../helpers/mock-upstream.js";

export { readFixture, readJsonFixture, readSseChunks } from "../anthropic-to-openai/fixtures.js";

/** Unix seconds every test context uses when an upstream answer carries no `created`. */
export const CREATED_AT = 1_764_626_000;

/** The context of a translated request, as the data plane would keep it. */
export function contextFor(request: ResponsesRequest, upstreamModel = "gpt-4.1"): ResponsesContext {
  return translateRequest(request, { upstreamModel, createdAt: CREATED_AT }).ctx;
}

/** Pushes every chunk, then ends the stream; returns all events in order. */
export function replay(translator: StreamTranslator<unknown, ResponsesStreamEvent>, chunks: unknown[]) {
  const events: ResponsesStreamEvent[] = [];
  for (const chunk of chunks) events.push(...translator.push(chunk));
  events.push(...translator.end());
  return events;
}

/** Events as the Responses API frames them: `event:` names the type, `data:` holds the JSON. */
export function toSse(events: ResponsesStreamEvent[]): string {
  return events.map((event) => encodeSse({ event: event.type, data: JSON.stringify(event) })).join("");
}

/** The fields the SDK adds on its own (`output_text`, parse results), removed for comparison. */
export function withoutSdkFields(response: unknown): unknown {
  const { output_text: _text, output_parsed: _parsed, ...rest } = response as Record<string, unknown>;
  const output = (rest.output as Array<Record<string, unknown>>).map((item) => {
    const { parsed_arguments: _args, ...kept } = item;
    if (!Array.isArray(kept.content)) return kept;
    return {
      ...kept,
      content: kept.content.map((part: Record<string, unknown>) => {
        const { parsed: _p, ...plain } = part;
        return plain;
      }),
    };
  });
  return { ...rest, output };
}

/** What the SDK's `responses.stream()` makes of a stream: its final response, or the error it raised. */
export async function sdkStream(
  sse: string,
): Promise<{ final?: unknown; error?: Error; events: Array<{ type: string }>; snapshots: string[] }> {
  const server = await startMockUpstream((_req, res) => sseChunks(res, [sse]));
  const client = new OpenAI({ apiKey: "sk-test", baseURL: `${server.url}/v1`, maxRetries: 0 });
  const events: Array<{ type: string }> = [];
  const snapshots: string[] = [];
  try {
    const stream = client.responses.stream({ model: "gpt-5.1-codex", input: "read note.txt" });
    stream.on("event", (event) => events.push(event));
    // The SDK's own running accumulation of a call's arguments, as its users see it.
    stream.on("response.function_call_arguments.delta", (event) => snapshots.push(event.snapshot));
    return { final: await stream.finalResponse(), events, snapshots };
  } catch (error) {
    return { error: error as Error, events, snapshots };
  } finally {
    await server.close();
  }
}

/** The event types a plain `responses.create({stream: true})` iteration yields, and the error it throws. */
export async function sdkRawStream(sse: string): Promise<{ types: string[]; error?: Error }> {
  const server = await startMockUpstream((_req, res) => sseChunks(res, [sse]));
  const client = new OpenAI({ apiKey: "sk-test", baseURL: `${server.url}/v1`, maxRetries: 0 });
  const types: string[] = [];
  try {
    const stream = await client.responses.create({
      model: "gpt-5.1-codex",
      input: "read note.txt",
      stream: true,
    });
    for await (const event of stream) types.push(event.type);
    return { types };
  } catch (error) {
    return { types, error: error as Error };
  } finally {
    await server.close();
  }
}
