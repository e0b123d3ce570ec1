// The real Codex CLI through Parley on all three provider kinds: translation to a scripted
// Chat Completions upstream and to a scripted Anthropic upstream, and passthrough to a
// scripted Responses upstream. Each upstream asks Codex to run `cat note.txt`; the turn only
// completes if Codex ran the command and its output crossed Parley paired with the call.
// A recording tap in front of Parley keeps what Codex itself sent.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  agentMessages,
  CODEX_VERSION,
  type CodexRun,
  commandExecutions,
  describeCodexRun,
  runCodex,
  turnUsage,
} from "../helpers/codex.js";
import { startTestParley, type TestParley } from "../helpers/parley.js";
import { type RecordingTap, startRecordingTap, type TappedRequest } from "../helpers/recording-tap.js";
import { clientsFor } from "../integration/control/admin-harness.js";
import { RECORDING, saveCodexCapture } from "./codex-capture.js";
import type { CodexScript } from "./codex-script.js";
import { startMockAnthropicCodexAgent } from "./mock-anthropic-codex-agent.js";
import { startMockChatCodexAgent } from "./mock-chat-codex-agent.js";
import { startMockResponsesCodexAgent } from "./mock-responses-codex-agent.js";

const TEST_TIMEOUT_MS = 60_000;
const PROVIDER_KEY = "sk-provider-codex-e2e";
const CLIENT_KEY = "sk-client-codex-e2e";
const PROMPT = "read note.txt";

/** A Codex request body as the tap saw it, parsed where the assertions read it. */
interface ClientTurn {
  model: string;
  input: Array<Record<string, unknown> & { type?: string; role?: string; content?: unknown }>;
  tools: Array<{ type: string; name?: string; tools?: Array<{ type: string; name: string }> }>;
}

/** The parts of a Chat Completions request the assertions read (the mock checked the rest). */
interface ChatBody {
  stream?: boolean;
  tools: Array<{ function: { name: string } }>;
  messages: Array<{
    role: string;
    content?: unknown;
    tool_call_id?: string;
    tool_calls?: Array<{ id: string }>;
  }>;
}

/** The parts of a Messages request the assertions read (the mock checked the rest). */
interface AnthropicBody {
  stream?: boolean;
  tools: Array<{ name: string; input_schema?: unknown }>;
  system?: unknown;
  messages: Array<{
    role: string;
    content: Array<{ type: string; tool_use_id?: string; content?: unknown }>;
  }>;
}

/** Codex's `/v1/responses` requests, in order. */
function clientRequests(tap: RecordingTap): TappedRequest[] {
  return tap.requests.filter((r) => r.method === "POST" && r.path === "/v1/responses");
}

function clientTurns(tap: RecordingTap): ClientTurn[] {
  return clientRequests(tap).map((r) => JSON.parse(r.body) as ClientTurn);
}

/** The tools a translation must offer upstream: functions and custom tools, namespaces' too. */
function declaredTools(turn: ClientTurn): string[] {
  return turn.tools.flatMap((tool) => {
    if ((tool.type === "function" || tool.type === "custom") && tool.name) return [tool.name];
    if (tool.type === "namespace") return (tool.tools ?? []).map((nested) => nested.name);
    return [];
  });
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part: { text?: unknown }) => (typeof part.text === "string" ? part.text : "")).join("");
}

/** Every text part of Codex's developer messages (its ~20 KB of instructions) is in `upstreamText`. */
function expectInstructionsKept(turn: ClientTurn, upstreamText: string): void {
  const parts = turn.input
    .filter((item) => item.role === "developer")
    .flatMap((item) => (item.content as Array<{ text: string }>).map((part) => part.text.trim()));
  expect(parts.length).toBeGreaterThan(1);
  for (const part of parts) expect(upstreamText).toContain(part);
}

