// Large request bodies are read into reused memory (core/body-buffers.ts). Through the server:
// bodies read into the same memory one after another, and several at once, each reach the
// upstream as their own bytes; memory is given back when a translated request ends; and a body
// sent upstream as it is never comes back to the pool, since its socket may still be sending it.
import { afterEach, describe, expect, it } from "vitest";
import { requestBodies } from "../../../src/core/body-buffers.js";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";
import { openaiCompletion } from "../../helpers/wire.js";

let upstream: MockUpstream | undefined;
let parley: TestParley | undefined;
afterEach(async () => {
  await parley?.close();
  await upstream?.close();
  parley = upstream = undefined;
});

/** A tool result of about `bytes`, unlike any other `tag`'s, with escapes all through it. */
function toolOutput(tag: string, bytes: number): string {
  const line = `${tag}: "quoted"\ttabbed\\backslashed é ✓\n`;
  return line.repeat(Math.ceil(bytes / Buffer.byteLength(line)));
}

function anthropicToolTurn(output: string): string {
  return JSON.stringify({
    model: "claude-sonnet-4-5",
    max_tokens: 64,
    messages: [
      { role: "user", content: "read the log" },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "toolu_1", name: "read", input: { path: "a.log" } }],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: output }] },
    ],
  });
}

async function post(path: string, body: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${parley!.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

const anthropicHeaders = { "anthropic-version": "2023-06-01", "x-api-key": "client-key" };

/** The tool message content of each translated body the upstream received. */
function toolContents(mock: MockUpstream): string[] {
  return mock.requests.map((r) => r.json.messages.find((m: { role: string }) => m.role === "tool").content);
}

describe("large request bodies in reused memory", () => {
  it("translates bodies read into the same memory, in turn and at once, each from its own bytes", async () => {
    upstream = await startMockUpstream((_req, res) => json(res, 200, openaiCompletion()));
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-openai-provider",
      PARLEY_MODEL_MAP: "claude-*=openai/gpt-4.1",
    });
    const outputs = ["first", "second"].map((tag) => toolOutput(tag, 1_200_000));
    for (const output of outputs)
      expect(await post("/v1/messages", anthropicToolTurn(output), anthropicHeaders)).toBe(200);
    // The first body's memory was given back, so the second was read into it.
    expect(requestBodies.spareMemoryBytes()).toBeGreaterThan(0);

    const atOnce = ["a", "b", "c", "d"].map((tag) =>
      toolOutput(`at once ${tag}`, 1_200_000 + tag.charCodeAt(0)),
    );
    const statuses = await Promise.all(
      atOnce.map((output) => post("/v1/messages", anthropicToolTurn(output), anthropicHeaders)),
    );
    expect(statuses).toEqual([200, 200, 200, 200]);
    const received = toolContents(upstream);
    expect(received.slice(0, 2)).toEqual(outputs);
    expect([...received.slice(2)].sort()).toEqual([...atOnce].sort());
  });

  it("keeps a body's memory until its last attempt, while other bodies arrive between attempts", async () => {
    let otherArrived!: () => void;
    const other = new Promise<void>((resolve) => {
      otherArrived = resolve;
    });
    let firstTries = 0;
    upstream = await startMockUpstream(async (req, res) => {
      if (!req.body.includes("retried: ")) {
        otherArrived();
        return json(res, 200, openaiCompletion());
      }
      if (++firstTries > 1) return json(res, 200, openaiCompletion());
      // Fails only once the other body has been read, so it is read while this one waits to retry.
      await other;
      json(res, 503, { error: { message: "overloaded", type: "server_error" } }, { "retry-after-ms": "100" });
    });
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-openai-provider",
      PARLEY_MODEL_MAP: "claude-*=openai/gpt-4.1",
    });
    const retried = toolOutput("retried", 1_200_000);
    const first = post("/v1/messages", anthropicToolTurn(retried), anthropicHeaders);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = post(
      "/v1/messages",
      anthropicToolTurn(toolOutput("between", 1_200_000)),
      anthropicHeaders,
    );
    expect(await Promise.all([first, second])).toEqual([200, 200]);
    const received = toolContents(upstream);
    expect(received).toHaveLength(3);
    expect(received.filter((content) => content === retried)).toHaveLength(2);
  });

  it("does not take back a body that went upstream as it is, and sends it byte for byte", async () => {
    upstream = await startMockUpstream((_req, res) => json(res, 200, openaiCompletion()));
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-openai-provider",
      PARLEY_MODEL_MAP: "claude-*=openai/gpt-4.1",
    });
    // A translated request leaves spare memory behind, which the passthrough body is read into.
    expect(
      await post("/v1/messages", anthropicToolTurn(toolOutput("before", 1_200_000)), anthropicHeaders),
    ).toBe(200);
    const spare = requestBodies.spareMemoryBytes();
    expect(spare).toBeGreaterThan(0);

    // No mapping for gpt-4.1 itself other than the quick start's catch-all: the model is kept,
    // so the client's own buffer is what goes upstream.
    const body = JSON.stringify({
      model: "gpt-4.1",
      messages: [
        { role: "user", content: "read the log" },
        { role: "tool", tool_call_id: "call_1", content: toolOutput("passthrough", 1_200_000) },
      ],
    });
    expect(await post("/v1/chat/completions", body, { authorization: "Bearer client-key" })).toBe(200);
    expect(upstream.requests.at(-1)!.body).toBe(body);
    expect(requestBodies.spareMemoryBytes()).toBeLessThan(spare);
  });
});
