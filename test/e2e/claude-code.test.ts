// The real Claude Code CLI through Parley, in both paths: translation to a scripted
// OpenAI-compatible upstream and passthrough to a scripted Anthropic upstream. Each
// upstream asks Claude Code to `Read` a file; the turn only completes if the CLI ran the
// tool and its result crossed Parley intact. A recording tap in front of Parley keeps
// what the CLI itself sent, to compare with what reached the upstream.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLAUDE_CODE_VERSION, describeRun, runClaudeCode } from "../helpers/claude-code.js";
import { startTestParley } from "../helpers/parley.js";
import { startRecordingTap, type TappedRequest } from "../helpers/recording-tap.js";
import { RECORDING, saveCapture } from "./claude-code-capture.js";
import { startMockAnthropicAgent } from "./mock-anthropic-agent.js";
import { startMockOpenAIAgent } from "./mock-openai-agent.js";

const TEST_TIMEOUT_MS = 180_000;
const PROVIDER_KEY = "sk-provider-e2e";
const CLIENT_KEY = "sk-ant-client-e2e";

/** The bodies of Claude Code's Messages requests, parsed, in order (`HEAD /` left out). */
function clientTurns(requests: TappedRequest[]): Array<Record<string, any>> {
  return requests
    .filter((r) => r.method === "POST" && r.path === "/v1/messages")
    .map((r) => JSON.parse(r.body));
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: { text?: unknown }) => (typeof part.text === "string" ? part.text : ""))
    .join("\n");
}

