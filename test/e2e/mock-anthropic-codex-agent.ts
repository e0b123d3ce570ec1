// A scripted Anthropic Messages upstream for one Codex turn, in the API's exact SSE format:
// it streams a `tool_use` of `exec_command` (input in input_json_delta fragments), then
// checks that the next request answers it with a `tool_result` carrying the file, and
// streams the answer. What the real API would refuse is answered 400 and recorded.
import type { ServerResponse } from "node:http";
import {
  anthropicSse,
  type MockUpstream,
  type RecordedRequest,
  sseChunks,
  startMockUpstream,
} from "../helpers/mock-upstream.js";
import { anthropicRequestProblems } from "../helpers/strict-upstreams.js";
import {
  answerText,
  type CodexScript,
  EXEC_ARGUMENTS,
  EXEC_TOOL,
  isScriptedCommand,
  translatedHeaderProblems,
} from "./codex-script.js";
import { splitInsideMultibyte } from "./utf8-split.js";

/** A running scripted upstream. */
export interface MockAnthropicCodexAgent {
  upstream: MockUpstream;
  /** Everything found wrong with the requests received; empty when all were valid. */
  problems: string[];
  /** The id of the `tool_use` block the upstream sent. */
  toolUseId: string;
  /** The usage each answer reports, to compare with what Codex counted. */
  usage: { inputTokens: number; cacheReadTokens: number; outputTokens: number };
}

const TOOL_USE_ID = "toolu_01Cx9RtWq2ZpLm4Vb7Nd8Ks3";
const SIGNATURE = "EqQBCkgIBxABGAIiQCx9SignatureBytesOnlyTheApiCanVerify+/==";
const INPUT_TOKENS = 5_310;
const CACHE_READ_TOKENS = 800;
const OUTPUT_TOKENS = 41;

/** The parts of a Messages request the script reads. */
interface WireMessage {
  role?: string;
  content?: unknown;
}

interface WireBlock {
  type?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
  text?: string;
}

function blocks(message: WireMessage | undefined): WireBlock[] {
  return Array.isArray(message?.content) ? (message.content as WireBlock[]) : [];
}

function messageStart(id: string, model: string) {
  return {
    type: "message_start",
    message: {
      id,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: INPUT_TOKENS,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: CACHE_READ_TOKENS,
        output_tokens: 1,
        service_tier: "standard",
      },
    },
  };
}

function messageEnd(stopReason: string) {
  return [
    {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: {
        input_tokens: INPUT_TOKENS,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: CACHE_READ_TOKENS,
        output_tokens: OUTPUT_TOKENS,
      },
    },
    { type: "message_stop" },
  ];
}

/** A signed thinking block, as the API streams one when thinking is on. */
function thinkingEvents(index: number) {
  return [
    { type: "content_block_start", index, content_block: { type: "thinking", thinking: "", signature: "" } },
    {
      type: "content_block_delta",
      index,
      delta: { type: "thinking_delta", thinking: "cat prints the note." },
    },
    { type: "content_block_delta", index, delta: { type: "signature_delta", signature: SIGNATURE } },
    { type: "content_block_stop", index },
  ];
}

/** A sentence, then the call with its input cut into fragments of a few characters. */
function toolUseStream(model: string, thinking: boolean): string[] {
  const fragments: string[] = [];
  for (let i = 0; i < EXEC_ARGUMENTS.length; i += 6) fragments.push(EXEC_ARGUMENTS.slice(i, i + 6));
  const first = thinking ? 1 : 0;
  return anthropicSse([
    messageStart("msg_01Cx9ToolUseTurn00000001", model),
    ...(thinking ? thinkingEvents(0) : []),
    { type: "content_block_start", index: first, content_block: { type: "text", text: "" } },
    { type: "content_block_delta", index: first, delta: { type: "text_delta", text: "I'll read the note." } },
    { type: "content_block_stop", index: first },
    { type: "ping" },
    {
      type: "content_block_start",
      index: first + 1,
      content_block: { type: "tool_use", id: TOOL_USE_ID, name: EXEC_TOOL, input: {} },
    },
    { type: "content_block_delta", index: first + 1, delta: { type: "input_json_delta", partial_json: "" } },
    ...fragments.map((partial_json) => ({
      type: "content_block_delta",
      index: first + 1,
      delta: { type: "input_json_delta", partial_json },
    })),
    { type: "content_block_stop", index: first + 1 },
    ...messageEnd("tool_use"),
  ]);
}