/** What every run must show: Codex ran the command, got its output, and printed the file. */
function expectToolLoop(run: CodexRun, fileContent: string): void {
  expect(run.timedOut, describeCodexRun(run)).toBe(false);
  expect(run.exitCode, describeCodexRun(run)).toBe(0);
  expect(run.events.filter((e) => e.type === "turn.failed" || e.type === "error")).toEqual([]);
  // Codex is offline: nothing but Parley was asked for anything.
  expect(run.outbound).toEqual([]);
  const commands = commandExecutions(run);
  expect(commands, describeCodexRun(run)).toHaveLength(1);
  expect(commands[0]).toMatchObject({ status: "completed", exit_code: 0 });
  expect(commands[0]!.command).toContain("cat note.txt");
  expect(commands[0]!.aggregated_output).toContain(fileContent);
  expect(agentMessages(run).at(-1), describeCodexRun(run)).toContain(`The note says: ${fileContent}`);
}

/** Codex's second request echoes the call and answers it with the command's output. */
function expectCallAnswered(turns: ClientTurn[], callId: string, fileContent: string): void {
  expect(turns).toHaveLength(2);
  const [first, second] = turns as [ClientTurn, ClientTurn];
  expect(second.input.slice(0, first.input.length)).toEqual(first.input);
  const added = second.input.slice(first.input.length);
  expect(added.find((i) => i.type === "function_call")).toMatchObject({
    call_id: callId,
    name: "exec_command",
    arguments: JSON.stringify({ cmd: "cat note.txt" }),
  });
  const output = added.at(-1)!;
  expect(output).toMatchObject({ type: "function_call_output", call_id: callId });
  expect(textOf(output.output)).toContain(fileContent);
}

