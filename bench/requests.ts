// What the load generator sends: a small chat request or an agent conversation in a target's client
// dialect, with the headers and model naming that target wants; the same bytes otherwise, whichever
// target it is aimed at.
import type { RequestSpec } from "./protocol.js";
import type { Target } from "./targets.js";

/** The byte that opens every content delta of a mock answer; its first arrival is the stream's TTFT. */
export const DELTA_MARK = "~";

/** The client dialects the bench drives. */
export type ClientDialect = "openai" | "anthropic";

const SYSTEM = "You are a concise assistant for a platform team. Answer in plain prose.";
const QUESTION =
  "Our gateway forwards chat requests to two providers. Explain in three sentences how a " +
  "circuit breaker decides when to stop sending traffic to a failing provider, and when to try again.";

/** The model name that tells the mock how long to wait (plain) or to space deltas (streams). */
export function benchModel(delayMs: number): string {
  return `bench-d${Math.max(0, Math.round(delayMs))}`;
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
  return JSON.stringify({
    model,
    max_tokens: 256,
    stream,
    system: SYSTEM,
    messages: [{ role: "user", content: QUESTION }],
  });
}

/** The path and headers a client of `target` sends, key included. */
export function clientHeaders(target: Target): { path: string; headers: Record<string, string> } {
  const auth: Record<string, string> =
    target.dialect === "openai"
      ? { authorization: `Bearer ${target.apiKey}` }
      : { "x-api-key": target.apiKey, "anthropic-version": "2023-06-01" };
  return {
    path: target.dialect === "openai" ? "/v1/chat/completions" : "/v1/messages",
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
}): RequestSpec {
  const { target, stream } = options;
  const model = target.model ? target.model(benchModel(options.delayMs)) : benchModel(options.delayMs);
  const body = options.body ? options.body(model) : smallBody({ dialect: target.dialect, model, stream });
  return { origin: target.origin, ...clientHeaders(target), body, stream };
}
