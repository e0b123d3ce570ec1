// A scripted Chat Completions upstream for one Codex turn: it streams a call to
// `exec_command` (arguments in fragments), then checks that the next request echoes the
// call and answers it with a `tool` message carrying the file, and streams the answer.
// Every request is read as a strict server would; what it would refuse is answered 400.
import type { ServerResponse } from "node:http";
import {
  type MockUpstream,
  openaiSse,
  type RecordedRequest,
  sseChunks,
  startMockUpstream,
} from "../helpers/mock-upstream.js";
import {
  answerText,
  type CodexScript,
  EXEC_ARGUMENTS,
  EXEC_TOOL,
  isScriptedCommand,
  translatedHeaderProblems,
} from "./codex-script.js";
import { chatRequestProblems } from "./openai-request-checks.js";
import { splitInsideMultibyte } from "./utf8-split.js";

/** A running scripted upstream. */
export interface MockChatCodexAgent {
  upstream: MockUpstream;
  /** Everything found wrong with the requests received; empty when all were valid. */
  problems: string[];
  /** The id of the tool call the upstream made. */
  callId: string;
  /** The usage each answer reports, to compare with what Codex counted. */
  usage: { promptTokens: number; completionTokens: number };
}

const CALL_ID = "call_Cx7pR2mVq9LtB4nZ8wKd1Hs6";
const CREATED = 1_764_626_100;
const PROMPT_TOKENS = 6_120;
const COMPLETION_TOKENS = 27;

/** The parts of a Chat Completions message the script reads. */
interface WireMessage {
  role?: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }>;
}

function chunkFactory(id: string, model: string) {
  return (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    id,
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
}

/** The usage chunk that `stream_options.include_usage` asks for: no choices. */
function usageChunk(id: string, model: string) {
  return {
    id,
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    choices: [],
    usage: {
      prompt_tokens: PROMPT_TOKENS,
      completion_tokens: COMPLETION_TOKENS,
      total_tokens: PROMPT_TOKENS + COMPLETION_TOKENS,
    },
  };
}

/** The call, its arguments cut into fragments of a few characters as vLLM streams them. */
function toolCallStream(model: string): string[] {
  const id = "chatcmpl-cx0ToolCall01";
  const chunk = chunkFactory(id, model);
  const fragments: string[] = [];
  for (let i = 0; i < EXEC_ARGUMENTS.length; i += 7) fragments.push(EXEC_ARGUMENTS.slice(i, i + 7));
  return openaiSse([
    chunk({ role: "assistant", content: "" }),
    chunk({
      tool_calls: [{ index: 0, id: CALL_ID, type: "function", function: { name: EXEC_TOOL, arguments: "" } }],
    }),
    ...fragments.map((fragment) => chunk({ tool_calls: [{ index: 0, function: { arguments: fragment } }] })),
    chunk({}, "tool_calls"),
    usageChunk(id, model),
  ]);
}

/** The answer in two deltas; a multi-byte character is split across network writes. */
function textStream(model: string, text: string): Array<string | Buffer> {
  const id = "chatcmpl-cx0Answer02";
  const chunk = chunkFactory(id, model);
  const half = Math.floor(text.length / 2);
  const lines = openaiSse([
    chunk({ role: "assistant", content: "" }),
    chunk({ content: text.slice(0, half) }),
    chunk({ content: text.slice(half) }),
    chunk({}, "stop"),
    usageChunk(id, model),
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

/** The second turn: the call is echoed by an assistant message and answered with the file. */
function toolTurnProblems(messages: WireMessage[], script: CodexScript): string[] {
  const out: string[] = [];
  const callIndex = messages.findIndex(
    (m) => m.role === "assistant" && m.tool_calls?.some((c) => c.id === CALL_ID),
  );
  const call = messages[callIndex]?.tool_calls?.find((c) => c.id === CALL_ID);
  if (!call) return [`no assistant message carries the tool call ${CALL_ID}`];
  if (call.function?.name !== EXEC_TOOL) out.push(`the echoed call names "${call.function?.name}"`);
  if (!isScriptedCommand(call.function?.arguments))
    out.push(`the echoed call's arguments are ${call.function?.arguments}`);
  const result = messages[callIndex + 1];
  if (result?.role !== "tool" || result.tool_call_id !== CALL_ID)
    out.push(`the message after the call is not a tool message answering ${CALL_ID}`);
  else if (!textOf(result.content).includes(script.fileContent)) {
    out.push(`the tool message does not carry the file: ${JSON.stringify(result.content).slice(0, 300)}`);
  }
  return out;
}

function requestProblems(req: RecordedRequest, script: CodexScript): string[] {
  const out: string[] = [];
  if (req.method !== "POST" || req.url !== "/v1/chat/completions")
    out.push(`unexpected ${req.method} ${req.url}`);
  out.push(...translatedHeaderProblems(req.headers, script));
  if (req.json === undefined) return [...out, "the body is not JSON"];
  out.push(...chatRequestProblems(req.json));
  if (req.json.model !== script.model) out.push(`model is ${JSON.stringify(req.json.model)}`);
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
export async function startMockChatCodexAgent(script: CodexScript): Promise<MockChatCodexAgent> {
  const problems: string[] = [];
  const upstream = await startMockUpstream(async (req, res, n) => {
    const found = requestProblems(req, script);
    const body = (req.json ?? {}) as { messages?: unknown; tools?: Array<{ function?: { name?: string } }> };
    const messages = (Array.isArray(body.messages) ? body.messages : []) as WireMessage[];
    const answersCall = messages.some((m) => m?.role === "tool" && m.tool_call_id === CALL_ID);
    if (answersCall) found.push(...toolTurnProblems(messages, script));
    else if (!body.tools?.some((t) => t.function?.name === EXEC_TOOL))
      found.push(`the first request offers no ${EXEC_TOOL} tool`);
    if (found.length > 0) {
      problems.push(...found.map((p) => `request ${n}: ${p}`));
      return refuse(res, found);
    }
    if (answersCall) return sseChunks(res, textStream(script.model, answerText(script)), 5);
    return sseChunks(res, toolCallStream(script.model), 5);
  });
  return {
    upstream,
    problems,
    callId: CALL_ID,
    usage: { promptTokens: PROMPT_TOKENS, completionTokens: COMPLETION_TOKENS },
  };
}
