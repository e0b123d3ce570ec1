// Loads this direction's wire captures and replays streams through a translator, plus a
// small accumulator that rebuilds the message an Anthropic client would see.
import { readFile } from "node:fs/promises";
import { decodeSse } from "../../../../src/sse/decode.js";
import type { AnthropicStreamEvent } from "../../../../src/translate/anthropic-to-openai/index.js";
import type { StreamTranslator } from "../../../../src/translate/types.js";

const FIXTURES = new URL("../../../fixtures/", import.meta.url);

/** A fixture's text. */
export function readFixture(path: string): Promise<string> {
  return readFile(new URL(path, FIXTURES), "utf8");
}

/** A `.json` fixture, parsed. */
export async function readJsonFixture<T = unknown>(path: string): Promise<T> {
  return JSON.parse(await readFixture(path)) as T;
}

async function* asStream(text: string): AsyncGenerator<string> {
  yield text;
}

/** The JSON payloads of an OpenAI `.sse` fixture, decoded as the data plane does (no `[DONE]`). */
export async function readSseChunks(path: string): Promise<unknown[]> {
  const text = await readFixture(path);
  const chunks: unknown[] = [];
  for await (const event of decodeSse(asStream(text))) {
    if (event.data.trim() === "[DONE]") break;
    chunks.push(JSON.parse(event.data));
  }
  return chunks;
}

/** Pushes every chunk, then ends the stream; returns all events in order. */
export function replay(translator: StreamTranslator<unknown, AnthropicStreamEvent>, chunks: unknown[]) {
  const events: AnthropicStreamEvent[] = [];
  for (const chunk of chunks) events.push(...translator.push(chunk));
  events.push(...translator.end());
  return events;
}

/** A content block rebuilt from stream events; tool inputs are parsed from the joined JSON. */
export type RebuiltBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "tool_use"; id: string; name: string; input: unknown; json: string }
  | { type: string; [key: string]: unknown };

/** Rebuilds the content blocks the way an Anthropic SDK accumulates them. */
export function rebuild(events: AnthropicStreamEvent[]): RebuiltBlock[] {
  const blocks: RebuiltBlock[] = [];
  const json: string[] = [];
  for (const event of events) {
    if (event.type === "content_block_start") {
      blocks[event.index] = structuredClone(event.content_block) as RebuiltBlock;
      json[event.index] = "";
    } else if (event.type === "content_block_delta") {
      const block = blocks[event.index] as Record<string, unknown>;
      const d = event.delta;
      if (d.type === "text_delta") block.text = `${block.text as string}${d.text}`;
      else if (d.type === "thinking_delta") block.thinking = `${block.thinking as string}${d.thinking}`;
      else if (d.type === "signature_delta") block.signature = d.signature;
      else if (d.type === "input_json_delta") json[event.index] += d.partial_json;
      else if (d.type === "citations_delta") (block.citations as unknown[]).push(d.citation);
    } else if (event.type === "content_block_stop") {
      const block = blocks[event.index] as Record<string, unknown>;
      if (block.type === "tool_use" || block.type === "server_tool_use") {
        block.json = json[event.index];
        block.input = JSON.parse(json[event.index] || "{}");
      }
    }
  }
  return blocks;
}
