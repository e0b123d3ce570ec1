// A scripted OpenAI Responses upstream for one Codex turn, in the API's SSE event format:
// it reasons (an encrypted reasoning item), streams a `function_call` to `exec_command`
// (arguments in fragments), then checks that the next request's input echoes both items
// and ends with a `function_call_output` for the same call_id carrying the file.
import type { ServerResponse } from "node:http";
import {
  type MockUpstream,
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
} from "./codex-script.js";
import { splitInsideMultibyte } from "./utf8-split.js";

/** A running scripted upstream. */
export interface MockResponsesCodexAgent {
  upstream: MockUpstream;
  /** Everything found wrong with the requests received; empty when all were valid. */
  problems: string[];
  /** The call_id of the function call the upstream made. */
  callId: string;
  /** The opaque reasoning the upstream handed out, which Codex must return untouched. */
  encryptedContent: string;
  /** The usage each answer reports, to compare with what Codex counted. */
  usage: { inputTokens: number; cachedTokens: number; outputTokens: number; reasoningTokens: number };
}

const CALL_ID = "call_Rz4nV8kQ2mTx6LpB9wHc3Jd7";
const ENCRYPTED = "gAAAAABpLq3vCx0b3BhcXVlLXJlYXNvbmluZy1vbmx5LW9wZW5haS1jYW4tcmVhZA==";
const CREATED = 1_764_626_200;
const USAGE = { inputTokens: 7_240, cachedTokens: 6_144, outputTokens: 58, reasoningTokens: 32 };

/** The parts of a Responses input item the script reads. */
interface WireItem {
  type?: string;
  call_id?: string;
  name?: string;
  arguments?: string;
  output?: unknown;
  encrypted_content?: string;
}

/** Numbers the events of one stream, as the API does. */
function eventWriter() {
  let sequence = 0;
  return (type: string, fields: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
}

function responseObject(id: string, model: string, status: string, output: unknown[]) {
  return {
    id,
    object: "response",
    created_at: CREATED,
    status,
    error: null,
    incomplete_details: null,
    model,
    output,
    parallel_tool_calls: true,
    store: false,
    usage:
      status === "completed"
        ? {
            input_tokens: USAGE.inputTokens,
            input_tokens_details: { cached_tokens: USAGE.cachedTokens },
            output_tokens: USAGE.outputTokens,
            output_tokens_details: { reasoning_tokens: USAGE.reasoningTokens },
            total_tokens: USAGE.inputTokens + USAGE.outputTokens,
          }
        : null,
  };
}

/** Reasoning with a summary and encrypted content, then the call in argument fragments. */
function functionCallStream(model: string): string[] {
  const event = eventWriter();
  const id = "resp_0cx4ToolCallTurn0000000000000001";
  const summary = "The user wants note.txt; `cat` prints it.";
  const reasoning = {
    id: "rs_0cx4Reasoning00000000000000000001",
    type: "reasoning",
    summary: [{ type: "summary_text", text: summary }],
    encrypted_content: ENCRYPTED,
  };
  const call = {
    id: "fc_0cx4FunctionCall000000000000000001",
    type: "function_call",
    status: "completed",
    arguments: EXEC_ARGUMENTS,
    call_id: CALL_ID,
    name: EXEC_TOOL,
  };
  const fragments: string[] = [];
  for (let i = 0; i < EXEC_ARGUMENTS.length; i += 8) fragments.push(EXEC_ARGUMENTS.slice(i, i + 8));
  const part = { item_id: reasoning.id, output_index: 0, summary_index: 0 };
  return [
    event("response.created", { response: responseObject(id, model, "in_progress", []) }),
    event("response.in_progress", { response: responseObject(id, model, "in_progress", []) }),
    event("response.output_item.added", {
      output_index: 0,
      item: { ...reasoning, summary: [], encrypted_content: null },
    }),
    event("response.reasoning_summary_part.added", { ...part, part: { type: "summary_text", text: "" } }),
    event("response.reasoning_summary_text.delta", { ...part, delta: summary }),
    event("response.reasoning_summary_text.done", { ...part, text: summary }),
    event("response.reasoning_summary_part.done", { ...part, part: { type: "summary_text", text: summary } }),
    event("response.output_item.done", { output_index: 0, item: reasoning }),
    event("response.output_item.added", {
      output_index: 1,
      item: { ...call, status: "in_progress", arguments: "" },
    }),
    ...fragments.map((delta) =>
      event("response.function_call_arguments.delta", { item_id: call.id, output_index: 1, delta }),
    ),
    event("response.function_call_arguments.done", {
      item_id: call.id,
      output_index: 1,
      arguments: EXEC_ARGUMENTS,
    }),
    event("response.output_item.done", { output_index: 1, item: call }),
    event("response.completed", { response: responseObject(id, model, "completed", [reasoning, call]) }),
  ];
}

/** The answer as a message item; a multi-byte character is split across network writes. */
function textStream(model: string, text: string): Array<string | Buffer> {
  const event = eventWriter();
  const id = "resp_0cx4AnswerTurn00000000000000000002";
  const itemId = "msg_0cx4Answer0000000000000000000002";
  const half = Math.floor(text.length / 2);
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  const done = { type: "output_text", annotations: [], logprobs: [], text };
  const message = { id: itemId, type: "message", status: "completed", role: "assistant", content: [done] };
  const lines = [
    event("response.created", { response: responseObject(id, model, "in_progress", []) }),
    event("response.in_progress", { response: responseObject(id, model, "in_progress", []) }),
    event("response.output_item.added", {
      output_index: 0,
      item: { ...message, status: "in_progress", content: [] },
    }),
    event("response.content_part.added", { ...at, part: { ...done, text: "" } }),
    event("response.output_text.delta", { ...at, delta: text.slice(0, half), logprobs: [] }),
    event("response.output_text.delta", { ...at, delta: text.slice(half), logprobs: [] }),
    event("response.output_text.done", { ...at, text, logprobs: [] }),
    event("response.content_part.done", { ...at, part: done }),
    event("response.output_item.done", { output_index: 0, item: message }),
    event("response.completed", { response: responseObject(id, model, "completed", [message]) }),
  ];
  return lines.flatMap((line) => splitInsideMultibyte(line));
}

function outputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (!Array.isArray(output)) return "";
  return output
    .map((part: { text?: unknown } | null) => (typeof part?.text === "string" ? part.text : ""))
    .join("");
}

