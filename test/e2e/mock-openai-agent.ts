// A scripted OpenAI-compatible upstream for one agent turn: it asks the client to `Read`
// a file (a streamed tool call, arguments in fragments), then checks that the next request
// carries that file back as a proper `tool` message and answers with its content. Every
// request is read strictly; what a real server would refuse is answered 400 and recorded.
import type { ServerResponse } from "node:http";
import {
  type MockUpstream,
  openaiSse,
  type RecordedRequest,
  sseChunks,
  startMockUpstream,
} from "../helpers/mock-upstream.js";
import { chatRequestProblems } from "./openai-request-checks.js";
import { splitInsideMultibyte } from "./utf8-split.js";

/** What the scripted conversation is about. */
export interface OpenAIAgentScript {
  /** The absolute path the tool call asks Claude Code to read. */
  filePath: string;
  /** The file's content, which must come back in the `tool` message. */
  fileContent: string;
  /** The model the upstream must be asked for (after Parley's mapping). */
  model: string;
  /** The provider key Parley must send. */
  apiKey: string;
}

/** A running scripted upstream. */
export interface MockOpenAIAgent {
  upstream: MockUpstream;
  /** Everything found wrong with the requests received; empty when all were valid. */
  problems: string[];
  /** The id of the tool call the upstream made. */
  callId: string;
}

/** The id of the scripted call, in the shape OpenAI uses. */
const CALL_ID = "call_Xk2mQ9vT4bLp7RzN1cWf8Hd3";
const CREATED = 1_732_400_000;
const FINGERPRINT = "fp_e2e0ba0d124f";

type Delta = Record<string, unknown>;

/** The parts of a Chat Completions message the script reads. */
interface WireMessage {
  role?: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }>;
}

function chunkFactory(id: string, model: string) {
  return (delta: Delta, finishReason: string | null = null) => ({
    id,
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    service_tier: "default",
    system_fingerprint: FINGERPRINT,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage: null,
  });
}

function usageChunk(id: string, model: string, completionTokens: number) {
  return {
    id,
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    service_tier: "default",
    system_fingerprint: FINGERPRINT,
    choices: [],
    usage: {
      prompt_tokens: 1843,
      completion_tokens: completionTokens,
      total_tokens: 1843 + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
  };
}

/** The tool call, its arguments cut into fragments of a few characters. */
function toolCallStream(model: string, filePath: string): string[] {
  const id = "chatcmpl-e2eToolCall01";
  const chunk = chunkFactory(id, model);
  const args = JSON.stringify({ file_path: filePath });
  const fragments: string[] = [];
  for (let i = 0; i < args.length; i += 9) fragments.push(args.slice(i, i + 9));
  return openaiSse([
    chunk({ role: "assistant", content: null, refusal: null }),
    chunk({
      tool_calls: [{ index: 0, id: CALL_ID, type: "function", function: { name: "Read", arguments: "" } }],
    }),
    ...fragments.map((fragment) => chunk({ tool_calls: [{ index: 0, function: { arguments: fragment } }] })),
    chunk({}, "tool_calls"),
    usageChunk(id, model, 24),
  ]);
}

/** A text answer in a few deltas; a multi-byte character is split across network writes. */
function textStream(model: string, text: string): Array<string | Buffer> {
  const id = "chatcmpl-e2eAnswer02";
  const chunk = chunkFactory(id, model);
  const half = Math.floor(text.length / 2);
  const lines = openaiSse([
    chunk({ role: "assistant", content: "", refusal: null }),
    chunk({ content: text.slice(0, half) }),
    chunk({ content: text.slice(half) }),
    chunk({}, "stop"),
    usageChunk(id, model, 31),
  ]);
  return lines.flatMap((line) => splitInsideMultibyte(line));
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: { text?: unknown } | null) => (typeof part?.text === "string" ? part.text : ""))
    .join("");
}

function parseArguments(text: string | undefined): { file_path?: unknown } {
  try {
    return JSON.parse(text ?? "");
  } catch {
    return {};
  }
}

/** The checks the second turn must pass: the call is echoed and answered with the file. */
function toolTurnProblems(messages: WireMessage[], script: OpenAIAgentScript): string[] {
  const out: string[] = [];
  const callIndex = messages.findIndex(
    (m) => m.role === "assistant" && m.tool_calls?.some((c) => c.id === CALL_ID),
  );
  const call = messages[callIndex]?.tool_calls?.find((c) => c.id === CALL_ID);
  if (!call) return [`no assistant message carries the tool call ${CALL_ID}`];
  if (call.function?.name !== "Read") out.push(`the echoed call names "${call.function?.name}", not Read`);
  const args = parseArguments(call.function?.arguments);
  if (args.file_path !== script.filePath) out.push(`the echoed call reads ${String(args.file_path)}`);
  const result = messages.slice(callIndex + 1).find((m) => m.role === "tool" && m.tool_call_id === CALL_ID);
  if (!result) out.push(`no tool message answers ${CALL_ID}`);
  else if (!textOf(result.content).includes(script.fileContent)) {
    out.push(
      `the tool message does not carry the file content: ${JSON.stringify(result.content).slice(0, 300)}`,
    );
  }
  return out;
}

function requestProblems(req: RecordedRequest, script: OpenAIAgentScript): string[] {
  const out: string[] = [];
  if (req.method !== "POST" || req.url !== "/v1/chat/completions")
    out.push(`unexpected ${req.method} ${req.url}`);
  if (req.headers.authorization !== `Bearer ${script.apiKey}`) {
    out.push(`authorization is ${JSON.stringify(req.headers.authorization)}, not the provider key`);
  }
  for (const name of Object.keys(req.headers)) {
    if (name === "x-api-key" || name.startsWith("anthropic-")) out.push(`the header ${name} leaked upstream`);
  }
  if (req.json === undefined) return [...out, "the body is not JSON"];
  out.push(...chatRequestProblems(req.json));
  if (req.json.model !== script.model)
    out.push(`model is ${JSON.stringify(req.json.model)}, not ${script.model}`);
  if (req.json.stream !== true) out.push("stream is not true");
  return out;
}

function refuse(res: ServerResponse, problems: string[]): void {
  res.writeHead(400, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      error: { message: problems.join("; "), type: "invalid_request_error", param: null, code: null },
    }),
  );
}

/** Starts the scripted upstream on an ephemeral port. */
export async function startMockOpenAIAgent(script: OpenAIAgentScript): Promise<MockOpenAIAgent> {
  const problems: string[] = [];
  const upstream = await startMockUpstream(async (req, res, n) => {
    const found = requestProblems(req, script);
    const body = (req.json ?? {}) as { messages?: unknown; tools?: Array<{ function?: { name?: string } }> };
    const messages = (Array.isArray(body.messages) ? body.messages : []) as WireMessage[];
    const answersCall = messages.some((m) => m?.role === "tool" && m.tool_call_id === CALL_ID);
    if (answersCall) found.push(...toolTurnProblems(messages, script));
    if (found.length > 0) {
      problems.push(...found.map((p) => `request ${n}: ${p}`));
      return refuse(res, found);
    }
    const offersRead = body.tools?.some((t) => t.function?.name === "Read") === true;
    if (answersCall)
      return sseChunks(res, textStream(script.model, `The file says: ${script.fileContent}`), 5);
    if (offersRead) return sseChunks(res, toolCallStream(script.model, script.filePath), 5);
    // A side request of the client (none expected with non-essential traffic off).
    return sseChunks(res, textStream(script.model, "ok ✓"), 0);
  });
  return { upstream, problems, callId: CALL_ID };
}