describe("Claude Code through Parley", () => {
  let workDir: string;
  let filePath: string;
  // Unique per run, with multi-byte characters that the mocks split across network writes.
  const fileContent = `Grüße aus Parley ✓ ${randomUUID()}`;
  const prompt = () => `Read the file ${filePath} and tell me exactly what it says.`;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), "parley-claude-work-"));
    filePath = join(workDir, "notes.txt");
    writeFileSync(filePath, `${fileContent}\n`);
  });

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it.each([
    { kind: "a chat model", model: "gpt-4o-mini", reasoning: false },
    { kind: "a reasoning model", model: "o4-mini", reasoning: true },
  ])(
    "translates a tool-using turn to an OpenAI-compatible provider and back ($kind)",
    async ({ model, reasoning }) => {
      const mock = await startMockOpenAIAgent({ filePath, fileContent, model, apiKey: PROVIDER_KEY });
      const parley = await startTestParley({
        PARLEY_OPENAI_BASE_URL: `${mock.upstream.url}/v1`,
        PARLEY_OPENAI_API_KEY: PROVIDER_KEY,
        PARLEY_MODEL_MAP: `*=openai/${model}`,
        PARLEY_LOG_LEVEL: "warn",
      });
      const tap = await startRecordingTap(parley.url);
      try {
        const run = await runClaudeCode({
          baseUrl: tap.url,
          cwd: workDir,
          prompt: prompt(),
          apiKey: CLIENT_KEY,
        });

        // The upstream found nothing a strict Chat Completions server would refuse.
        expect(mock.problems).toEqual([]);
        expect(run.result, describeRun(run)).toMatchObject({
          type: "result",
          subtype: "success",
          is_error: false,
        });
        expect(run.result?.result).toContain(fileContent);
        expect(run.exitCode, describeRun(run)).toBe(0);

        // Claude Code ran the tool: its second request answers the call Parley relayed.
        const turns = clientTurns(tap.requests);
        expect(turns).toHaveLength(2);
        const assistant = turns[1]!.messages.find((m: any) => m.role === "assistant");
        expect(assistant.content).toContainEqual(
          expect.objectContaining({
            type: "tool_use",
            id: mock.callId,
            name: "Read",
            input: { file_path: filePath },
          }),
        );
        const toolResult = turns[1]!.messages.at(-1).content.find((b: any) => b.type === "tool_result");
        expect(toolResult).toMatchObject({ tool_use_id: mock.callId });
        expect(textOf(toolResult.content)).toContain(fileContent);

        // The upstream saw both turns, streamed, with the tool result as a proper `tool` message.
        const upstream = mock.upstream.requests.map((r) => r.json);
        expect(upstream).toHaveLength(2);
        expect(upstream.map((b) => b.stream)).toEqual([true, true]);
        expect(upstream[0].tools.map((t: any) => t.function.name)).toContain("Read");
        const echoed = upstream[1].messages.find((m: any) =>
          m.tool_calls?.some((c: any) => c.id === mock.callId),
        );
        expect(echoed).toMatchObject({ role: "assistant", content: null });
        const toolMessage = upstream[1].messages.find((m: any) => m.role === "tool");
        expect(toolMessage).toMatchObject({ tool_call_id: mock.callId });
        expect(textOf(toolMessage.content)).toContain(fileContent);

        // Claude Code's thinking becomes the reasoning option where the model has one.
        expect(turns[0]!.thinking).toBeDefined();
        for (const body of upstream) {
          if (reasoning) expect(["low", "medium", "high"]).toContain(body.reasoning_effort);
          else expect(body.reasoning_effort).toBeUndefined();
        }

        // The system prompt leads as a system message, without Claude Code's per-session
        // billing line; system turns keep their place.
        const systemText: string[] = turns[0]!.system
          .map((b: { text: string }) => b.text)
          .filter((t: string) => t.trim() !== "");
        const billing = systemText.filter((t) => t.startsWith("x-anthropic-billing-header:"));
        expect(billing).toHaveLength(1);
        expect(upstream[0].messages[0].role).toBe("system");
        const upstreamSystem = textOf(upstream[0].messages[0].content);
        expect(upstreamSystem).not.toContain("x-anthropic-billing-header");
        for (const text of systemText.filter((t) => !billing.includes(t))) {
          expect(upstreamSystem).toContain(text.trim());
        }
        const clientRoles = turns[0]!.messages.map((m: { role: string }) => m.role);
        const upstreamRoles = upstream[0].messages.slice(1).map((m: { role: string }) => m.role);
        expect(upstreamRoles).toEqual(clientRoles);
      } finally {
        await tap.close();
        await parley.close();
        await mock.upstream.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "passes a tool-using turn to an Anthropic provider untouched",
    async () => {
      const mock = await startMockAnthropicAgent({ filePath, fileContent });
      const parley = await startTestParley({
        PARLEY_ANTHROPIC_BASE_URL: mock.upstream.url,
        PARLEY_ANTHROPIC_API_KEY: PROVIDER_KEY,
        PARLEY_LOG_LEVEL: "warn",
      });
      const tap = await startRecordingTap(parley.url);
      try {
        const run = await runClaudeCode({
          baseUrl: tap.url,
          cwd: workDir,
          prompt: prompt(),
          apiKey: CLIENT_KEY,
        });
        if (RECORDING) saveCapture({ version: CLAUDE_CODE_VERSION, requests: tap.requests });

        expect(mock.problems).toEqual([]);
        expect(run.result, describeRun(run)).toMatchObject({
          type: "result",
          subtype: "success",
          is_error: false,
        });
        expect(run.result?.result).toContain(fileContent);
        expect(run.exitCode, describeRun(run)).toBe(0);

        // What Claude Code sent reached the upstream byte for byte, query string and all.
        const sent = tap.requests.filter((r) => r.method === "POST");
        const received = mock.upstream.requests;
        expect(received).toHaveLength(2);
        expect(sent).toHaveLength(2);
        for (const [i, upstreamRequest] of received.entries()) {
          const client = sent[i]!;
          expect(`${client.path}${client.query}`).toBe("/v1/messages?beta=true");
          expect(upstreamRequest.url).toBe("/v1/messages?beta=true");
          expect(upstreamRequest.body).toBe(client.body);
          expect(upstreamRequest.headers["anthropic-version"]).toBe(client.headers["anthropic-version"]);
          expect(upstreamRequest.headers["anthropic-beta"]).toBe(client.headers["anthropic-beta"]);
          expect(client.headers["anthropic-beta"]).toContain("claude-code-");
          // The provider's key, never the client's.
          expect(client.headers["x-api-key"]).toBe(CLIENT_KEY);
          expect(upstreamRequest.headers["x-api-key"]).toBe(PROVIDER_KEY);
          expect(JSON.stringify(upstreamRequest.headers)).not.toContain(CLIENT_KEY);
        }

        // The Anthropic-only parts Claude Code relies on are all there.
        const first = received[0]!.json;
        expect(first.stream).toBe(true);
        expect(first.system.some((b: { cache_control?: unknown }) => b.cache_control !== undefined)).toBe(
          true,
        );
        expect(typeof first.metadata.user_id).toBe("string");
        expect(first.thinking).toBeTypeOf("object");
        expect(first.tools.map((t: { name: string }) => t.name)).toContain("Read");

        // The second turn returned the signed thinking block and the tool result.
        const assistant = received[1]!.json.messages.find((m: any) => m.role === "assistant");
        expect(assistant.content).toContainEqual(
          expect.objectContaining({ type: "thinking", signature: mock.signature }),
        );
        expect(assistant.content).toContainEqual(
          expect.objectContaining({ type: "tool_use", id: mock.toolUseId, input: { file_path: filePath } }),
        );
        const toolResult = received[1]!.json.messages
          .at(-1)
          .content.find((b: any) => b.type === "tool_result");
        expect(toolResult).toMatchObject({ tool_use_id: mock.toolUseId });
        expect(textOf(toolResult.content)).toContain(fileContent);
      } finally {
        await tap.close();
        await parley.close();
        await mock.upstream.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
