// A translated request's long strings reach the upstream as the client's own bytes: a tool
// result written with escapes (`\u00e9`, `\/`) arrives spelt exactly so, which only holding it
// out of JSON.parse and JSON.stringify can do, while the translated body around it is the
// translator's. A body broken deep inside is still a 400 in the caller's dialect, and nothing
// reaches the upstream.
import { afterEach, describe, expect, it } from "vitest";
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

async function start(): Promise<TestParley> {
  upstream = await startMockUpstream((_req, res) => json(res, 200, openaiCompletion()));
  parley = await startTestParley({
    PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
    PARLEY_OPENAI_API_KEY: "sk-openai-provider",
  });
  return parley;
}

/** A tool result's raw JSON literal: escapes JSON.stringify would never write. */
const RESULT_LITERAL = `"${'caf\\u00e9 \\/ r\\u00e9sum\\u00e9 \\\\path \\"quoted\\" ✓\\n'.repeat(400)}"`;

function requestWith(resultLiteral: string): string {
  return `{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[
    {"role":"user","content":"read it"},
    {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Read","input":{"path":"a.ts"}}]},
    {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":${resultLiteral}}]}]}`;
}

describe("held strings on the translated path", () => {
  it("sends a long tool result upstream as the client's bytes, inside the translated body", async () => {
    const p = await start();
    const response = await fetch(`${p.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: requestWith(RESULT_LITERAL),
    });
    expect(response.status).toBe(200);
    const sent = upstream!.requests[0]!;
    // The raw literal, escapes and all, is in the upstream body...
    expect(sent.body).toContain(RESULT_LITERAL);
    // ...as the content of the translated tool message, decoded as the client meant it.
    const tool = sent.json.messages.find((m: { role: string }) => m.role === "tool");
    expect(tool).toMatchObject({ tool_call_id: "toolu_1", content: JSON.parse(RESULT_LITERAL) });
    expect(sent.json.system).toBeUndefined();
  });

  it("answers a body broken deep inside with a 400 in the Anthropic dialect, sending nothing", async () => {
    const p = await start();
    // A raw control character inside the long string: invalid JSON that only a parse finds.
    const broken = requestWith(`${RESULT_LITERAL.slice(0, -1)}\u0001"`);
    const response = await fetch(`${p.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: broken,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(body.error.message).toMatch(/^the request body is not valid JSON/);
    expect(upstream!.requests).toHaveLength(0);
  });
});
