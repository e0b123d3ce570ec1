// What every answer to a fuzz case must satisfy: it arrived in time, it is below 500
// unless the upstream sent a 5xx, an error is in the caller's dialect, a success is a
// well-formed body or a stream that ends properly, and what is not JSON gets a 4xx.
// Uploads cut off mid-body only need to end without a 5xx or a hang.
import type { Outcome } from "./deliver.js";
import { type FuzzCase, printable } from "./fuzz-case.js";
import type { ProviderKind } from "./valid-requests.js";

/** A broken property: a short class for grouping, and the evidence. */
export interface Violation {
  what: string;
  detail: string;
}

/** The class of an answer that never came. */
export const HANG = "no answer in time (hang)";

/** Judges one outcome; `upstreamFailed` is true when a mock sent a 5xx while the case was in flight. */
export function judge(fuzz: FuzzCase, outcome: Outcome, upstreamFailed: boolean): Violation | undefined {
  switch (outcome.kind) {
    case "timeout":
      return { what: HANG, detail: "" };
    case "transport-error":
      return { what: `no HTTP answer: ${outcome.message}`, detail: "" };
    case "closed":
    case "abandoned":
      return undefined;
    case "answer":
      return judgeAnswer(fuzz, outcome, upstreamFailed);
  }
}

function judgeAnswer(
  fuzz: FuzzCase,
  answer: Extract<Outcome, { kind: "answer" }>,
  upstreamFailed: boolean,
): Violation | undefined {
  const { status } = answer;
  const text = answer.body.toString("utf8");
  const evidence = `${status} ${answer.contentType}: ${printable(answer.body.subarray(0, 300))}`;
  const fail = (what: string): Violation => ({ what, detail: evidence });
  if (status >= 500) return upstreamFailed ? undefined : fail(`${status} that no upstream 5xx caused`);
  // An upload that never completed is refused by the HTTP layer before any route knows the
  // dialect (Node's bare 400); any 4xx, or just closing, is a fine answer to it.
  if (status >= 400 && fuzz.spec.delivery.kind !== "whole") return undefined;
  if (fuzz.expectation === "too-large" && status !== 413)
    return fail(`${status} to a body over 32 MiB, not 413`);
  if (fuzz.expectation === "client-error" && status < 400)
    return fail(`${status} to a body that is not JSON`);
  if (status >= 400) {
    const problem = dialectErrorProblem(fuzz.dialect, text);
    return problem ? fail(`${status} ${problem}`) : undefined;
  }
  if (status < 200 || status >= 300) return fail(`unexpected status ${status}`);
  const problem = answer.contentType.includes("text/event-stream")
    ? streamProblem(fuzz.dialect, text)
    : bodyProblem(fuzz.spec.endpoint, text);
  return problem ? fail(`${status} ${problem}`) : undefined;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Why an error body is not in the dialect's shape, or undefined when it is. */
function dialectErrorProblem(dialect: ProviderKind, text: string): string | undefined {
  const body = parse(text) as
    | { type?: unknown; error?: { type?: unknown; message?: unknown } | null }
    | undefined;
  if (typeof body !== "object" || body === null) return "error body is not a JSON object";
  const typed = typeof body.error?.type === "string" && typeof body.error?.message === "string";
  if (dialect === "anthropic") {
    return body.type === "error" && typed ? undefined : "error is not in the Anthropic shape";
  }
  return typed ? undefined : "error is not in the OpenAI shape";
}

/** Why a non-streamed success body is not what the endpoint returns. */
function bodyProblem(endpoint: FuzzCase["spec"]["endpoint"], text: string): string | undefined {
  const body = parse(text) as Record<string, unknown> | undefined;
  if (body === undefined || typeof body !== "object" || body === null) return "body is not a JSON object";
  if (endpoint === "/v1/messages/count_tokens") {
    return typeof body.input_tokens === "number" ? undefined : "count has no input_tokens";
  }
  if (endpoint === "/v1/messages") {
    return body.type === "message" && Array.isArray(body.content) ? undefined : "body is not a message";
  }
  return body.object === "chat.completion" && Array.isArray(body.choices)
    ? undefined
    : "body is not a completion";
}

interface SseBlock {
  event: string | undefined;
  data: string;
}

function sseBlocks(text: string): SseBlock[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== "")
    .flatMap((block) => {
      const lines = block.split(/\r?\n/).filter((line) => !line.startsWith(":"));
      if (lines.length === 0) return [];
      const event = lines
        .find((l) => l.startsWith("event:"))
        ?.slice(6)
        .trim();
      const data = lines
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).replace(/^ /, ""))
        .join("\n");
      return [{ event, data }];
    });
}

/** Why a stream is not a complete, well-formed stream of the dialect. */
function streamProblem(dialect: ProviderKind, text: string): string | undefined {
  if (!/\n\r?\n$/.test(text)) return "stream does not end at an event boundary";
  const blocks = sseBlocks(text);
  if (dialect === "anthropic") {
    const types: string[] = [];
    for (const block of blocks) {
      const payload = parse(block.data) as { type?: unknown } | undefined;
      if (typeof payload?.type !== "string")
        return `stream event is not JSON with a type: ${block.data.slice(0, 80)}`;
      if (block.event !== payload.type)
        return `event name ${block.event} differs from its type ${payload.type}`;
      if (payload.type !== "ping") types.push(payload.type);
    }
    if (!["message_start", "error"].includes(types[0] ?? ""))
      return `stream opens with ${types[0] ?? "nothing"}`;
    if (!["message_stop", "error"].includes(types.at(-1) ?? "")) return `stream ends with ${types.at(-1)}`;
    return undefined;
  }
  const data = blocks.map((b) => b.data);
  if (data.at(-1) !== "[DONE]") return "stream does not end with [DONE]";
  for (const item of data.slice(0, -1)) {
    const chunk = parse(item) as { choices?: unknown; error?: unknown } | undefined;
    if (!chunk || (!Array.isArray(chunk.choices) && typeof chunk.error !== "object")) {
      return `stream chunk is neither a chunk nor an error: ${item.slice(0, 80)}`;
    }
  }
  return data.length > 1 ? undefined : "stream has nothing before [DONE]";
}