/** The second turn: reasoning and call echoed, then the call's output with the file, last. */
function toolTurnProblems(input: WireItem[], script: CodexScript): string[] {
  const out: string[] = [];
  const callIndex = input.findIndex((i) => i.type === "function_call" && i.call_id === CALL_ID);
  if (callIndex === -1) return [`no function_call item echoes ${CALL_ID}`];
  const call = input[callIndex]!;
  if (call.name !== EXEC_TOOL) out.push(`the echoed call names "${call.name}"`);
  if (!isScriptedCommand(call.arguments)) out.push(`the echoed call's arguments are ${call.arguments}`);
  const reasoning = input.slice(0, callIndex).findLast((i) => i.type === "reasoning");
  if (reasoning?.encrypted_content !== ENCRYPTED)
    out.push("the reasoning item did not come back with its encrypted content");
  const last = input.at(-1);
  if (last?.type !== "function_call_output" || last.call_id !== CALL_ID)
    out.push(`the input does not end with a function_call_output for ${CALL_ID}`);
  else if (!outputText(last.output).includes(script.fileContent)) {
    out.push(`the call's output does not carry the file: ${JSON.stringify(last.output).slice(0, 300)}`);
  }
  return out;
}

function requestProblems(req: RecordedRequest, script: CodexScript): string[] {
  const out: string[] = [];
  if (req.method !== "POST" || req.url !== "/v1/responses") out.push(`unexpected ${req.method} ${req.url}`);
  if (req.headers.authorization !== `Bearer ${script.apiKey}`)
    out.push(`authorization is ${JSON.stringify(req.headers.authorization)}, not the provider key`);
  if (req.json === undefined) return [...out, "the body is not JSON"];
  if (req.json.model !== script.model) out.push(`model is ${JSON.stringify(req.json.model)}`);
  if (req.json.stream !== true) out.push("stream is not true");
  if (!Array.isArray(req.json.input)) out.push("input is not a list of items");
  return out;
}

function refuse(res: ServerResponse, problems: string[]): void {
  res.writeHead(400, { "content-type": "application/json", "x-request-id": "req_cx_refused" });
  res.end(
    JSON.stringify({
      error: { message: problems.join("; "), type: "invalid_request_error", param: null, code: null },
    }),
  );
}

/** Starts the scripted upstream on an ephemeral port. */
export async function startMockResponsesCodexAgent(script: CodexScript): Promise<MockResponsesCodexAgent> {
  const problems: string[] = [];
  const upstream = await startMockUpstream(async (req, res, n) => {
    const found = requestProblems(req, script);
    const body = (req.json ?? {}) as { input?: unknown; tools?: Array<{ type?: string; name?: string }> };
    const input = (Array.isArray(body.input) ? body.input : []) as WireItem[];
    const answersCall = input.some((i) => i?.type === "function_call_output" && i.call_id === CALL_ID);
    if (answersCall) found.push(...toolTurnProblems(input, script));
    else if (!body.tools?.some((t) => t.type === "function" && t.name === EXEC_TOOL))
      found.push(`the first request offers no ${EXEC_TOOL} tool`);
    if (found.length > 0) {
      problems.push(...found.map((p) => `request ${n}: ${p}`));
      return refuse(res, found);
    }
    if (answersCall) return sseChunks(res, textStream(script.model, answerText(script)), 5);
    return sseChunks(res, functionCallStream(script.model), 5);
  });
  return { upstream, problems, callId: CALL_ID, encryptedContent: ENCRYPTED, usage: USAGE };
}