describe("Codex CLI through Parley", () => {
  let workDir: string;
  // Unique per run, with multi-byte characters that the mocks split across network writes.
  const fileContent = `Grüße aus Parley ✓ ${randomUUID()}`;
  const script = (model: string): CodexScript => ({
    fileContent,
    model,
    apiKey: PROVIDER_KEY,
    clientKey: CLIENT_KEY,
  });

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), "parley-codex-work-"));
    writeFileSync(join(workDir, "note.txt"), `${fileContent}\n`);
  });

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  /** Runs Codex through a tap in front of Parley. */
  async function runThrough(
    parley: TestParley,
    model: string,
  ): Promise<{ run: CodexRun; tap: RecordingTap }> {
    const tap = await startRecordingTap(parley.url);
    try {
      const run = await runCodex({
        baseUrl: `${tap.url}/v1`,
        cwd: workDir,
        prompt: PROMPT,
        model,
        apiKey: CLIENT_KEY,
      });
      return { run, tap };
    } finally {
      await tap.close();
    }
  }

  // Codex picks its tools by model: a model it has no metadata for gets the fallback set
  // (a namespace, web_search), one of its own gets apply_patch as a custom tool, and tool_search.
  it.each([
    { model: "qwen3-coder", kinds: ["namespace", "web_search"] },
    { model: "gpt-5.5", kinds: ["custom", "tool_search"] },
  ])(
    "translates Codex's exec_command loop to a Chat Completions provider and back ($model)",
    async ({ model, kinds }) => {
      const upstreamModel = "Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8";
      const mock = await startMockChatCodexAgent(script(upstreamModel));
      const parley = await startTestParley({
        PARLEY_OPENAI_BASE_URL: `${mock.upstream.url}/v1`,
        PARLEY_OPENAI_API_KEY: PROVIDER_KEY,
        PARLEY_MODEL_MAP: `${model}=openai/${upstreamModel}`,
        PARLEY_LOG_LEVEL: "warn",
      });
      try {
        const { run, tap } = await runThrough(parley, model);
        if (RECORDING) saveCodexCapture({ version: CODEX_VERSION, model, requests: clientRequests(tap) });

        // The upstream found nothing a strict Chat Completions server would refuse.
        expect(mock.problems).toEqual([]);
        expectToolLoop(run, fileContent);
        const turns = clientTurns(tap);
        expectCallAnswered(turns, mock.callId, fileContent);

        const upstream = mock.upstream.requests.map((r) => r.json as ChatBody);
        expect(upstream).toHaveLength(2);
        expect(upstream.map((b) => b.stream)).toEqual([true, true]);
        const [first, second] = upstream as [ChatBody, ChatBody];
        // Every tool Codex declares becomes a function (namespaced ones flattened, custom ones
        // taking a string); the built-in web_search and tool_search have no place here.
        expect(turns[0]!.tools.map((t) => t.type)).toEqual(expect.arrayContaining(kinds));
        const offered = first.tools.map((t) => t.function.name);
        expect(offered).toHaveLength(declaredTools(turns[0]!).length);
        expect(offered).toContain("exec_command");
        // Codex's developer messages lead the conversation as instructions, their text intact.
        const leading = first.messages.slice(
          0,
          first.messages.findIndex((m) => m.role === "user"),
        );
        expect(leading.length).toBeGreaterThan(0);
        expect(leading.every((m) => m.role === "system" || m.role === "developer")).toBe(true);
        expectInstructionsKept(turns[0]!, leading.map((m) => textOf(m.content)).join("\n"));
        // The call and its output arrive as an assistant tool_calls message and a tool message.
        const echoed = second.messages.findIndex((m) => m.tool_calls?.some((c) => c.id === mock.callId));
        expect(echoed).toBeGreaterThan(0);
        const toolMessage = second.messages[echoed + 1];
        expect(toolMessage).toMatchObject({ role: "tool", tool_call_id: mock.callId });
        expect(textOf(toolMessage?.content)).toContain(fileContent);

        // The upstream's usage reached Codex, summed over the two requests.
        expect(turnUsage(run)).toMatchObject({
          input_tokens: 2 * mock.usage.promptTokens,
          output_tokens: 2 * mock.usage.completionTokens,
        });
      } finally {
        await parley.close();
        await mock.upstream.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it.each([
    { model: "claude-sonnet-4-5", kinds: ["namespace", "web_search"] },
    { model: "gpt-5.5", kinds: ["custom", "tool_search"] },
  ])(
    "translates Codex's exec_command loop to an Anthropic provider and back ($model)",
    async ({ model, kinds }) => {
      const upstreamModel = "claude-sonnet-4-5-20250929";
      const mock = await startMockAnthropicCodexAgent(script(upstreamModel));
      const parley = await startTestParley({
        PARLEY_ANTHROPIC_BASE_URL: mock.upstream.url,
        PARLEY_ANTHROPIC_API_KEY: PROVIDER_KEY,
        PARLEY_MODEL_MAP: `${model}=anthropic/${upstreamModel}`,
        PARLEY_LOG_LEVEL: "warn",
      });
      try {
        const { run, tap } = await runThrough(parley, model);

        // The upstream found nothing the Messages API would refuse.
        expect(mock.problems).toEqual([]);
        expectToolLoop(run, fileContent);
        const turns = clientTurns(tap);
        expectCallAnswered(turns, mock.toolUseId, fileContent);

        const upstream = mock.upstream.requests.map((r) => r.json as AnthropicBody);
        expect(upstream).toHaveLength(2);
        expect(upstream.map((b) => b.stream)).toEqual([true, true]);
        const [first, second] = upstream as [AnthropicBody, AnthropicBody];
        // Every tool Codex declares becomes an Anthropic tool (namespaced ones flattened);
        // the built-in web_search and tool_search have no place here.
        expect(turns[0]!.tools.map((t) => t.type)).toEqual(expect.arrayContaining(kinds));
        const offered = first.tools.map((t) => t.name);
        expect(offered).toHaveLength(declaredTools(turns[0]!).length);
        expect(offered).toContain("exec_command");
        // A custom (free-form) tool takes its whole input as one string.
        for (const custom of turns[0]!.tools.filter((t) => t.type === "custom")) {
          expect(first.tools.find((t) => t.name === custom.name)?.input_schema).toMatchObject({
            properties: { input: { type: "string" } },
            required: ["input"],
          });
        }
        // Codex's developer messages become the system prompt, their text intact.
        expectInstructionsKept(turns[0]!, textOf(first.system));
        // The call and its output arrive as a tool_use block and the tool_result answering it.
        const last = second.messages.at(-1);
        expect(last?.role).toBe("user");
        const result = last?.content.find((b) => b.type === "tool_result");
        expect(result).toMatchObject({ tool_use_id: mock.toolUseId });
        expect(textOf(result?.content)).toContain(fileContent);

        // Anthropic counts cache reads apart; Responses counts them inside input_tokens.
        const { inputTokens, cacheReadTokens, outputTokens } = mock.usage;
        expect(turnUsage(run)).toMatchObject({
          input_tokens: 2 * (inputTokens + cacheReadTokens),
          cached_input_tokens: 2 * cacheReadTokens,
          output_tokens: 2 * outputTokens,
        });
      } finally {
        await parley.close();
        await mock.upstream.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "passes Codex's exec_command loop to a Responses provider byte for byte but the model",
    async () => {
      const clientModel = "gpt-5.5";
      const upstreamModel = "gpt-5.5-2026-04-23";
      const mock = await startMockResponsesCodexAgent(script(upstreamModel));
      const parley = await startTestParley({
        PARLEY_OPENAI_BASE_URL: `${mock.upstream.url}/v1`,
        PARLEY_OPENAI_API_KEY: PROVIDER_KEY,
        PARLEY_MODEL_MAP: `${clientModel}=openai/${upstreamModel}`,
        PARLEY_LOG_LEVEL: "warn",
      });
      try {
        // The provider says it serves /v1/responses (on by default only for api.openai.com).
        const admin = clientsFor(createConnectTransport({ baseUrl: parley.adminUrl, httpVersion: "1.1" }));
        await admin.providers.updateProvider({
          provider: { id: "openai", responsesApi: true },
          updateMask: { paths: ["responses_api"] },
        });
        const { run, tap } = await runThrough(parley, clientModel);

        expect(mock.problems).toEqual([]);
        expectToolLoop(run, fileContent);
        expectCallAnswered(clientTurns(tap), mock.callId, fileContent);

        // What Codex sent reached the upstream byte for byte, but for the mapped model.
        const sent = clientRequests(tap);
        const received = mock.upstream.requests;
        expect(sent).toHaveLength(2);
        expect(received).toHaveLength(2);
        for (const [i, upstreamRequest] of received.entries()) {
          const client = sent[i]!;
          expect(JSON.parse(client.body).model).toBe(clientModel);
          expect(upstreamRequest.url).toBe("/v1/responses");
          expect(upstreamRequest.body).toBe(
            client.body.replace(`"model":"${clientModel}"`, `"model":"${upstreamModel}"`),
          );
          // Codex's own headers go along; the provider's key replaces the client's.
          for (const name of ["originator", "session-id", "x-codex-turn-metadata", "x-codex-window-id"]) {
            expect(client.headers[name], name).toBeTypeOf("string");
            expect(upstreamRequest.headers[name], name).toBe(client.headers[name]);
          }
          expect(client.headers.authorization).toBe(`Bearer ${CLIENT_KEY}`);
          expect(upstreamRequest.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
          expect(JSON.stringify(upstreamRequest.headers)).not.toContain(CLIENT_KEY);
        }

        // The upstream's usage reached Codex untouched, summed over the two requests.
        const { inputTokens, cachedTokens, outputTokens, reasoningTokens } = mock.usage;
        expect(turnUsage(run)).toMatchObject({
          input_tokens: 2 * inputTokens,
          cached_input_tokens: 2 * cachedTokens,
          output_tokens: 2 * outputTokens,
          reasoning_output_tokens: 2 * reasoningTokens,
        });
      } finally {
        await parley.close();
        await mock.upstream.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
