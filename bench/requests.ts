// What the load generator sends: one realistic chat request per client dialect, aimed
// either straight at the mock upstream or at Parley, byte-identical either way.
import type { RequestSpec } from "./protocol.js";

/** The first content token of every mock answer; its arrival is the stream's TTFB. */
export const FIRST_TOKEN = "Bonjour";

/** The client dialects the bench drives. */
export type ClientDialect = "openai" | "anthropic";

const SYSTEM = "You are a concise assistant for a platform team. Answer in plain prose.";
const QUESTION =
  "Our gateway forwards chat requests to two providers. Explain in three sentences how a " +
  "circuit breaker decides when to stop sending traffic to a failing provider, and when to try again.";

/** The model name that tells the mock how long to pause between stream chunks. */
export function benchModel(chunkDelayMs: number): string {
  return `bench-d${Math.max(0, Math.round(chunkDelayMs))}`;
}

/** A request in the given dialect to `origin` (the mock or Parley). */
export function clientRequest(options: {
  dialect: ClientDialect;
  origin: string;
  stream: boolean;
  chunkDelayMs: number;
  apiKey: string;
}): RequestSpec {
  const model = benchModel(options.chunkDelayMs);
  const common = { origin: options.origin, stream: options.stream, marker: FIRST_TOKEN };
  if (options.dialect === "openai") {
    return {
      ...common,
      path: "/v1/chat/completions",
      headers: { "content-type": "application/json", authorization: `Bearer ${options.apiKey}` },
      body: JSON.stringify({
        model,
        max_tokens: 256,
        stream: options.stream,
        messages: [
          { role: "system", content: SYSTEM },
          { role: "user", content: QUESTION },
        ],
      }),
    };
  }
  return {
    ...common,
    path: "/v1/messages",
    headers: {
      "content-type": "application/json",
      "x-api-key": options.apiKey,
      "anthropic-version": "2023-06-01",
    },
    body: JSON.stringify({
      model,
      max_tokens: 256,
      stream: options.stream,
      system: SYSTEM,
      messages: [{ role: "user", content: QUESTION }],
    }),
  };
}
