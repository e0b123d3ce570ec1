// What the load generator sends: a small chat request or an agent conversation in a target's client
// dialect, with the headers and model naming that target wants; the same bytes otherwise, whichever
// target it is aimed at.
import type { RequestSpec } from "./protocol.js";
import type { Target } from "./targets.js";

/** The byte that opens every content delta of a mock answer; its first arrival is the stream's TTFT. */
export const DELTA_MARK = "~";

/** The client dialects the bench drives. */
export type ClientDialect = "openai" | "anthropic" | "responses";

/** The dialects the mock upstream speaks: a Responses client is measured against the Chat Completions one. */
export type UpstreamDialect = Exclude<ClientDialect, "responses">;

/** The mock's dialect that `dialect`'s references are taken in (there is no Responses mock). */
export function referenceDialect(dialect: ClientDialect): UpstreamDialect {
  return dialect === "responses" ? "openai" : dialect;
}

/**
 * The bytes just before a mark that opens a content delta, for dialects whose streams repeat the
 * whole text in later events (Responses' `output_text.done`, `content_part.done`, `output_item.done`
 * and `response.completed`): only marks right after `"delta":"` are deltas there.
 */
export function deltaPrefixOf(dialect: ClientDialect): string | undefined {
  return dialect === "responses" ? '"delta":"' : undefined;
}

const SYSTEM = "You are a concise assistant for a platform team. Answer in plain prose.";
const QUESTION =
  "Our gateway forwards chat requests to two providers. Explain in three sentences how a " +
  "circuit breaker decides when to stop sending traffic to a failing provider, and when to try again.";

/** The model name that tells the mock how long to wait (plain) or to space deltas (streams). */
export function benchModel(delayMs: number, options: { timed?: boolean } = {}): string {
  return `bench-d${Math.max(0, Math.round(delayMs))}${options.timed ? MOCK_TIMED_SUFFIX : ""}`;
}

/**
 * A model name ending in this asks the mock to put its own processing time (from the request's
 * last body byte to its answer, in µs) at the start of a plain answer's text: `mock-us=123;`.
 */
export const MOCK_TIMED_SUFFIX = "-t";

/** The mock's own time a timed answer reports, in µs, or undefined if the text carries none. */
export function mockMicrosIn(text: string): number | undefined {
  const match = /mock-us=(\d+);/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The body of a one-question request in `dialect` (a system prompt and one user turn). */
export function smallBody(options: { dialect: ClientDialect; model: string; stream: boolean }): string {
  const { dialect, model, stream } = options;
  if (dialect === "openai") {
    return JSON.stringify({
      model,
      max_tokens: 256,
      stream,
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: QUESTION },
      ],
    });
  }
  if (dialect === "responses") {
    return JSON.stringify({
      model,
      max_output_tokens: 256,
      stream,
      instructions: SYSTEM,
      input: [{ role: "user", content: QUESTION }],
    });
  }
  return JSON.stringify({
    model,
    max_tokens: 256,
    stream,
    system: SYSTEM,
    messages: [{ role: "user", content: QUESTION }],
  });
}

const PATHS: Record<ClientDialect, string> = {
  openai: "/v1/chat/completions",
  anthropic: "/v1/messages",
  responses: "/v1/responses",
};

/** The path and headers a client of `target` sends, key included. */
export function clientHeaders(target: Target): { path: string; headers: Record<string, string> } {
  const auth: Record<string, string> =
    target.dialect === "anthropic"
      ? { "x-api-key": target.apiKey, "anthropic-version": "2023-06-01" }
      : { authorization: `Bearer ${target.apiKey}` };
  return {
    path: PATHS[target.dialect],
    headers: { "content-type": "application/json", ...auth, ...target.headers },
  };
}

/**
 * A request to `target`. `body` builds the JSON body from the model name the target wants, so a
 * peer that routes by `provider,model` gets the same bytes apart from that name.
 */
export function targetRequest(options: {
  target: Target;
  stream: boolean;
  delayMs: number;
  body?: (model: string) => string;
  /** Ask the mock for its own time, and leave it out of each latency (see MOCK_TIMED_SUFFIX). */
  mockTimed?: boolean;
}): RequestSpec {
  const { target, stream } = options;
  const name = benchModel(options.delayMs, { timed: options.mockTimed === true });
  const model = target.model ? target.model(name) : name;
  const body = options.body ? options.body(model) : smallBody({ dialect: target.dialect, model, stream });
  const deltaPrefix = deltaPrefixOf(target.dialect);
  return {
    origin: target.origin,
    ...clientHeaders(target),
    body,
    stream,
    ...(deltaPrefix === undefined ? {} : { deltaPrefix }),
    ...(options.mockTimed ? { mockTimed: true } : {}),
  };
}
