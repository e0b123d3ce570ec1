// Runs recorded Anthropic streams through this direction's stream translator, and writes
// its events as the SSE a Responses client reads (`event: <type>`, one `data:` line each).
import { encodeSse } from "../../../../src/sse/encode.js";
import {
  createStreamTranslator,
  type ResponsesContext,
  type ResponsesStreamEvent,
} from "../../../../src/translate/responses-to-anthropic/index.js";
import { fixtureSse } from "../openai-to-anthropic/fixtures.js";

/** The context the stream tests share. */
export const CTX: ResponsesContext = { clientModel: "gpt-5-codex", upstreamModel: "claude-sonnet-4-5" };

/** Pushes every payload through a fresh translator, end() included. */
export function translateEvents(payloads: unknown[], ctx: ResponsesContext = CTX): ResponsesStreamEvent[] {
  const translator = createStreamTranslator(ctx);
  const out = payloads.flatMap((payload) => translator.push(payload));
  return [...out, ...translator.end()];
}

/** A whole fixture (`anthropic/stream-thinking.sse`, `responses/…`) through a fresh translator. */
export async function translateFixture(
  path: string,
  ctx: ResponsesContext = CTX,
): Promise<ResponsesStreamEvent[]> {
  return translateEvents(await fixtureSse(path), ctx);
}

/** The events as a Responses SSE body. */
export function toSse(events: ResponsesStreamEvent[]): string {
  return events.map((event) => encodeSse({ event: event.type, data: JSON.stringify(event) })).join("");
}
