// A conversation that went through an OpenAI-compatible provider, sent on to an Anthropic
// one through the real server: the thinking blocks that came back without a signature are
// cut out, and every other byte of the client's body reaches the upstream as sent.
import Anthropic from "@anthropic-ai/sdk";
import type { ContentBlockParam, MessageParam } from "@anthropic-ai/sdk/resources/messages";
import { afterEach, describe, expect, it } from "vitest";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";
import { anthropicMessage } from "../../helpers/wire.js";

const UPSTREAM_MODEL = "claude-sonnet-4-5-20250929";
/** Stands in for an integer no JS number holds; the client's fetch writes the real digits. */
const BIG = "__BIG_INTEGER__";
const BIG_DIGITS = "12345678901234567890";

let upstream: MockUpstream | undefined;
let parley: TestParley | undefined;
afterEach(async () => {
  await parley?.close();
  await upstream?.close();
  parley = upstream = undefined;
});

/** Parley in front of an Anthropic mock, and a client whose wire bodies are recorded. */
async function setup(): Promise<{ client: Anthropic; sent: string[] }> {
  upstream = await startMockUpstream((req, res) =>
    json(res, 200, req.url.includes("count_tokens") ? { input_tokens: 42 } : anthropicMessage()),
  );
  parley = await startTestParley({
    PARLEY_ANTHROPIC_BASE_URL: upstream.url,
    PARLEY_ANTHROPIC_API_KEY: "sk-ant-provider",
    PARLEY_MODEL_MAP: `claude-*=anthropic/${UPSTREAM_MODEL}`,
  });
  const sent: string[] = [];
  const client = new Anthropic({
    baseURL: parley.url,
    apiKey: "client-key",
    maxRetries: 0,
    fetch: (url, init) => {
      const body = typeof init?.body === "string" ? init.body.replace(`"${BIG}"`, BIG_DIGITS) : init?.body;
      if (typeof body === "string") sent.push(body);
      return fetch(url, { ...init, body });
    },
  });
  return { client, sent };
}

/** What the upstream should read: the client's bytes with the mapped model and without `cut`. */
function expectedUpstreamBody(clientBody: string, cut: string): string {
  expect(clientBody).toContain(cut);
  return clientBody.replace(cut, "").replace('"model":"claude-opus-4-1"', `"model":"${UPSTREAM_MODEL}"`);
}

const unsigned = { type: "thinking", thinking: "Reasoning from another provider.", signature: "" } as const;
const signed = {
  type: "thinking",
  thinking: "27 * 453 = 12231.",
  signature:
    "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds2x3d+3MTBL+Wl2pM/TIyNqD0AGVW5xMExmqoW6mzv2y9UQSuQKU+z3ylcSNR08yoQ==",
} as const;
const redacted = { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT" } as const;

/** A tool-use conversation whose assistant turn holds `blocks`. */
function toolConversation(blocks: ContentBlockParam[]): MessageParam[] {
  return [
    { role: "user", content: "What is 27 × 453? Check it with the calculator." },
    {
      role: "assistant",
      content: [
        ...blocks,
        { type: "text", text: "Let me check — «vérifier» 🌍" },
        { type: "tool_use", id: "toolu_01A", name: "calculator", input: { expression: "27*453", seed: BIG } },
      ],
    },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01A", content: "12231" }] },
  ];
}

/** Every kind of thinking in one turn. */
const conversation = toolConversation([unsigned, signed, redacted]);

describe("thinking blocks without a signature, sent to an Anthropic provider", () => {
  it("are cut from a passthrough request, every other byte kept", async () => {
    const { client, sent } = await setup();
    await client.messages.create({
      model: "claude-opus-4-1",
      max_tokens: 2048,
      thinking: { type: "enabled", budget_tokens: 1024 },
      messages: conversation,
    });
    const received = upstream!.requests[0]!.body;
    expect(received).toBe(expectedUpstreamBody(sent[0]!, `${JSON.stringify(unsigned)},`));
    expect(received).toContain(`"seed":${BIG_DIGITS}`);
    expect(received).toContain(JSON.stringify(signed));
    expect(received).toContain(JSON.stringify(redacted));
  });

  it("take an assistant turn that held nothing else with them", async () => {
    const { client, sent } = await setup();
    const thinkingOnly: MessageParam = { role: "assistant", content: [unsigned] };
    await client.messages.create({
      model: "claude-opus-4-1",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }, thinkingOnly, { role: "user", content: "still there?" }],
    });
    expect(upstream!.requests[0]!.body).toBe(
      expectedUpstreamBody(sent[0]!, `${JSON.stringify(thinkingOnly)},`),
    );
  });

  it("are cut from a count_tokens request too", async () => {
    const { client, sent } = await setup();
    const count = await client.messages.countTokens({ model: "claude-opus-4-1", messages: conversation });
    expect(count.input_tokens).toBe(42);
    const request = upstream!.requests[0]!;
    expect(request.url).toBe("/v1/messages/count_tokens");
    expect(request.body).toBe(expectedUpstreamBody(sent[0]!, `${JSON.stringify(unsigned)},`));
  });

  it("leave a conversation whose thinking is all signed byte for byte", async () => {
    const { client, sent } = await setup();
    await client.messages.create({
      model: "claude-opus-4-1",
      max_tokens: 2048,
      messages: toolConversation([signed, redacted]),
    });
    expect(upstream!.requests[0]!.body).toBe(expectedUpstreamBody(sent[0]!, ""));
  });

  it("are found without parsing the body: a bad escape inside a string is the upstream's, broken structure a 400", async () => {
    await setup();
    const post = (body: string) =>
      fetch(`${parley!.url}/v1/messages`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-api-key": "client-key",
          "anthropic-version": "2023-06-01",
        },
        body,
      });
    const turn = (blocks: string) =>
      `{"model":"claude-opus-4-1","max_tokens":100,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[${blocks}]},{"role":"user","content":"go on"}]}`;
    const cut = `${JSON.stringify(unsigned)},`;
    const badEscape = turn(`${cut}{"type":"text","text":"a \\q b"}`);
    expect((await post(badEscape)).status).toBe(200);
    expect(upstream!.requests[0]!.body).toBe(expectedUpstreamBody(badEscape, cut));

    const broken = turn(`${cut}{"type":"text" "text":"no colon"}`);
    const refused = await post(broken);
    expect(refused.status).toBe(400);
    const error = (await refused.json()) as { type: string; error: { type: string; message: string } };
    expect(error.type).toBe("error");
    expect(error.error.type).toBe("invalid_request_error");
    expect(error.error.message).toMatch(/^the request body is not valid JSON/);
    expect(upstream!.requests).toHaveLength(1);
  });
});