/** The answer in two deltas; a multi-byte character is split across network writes. */
function textStream(model: string, text: string): Array<string | Buffer> {
  const half = Math.floor(text.length / 2);
  const lines = anthropicSse([
    messageStart("msg_01Cx9AnswerTurn000000002", model),
    { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: text.slice(0, half) } },
    { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: text.slice(half) } },
    { type: "content_block_stop", index: 0 },
    ...messageEnd("end_turn"),
  ]);
  return lines.flatMap((line) => splitInsideMultibyte(line));
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return (content as WireBlock[]).map((b) => (b.type === "text" ? (b.text ?? "") : "")).join("");
}

/** The second turn: the tool_use is echoed and the next user message answers it with the file. */
function toolTurnProblems(messages: WireMessage[], script: CodexScript, thinking: boolean): string[] {
  const out: string[] = [];
  const callIndex = messages.findIndex(
    (m) => m.role === "assistant" && blocks(m).some((b) => b.type === "tool_use" && b.id === TOOL_USE_ID),
  );
  if (callIndex === -1) return [`no assistant message carries the tool_use ${TOOL_USE_ID}`];
  const call = blocks(messages[callIndex]).find((b) => b.id === TOOL_USE_ID);
  if (call?.name !== EXEC_TOOL) out.push(`the echoed tool_use names "${call?.name}"`);
  if (!isScriptedCommand(call?.input)) out.push(`the echoed input is ${JSON.stringify(call?.input)}`);
  // The API's rule: with thinking on, a tool-use turn must open with its signed thinking block.
  if (thinking && blocks(messages[callIndex])[0]?.type !== "thinking")
    out.push("thinking is on but the tool-use turn does not open with a thinking block");
  const next = messages[callIndex + 1];
  const result = blocks(next).find((b) => b.type === "tool_result" && b.tool_use_id === TOOL_USE_ID);
  if (next?.role !== "user" || !result) out.push(`the message after the tool_use does not answer it`);
  else if (!textOf(result.content).includes(script.fileContent)) {
    out.push(`the tool_result does not carry the file: ${JSON.stringify(result.content).slice(0, 300)}`);
  }
  return out;
}

function requestProblems(req: RecordedRequest, script: CodexScript): string[] {
  const out: string[] = [];
  if (req.method !== "POST" || req.url !== "/v1/messages") out.push(`unexpected ${req.method} ${req.url}`);
  out.push(...translatedHeaderProblems(req.headers, script));
  if (typeof req.headers["anthropic-version"] !== "string") out.push("no anthropic-version header");
  if (req.json === undefined) return [...out, "the body is not JSON"];
  if (!Array.isArray(req.json.messages)) return [...out, "the body has no messages"];
  out.push(...anthropicRequestProblems(req.json));
  if (req.json.model !== script.model) out.push(`model is ${JSON.stringify(req.json.model)}`);
  if (req.json.stream !== true) out.push("stream is not true");
  return out;
}

function refuse(res: ServerResponse, problems: string[]): void {
  res.writeHead(400, { "content-type": "application/json", "request-id": "req_cx_refused" });
  res.end(
    JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: problems.join("; ") } }),
  );
}

/** Starts the scripted upstream on an ephemeral port. */
export async function startMockAnthropicCodexAgent(script: CodexScript): Promise<MockAnthropicCodexAgent> {
  const problems: string[] = [];
  const upstream = await startMockUpstream(async (req, res, n) => {
    const found = requestProblems(req, script);
    const body = (req.json ?? {}) as {
      messages?: unknown;
      tools?: Array<{ name?: string }>;
      thinking?: { type?: string };
    };
    const messages = (Array.isArray(body.messages) ? body.messages : []) as WireMessage[];
    const thinking = body.thinking?.type === "enabled" || body.thinking?.type === "adaptive";
    const answersCall = blocks(messages.at(-1)).some(
      (b) => b.type === "tool_result" && b.tool_use_id === TOOL_USE_ID,
    );
    if (answersCall) found.push(...toolTurnProblems(messages, script, thinking));
    else if (!body.tools?.some((t) => t.name === EXEC_TOOL))
      found.push(`the first request offers no ${EXEC_TOOL} tool`);
    if (found.length > 0) {
      problems.push(...found.map((p) => `request ${n}: ${p}`));
      return refuse(res, found);
    }
    if (answersCall) return sseChunks(res, textStream(script.model, answerText(script)), 5);
    return sseChunks(res, toolUseStream(script.model, thinking), 5);
  });
  return {
    upstream,
    problems,
    toolUseId: TOOL_USE_ID,
    usage: { inputTokens: INPUT_TOKENS, cacheReadTokens: CACHE_READ_TOKENS, outputTokens: OUTPUT_TOKENS },
  };
}
