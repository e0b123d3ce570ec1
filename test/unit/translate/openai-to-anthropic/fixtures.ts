// Loads the recorded wire fixtures these tests run on: JSON bodies, and SSE transcripts
// decoded with the proxy's own decoder into the parsed event objects a translator sees.
import { readFile } from "node:fs/promises";
import { decodeSse } from "../../../../src/sse/decode.js";
import type { SseEvent } from "../../../../src/sse/event.js";

const FIXTURES = new URL("../../../fixtures/", import.meta.url);

/** A fixture file's text, e.g. `anthropic/error-502.html`. */
export function fixtureText(path: string): Promise<string> {
  return readFile(new URL(path, FIXTURES), "utf8");
}

/** A JSON fixture, parsed. */
export async function fixtureJson<T>(path: string): Promise<T> {
  return JSON.parse(await fixtureText(path)) as T;
}

/** The raw events of an SSE fixture. */
export async function fixtureSseEvents(path: string): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of decodeSse([await fixtureText(path)])) events.push(event);
  return events;
}

/** The parsed `data` objects of an SSE fixture, as the pipeline pushes them. */
export async function fixtureSse(path: string): Promise<unknown[]> {
  return (await fixtureSseEvents(path)).map((e) => JSON.parse(e.data) as unknown);
}
