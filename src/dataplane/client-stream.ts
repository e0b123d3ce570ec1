// How each client dialect's stream is framed, in one place: events and chunks to SSE text,
// the error event that ends a failed stream, keep-alive pings, the trailer, and which
// events are preamble (held back until the commit point, DESIGN §4) rather than content.
import {
  anthropicErrorBody,
  type ClientDialect,
  openaiErrorBody,
  openaiErrorType,
  statusOfAnthropicErrorType,
} from "../core/dialect-errors.js";
import {
  encodeAnthropicEvent,
  encodeComment,
  encodeOpenAIChunk,
  encodeSse,
  OPENAI_DONE,
} from "../sse/encode.js";

/** An error a stream reported in its own dialect, or that ended it. */
export interface StreamError {
  status: number;
  message: string;
}

/** The framing of one client dialect. */
export interface ClientStreamFraming {
  /** One event or chunk as SSE text. */
  encode(payload: object): string;
  /** The error event (and trailer) that ends a stream that failed after the commit point. */
  error(status: number, message: string): string;
  /** A keep-alive: an event for Anthropic clients (their watchdog ignores comments), a comment for OpenAI. */
  ping: string;
  /** What ends every stream of the dialect (`data: [DONE]` for OpenAI). */
  trailer: string;
  /** Whether a payload is preamble: nothing a user would see yet (message_start, ping, a role-only chunk). */
  isPreamble(payload: unknown): boolean;
  /** The error a payload reports, when it is an error event. */
  errorOf(payload: unknown): StreamError | undefined;
}

type Loose = Record<string, unknown>;

const anthropic: ClientStreamFraming = {
  encode: (payload) => encodeAnthropicEvent(payload as { type: string }),
  error: (status, message) => encodeAnthropicEvent(anthropicErrorBody(status, message)),
  ping: encodeAnthropicEvent({ type: "ping" }),
  trailer: "",
  isPreamble(payload) {
    const type = (payload as Loose | null)?.type;
    return type === "message_start" || type === "ping";
  },
  errorOf(payload) {
    const p = payload as Loose | null;
    if (p?.type !== "error") return undefined;
    const error = (p.error ?? {}) as Loose;
    const message = typeof error.message === "string" ? error.message : "the upstream reported an error";
    return { status: statusOfAnthropicErrorType(String(error.type ?? "")), message };
  },
};

const openai: ClientStreamFraming = {
  encode: (payload) => encodeOpenAIChunk(payload),
  error: (status, message) => encodeOpenAIChunk(openaiErrorBody(status, message)) + OPENAI_DONE,
  ping: encodeComment("ping"),
  trailer: OPENAI_DONE,
  isPreamble(payload) {
    const p = payload as Loose | null;
    if (!p || p.error !== undefined || p.usage) return false;
    const choices = p.choices;
    if (!Array.isArray(choices)) return false;
    // Loops, not every() over Object.entries(): this runs on every chunk a translated
    // stream sends to an OpenAI client, and the entries array was garbage each time.
    for (const choice of choices as Loose[]) {
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) return false;
      const delta = choice.delta as Loose | null | undefined;
      if (!delta) continue;
      for (const key in delta) {
        const value = delta[key];
        if (key !== "role" && value !== "" && value !== null) return false;
      }
    }
    return true;
  },
  errorOf(payload) {
    const p = payload as Loose | null;
    if (!p || p.error === undefined || p.error === null) return undefined;
    const error = (typeof p.error === "object" ? p.error : { message: p.error }) as Loose;
    const message = typeof error.message === "string" ? error.message : "the upstream reported an error";
    const code = Number(error.code);
    return { status: code >= 400 && code < 600 ? code : 500, message };
  },
};

/** Statuses a Responses failure code stands for (the rest count as a server error). */
const RESPONSES_CODE_STATUS: Record<string, number> = {
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  context_length_exceeded: 400,
  invalid_prompt: 400,
};

/** The error a Responses `error` or `response.failed` event reports. */
function responsesErrorOf(payload: unknown): StreamError | undefined {
  const p = payload as Loose | null;
  const type = p?.type;
  const error = (
    type === "response.failed" ? (p?.response as Loose | undefined)?.error : type === "error" ? p : undefined
  ) as Loose | undefined;
  if (!error) return undefined;
  const code = typeof error.code === "string" ? error.code : "";
  const message = typeof error.message === "string" ? error.message : "the upstream reported an error";
  return { status: RESPONSES_CODE_STATUS[code] ?? 500, message };
}

const responses: ClientStreamFraming = {
  // Responses streams name each event after its type, as Anthropic's do.
  encode: (payload) =>
    encodeSse({ event: (payload as { type: string }).type, data: JSON.stringify(payload) }),
  // The `error` event, with an `error` object the OpenAI SDK's stream raises on.
  error: (status, message) => {
    const type = openaiErrorType(status);
    const code = status === 429 ? "rate_limit_exceeded" : "server_error";
    const payload = {
      type: "error",
      code,
      message,
      param: null,
      error: { type, code, message, param: null },
    };
    return encodeSse({ event: "error", data: JSON.stringify(payload) });
  },
  ping: encodeComment("ping"),
  trailer: "",
  isPreamble(payload) {
    const type = (payload as Loose | null)?.type;
    return type === "response.created" || type === "response.in_progress" || type === "response.queued";
  },
  errorOf: responsesErrorOf,
};

/** The framing of a client dialect. */
export const CLIENT_STREAM: Record<ClientDialect, ClientStreamFraming> = { anthropic, openai, responses };
