// What a provider of each kind sends, in the real APIs' wire shapes: a correct answer cut
// into preamble, content steps and end (so a fault can stop after any of them), and the
// error bodies, context-length wordings and load-balancer page that failing providers send.
import { readFileSync } from "node:fs";
import { anthropicSse, openaiSse } from "./mock-upstream.js";
import { anthropicMessage, openaiCompletion } from "./wire.js";

/** The dialect a faulty upstream speaks. */
export type UpstreamKind = "openai" | "anthropic";

/** Whose words a context-length 400 uses; vLLM is the common self-hosted OpenAI-compatible server. */
export type ContextLengthWording = "openai" | "vllm" | "anthropic";

/** A response body cut where a fault can stop: nothing is content until `content[0]`. */
export interface Transcript {
  contentType: string;
  /** Frames a proxy holds back before its commit point (message_start, a role-only chunk). */
  preamble: string[];
  /** One write per step that carries text the user would see. */
  content: string[];
  end: string[];
}

/** What the request asked for that shapes the answer. */
export interface AnswerRequest {
  kind: UpstreamKind;
  stream: boolean;
  model: string;
  text: string;
  /** OpenAI only: the request's `stream_options.include_usage`. */
  includeUsage: boolean;
}

/** The text cut into word-sized deltas, so a stream has several content steps. */
function pieces(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [text];
}

function anthropicStream(req: AnswerRequest): Transcript {
  const parts = pieces(req.text);
  const usage = { input_tokens: 12, output_tokens: 1 };
  const start = anthropicMessage({ model: req.model, content: [], stop_reason: null, usage });
  const frame = (event: { type: string } & Record<string, unknown>) => anthropicSse([event]).join("");
  const delta = (text: string) =>
    frame({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } });
  // The block opens with the first text, as the real API sends it (start, ping, delta).
  const opening = frame({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
  return {
    contentType: "text/event-stream; charset=utf-8",
    preamble: [frame({ type: "message_start", message: start })],
    content: parts.map((part, i) => (i === 0 ? opening + frame({ type: "ping" }) : "") + delta(part)),
    end: [
      frame({ type: "content_block_stop", index: 0 }),
      frame({
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: parts.length },
      }),
      frame({ type: "message_stop" }),
    ],
  };
}

function openaiStream(req: AnswerRequest): Transcript {
  // With include_usage every chunk carries `usage: null` and a last chunk with no choices carries it.
  const usage = req.includeUsage ? { usage: null } : {};
  const base = {
    id: "chatcmpl-faulty",
    object: "chat.completion.chunk",
    created: 1741569952,
    model: req.model,
  };
  const chunk = (delta: object, finish: string | null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...usage,
  });
  const data = (payload: object) => `data: ${JSON.stringify(payload)}\n\n`;
  const last: object[] = [chunk({}, "stop")];
  if (req.includeUsage)
    last.push({
      ...base,
      choices: [],
      usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 },
    });
  return {
    contentType: "text/event-stream; charset=utf-8",
    preamble: [data(chunk({ role: "assistant", content: "", refusal: null }, null))],
    content: pieces(req.text).map((part) => data(chunk({ content: part }, null))),
    end: openaiSse(last),
  };
}

function jsonAnswer(req: AnswerRequest): Transcript {
  const body =
    req.kind === "anthropic"
      ? anthropicMessage({ model: req.model, content: [{ type: "text", text: req.text }] })
      : openaiCompletion({
          model: req.model,
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: req.text, refusal: null, annotations: [] },
              logprobs: null,
              finish_reason: "stop",
            },
          ],
        });
  // Thirds, so a fault can stop mid-body as it can mid-stream.
  const text = JSON.stringify(body);
  const third = Math.ceil(text.length / 3);
  return {
    contentType: "application/json",
    preamble: [],
    content: [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)],
    end: [],
  };
}

/** The correct answer to a request, cut into steps. */
export function answerTranscript(req: AnswerRequest): Transcript {
  if (!req.stream) return jsonAnswer(req);
  return req.kind === "anthropic" ? anthropicStream(req) : openaiStream(req);
}

const ANTHROPIC_ERRORS: Record<number, [type: string, message: string]> = {
  400: ["invalid_request_error", "messages: at least one message is required"],
  401: ["authentication_error", "invalid x-api-key"],
  403: ["permission_error", "Your API key does not have permission to use the specified resource."],
  404: ["not_found_error", "model: claude-faulty-404"],
  429: ["rate_limit_error", "This request would exceed the rate limit for your organization."],
  500: ["api_error", "Internal server error"],
  503: ["api_error", "Service unavailable"],
  529: ["overloaded_error", "Overloaded"],
};

const OPENAI_ERRORS: Record<number, [type: string, code: string | null, message: string]> = {
  400: ["invalid_request_error", null, "Missing required parameter: 'messages'."],
  401: [
    "invalid_request_error",
    "invalid_api_key",
    "Incorrect API key provided: sk-fault***. You can find your API key at https://platform.openai.com/account/api-keys.",
  ],
  404: ["invalid_request_error", "model_not_found", "The model `gpt-faulty-404` does not exist."],
  429: [
    "requests",
    "rate_limit_exceeded",
    "Rate limit reached for gpt-4.1 in organization org-faulty on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.",
  ],
  500: ["server_error", null, "The server had an error while processing your request. Sorry about that!"],
  503: ["server_error", null, "The engine is currently overloaded, please try again later"],
};

/** The error JSON a provider of `kind` answers `status` with. */
export function errorBody(kind: UpstreamKind, status: number): object {
  if (kind === "anthropic") {
    const [type, message] = ANTHROPIC_ERRORS[status] ?? [
      status >= 500 ? "api_error" : "invalid_request_error",
      `HTTP ${status}`,
    ];
    return { type: "error", error: { type, message }, request_id: "req_011CSHfaultyUpstream" };
  }
  const [type, code, message] = OPENAI_ERRORS[status] ?? [
    status >= 500 ? "server_error" : "invalid_request_error",
    null,
    `HTTP ${status}`,
  ];
  return { error: { message, type, param: null, code } };
}

/** The message of each context-length wording, exactly as the provider words it. */
export const CONTEXT_LENGTH_MESSAGES: Record<ContextLengthWording, string> = {
  openai:
    "This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.",
  vllm: "This model's maximum context length is 32768 tokens. However, your request has 40123 input tokens. Please reduce the length of the input messages.",
  anthropic: "prompt is too long: 208423 tokens > 200000 maximum",
};

/** The 400 body of a context-length error in a wording. */
export function contextLengthBody(wording: ContextLengthWording): object {
  const message = CONTEXT_LENGTH_MESSAGES[wording];
  if (wording === "anthropic")
    return {
      type: "error",
      error: { type: "invalid_request_error", message },
      request_id: "req_011CSHfaultyUpstream",
    };
  if (wording === "vllm")
    return { error: { message, type: "BadRequestError", param: "input_tokens", code: 400 } };
  return {
    error: { message, type: "invalid_request_error", param: "messages", code: "context_length_exceeded" },
  };
}

const FIXTURES = new URL("../fixtures/", import.meta.url);

/** The HTML page a load balancer in front of a provider of `kind` answers 502 with (a fixture). */
export function badGatewayPage(kind: UpstreamKind): string {
  return readFileSync(new URL(`${kind}/error-502.html`, FIXTURES), "utf8");
}
