// A scripted Anthropic Messages upstream for one agent turn, in the API's exact SSE wire
// format: it thinks, asks the client to `Read` a file (input JSON in fragments), then
// checks that the next request returns the signed thinking block and a `tool_result` for
// that call with the file's content, and answers with the content.
import type { ServerResponse } from "node:http";
import { anthropicSse, type MockUpstream, sseChunks, startMockUpstream } from "../helpers/mock-upstream.js";
import { splitInsideMultibyte } from "./utf8-split.js";

/** What the scripted conversation is about. */
export interface AnthropicAgentScript {
  /** The absolute path the tool call asks Claude Code to read. */
  filePath: string;
  /** The file's content, which must come back in the `tool_result`. */
  fileContent: string;
}

/** A running scripted upstream. */
export interface MockAnthropicAgent {
  upstream: MockUpstream;
  /** Everything found wrong with the requests received; empty when all were valid. */
  problems: string[];
  /** The id of the `tool_use` block the upstream sent. */
  toolUseId: string;
  /** The signature of the thinking block the upstream sent. */
  signature: string;
}

const TOOL_USE_ID = "toolu_01E2eQf7Hn3kVbW9xYcLm4Rt";
const SIGNATURE = "EqQBCkgIARABGAIiQL3e2eSignatureBytesOnlyTheApiCanVerify+/==";

/** The parts of a Messages request the script reads. */
interface WireMessage {
  role?: string;
  content?: unknown;
}

interface WireBlock {
  type?: string;
  id?: string;
  tool_use_id?: string;
  signature?: string;
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
        input_tokens: 2318,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        output_tokens: 2,
        service_tier: "standard",
      },
    },
  };
}

function messageEnd(stopReason: string, outputTokens: number) {
  return [
    {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: {
        input_tokens: 2318,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: outputTokens,
      },
    },
    { type: "message_stop" },
  ];
}

/** Thinking, then the tool call with its input cut into fragments of a few characters. */
function toolUseStream(model: string, filePath: string): string[] {
  const input = JSON.stringify({ file_path: filePath });
  const fragments: string[] = [];
  for (let i = 0; i < input.length; i += 9) fragments.push(input.slice(i, i + 9));
  return anthropicSse([
    messageStart("msg_01E2eToolUseTurn0000001", model),
    {
      type: "content_block_start",
      index: 0,
      content_block: { type: "thinking", thinking: "", signature: "" },
    },
    { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "The user wants " } },
    { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "the file read." } },
    { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: SIGNATURE } },
    { type: "content_block_stop", index: 0 },
    { type: "ping" },
    {
      type: "content_block_start",
      index: 1,
      content_block: { type: "tool_use", id: TOOL_USE_ID, name: "Read", input: {} },
    },
    { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "" } },
    ...fragments.map((partial_json) => ({
      type: "content_block_delta",
      index: 1,
      delta: { type: "input_json_delta", partial_json },
    })),
    { type: "content_block_stop", index: 1 },
    ...messageEnd("tool_use", 87),
  ]);
}

/** A text answer in two deltas; a multi-byte character is split across network writes. */
function textStream(model: string, text: string): Array<string | Buffer> {
  const half = Math.floor(text.length / 2);
  const lines = anthropicSse([
    messageStart("msg_01E2eAnswerTurn00000002", model),
    { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: text.slice(0, half) } },
    { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: text.slice(half) } },
    { type: "content_block_stop", index: 0 },
    ...messageEnd("end_turn", 24),
  ]);
  return lines.flatMap((line) => splitInsideMultibyte(line));
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return (content as WireBlock[]).map((b) => (b.type === "text" ? (b.text ?? "") : "")).join("");
}

/** What the Anthropic API would check on the turn that returns the tool result. */
function toolTurnProblems(messages: WireMessage[], script: AnthropicAgentScript): string[] {
  const out: string[] = [];
  const callIndex = messages.findIndex(
    (m) => m.role === "assistant" && blocks(m).some((b) => b.type === "tool_use" && b.id === TOOL_USE_ID),
  );
  if (callIndex === -1) return [`no assistant message carries the tool_use ${TOOL_USE_ID}`];
  const thinking = blocks(messages[callIndex]).find((b) => b.type === "thinking");
  if (thinking?.signature !== SIGNATURE) out.push("the thinking block did not come back with its signature");
  const next = messages[callIndex + 1];
  const result = blocks(next).find((b) => b.type === "tool_result" && b.tool_use_id === TOOL_USE_ID);
  if (next?.role !== "user" || !result)
    out.push(`the message after the tool_use does not answer ${TOOL_USE_ID}`);
  else if (!textOf(result.content).includes(script.fileContent)) {
    out.push(
      `the tool_result does not carry the file content: ${JSON.stringify(result.content).slice(0, 300)}`,
    );
  }
  return out;
}

function refuse(res: ServerResponse, problems: string[]): void {
  res.writeHead(400, { "content-type": "application/json", "request-id": "req_e2e_refused" });
  res.end(
    JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: problems.join("; ") } }),
  );
}

/** Starts the scripted upstream on an ephemeral port. */
export async function startMockAnthropicAgent(script: AnthropicAgentScript): Promise<MockAnthropicAgent> {
  const problems: string[] = [];
  const upstream = await startMockUpstream(async (req, res, n) => {
    if (req.method !== "POST") {
      problems.push(`request ${n}: unexpected ${req.method} ${req.url}`);
      return refuse(res, [`no route for ${req.method} ${req.url}`]);
    }
    const body = (req.json ?? {}) as { model?: string; messages?: unknown; tools?: Array<{ name?: string }> };
    const messages = (Array.isArray(body.messages) ? body.messages : []) as WireMessage[];
    const model = body.model ?? "claude-unknown";
    const answersCall = blocks(messages.at(-1)).some(
      (b) => b.type === "tool_result" && b.tool_use_id === TOOL_USE_ID,
    );
    const found = answersCall ? toolTurnProblems(messages, script) : [];
    if (body.messages === undefined) found.push("the body has no messages");
    if (found.length > 0) {
      problems.push(...found.map((p) => `request ${n}: ${p}`));
      return refuse(res, found);
    }
    if (answersCall) return sseChunks(res, textStream(model, `The file says: ${script.fileContent}`), 5);
    if (body.tools?.some((t) => t.name === "Read"))
      return sseChunks(res, toolUseStream(model, script.filePath), 5);
    // A side request of the client (none expected with non-essential traffic off).
    return sseChunks(res, textStream(model, "ok ✓"), 0);
  });
  return { upstream, problems, toolUseId: TOOL_USE_ID, signature: SIGNATURE };
}
