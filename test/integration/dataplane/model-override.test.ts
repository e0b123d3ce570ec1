// A client cannot pick the upstream model behind the operator's mapping: a body with a
// top-level key twice is refused before anything goes upstream, and a "model" key spelled
// with escapes is still the model key, so the upstream sees exactly the mapped model.
import { afterEach, describe, expect, it } from "vitest";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";
import { anthropicMessage, openaiCompletion } from "../../helpers/wire.js";

let upstream: MockUpstream | undefined;
let parley: TestParley | undefined;
afterEach(async () => {
  await parley?.close();
  await upstream?.close();
  parley = upstream = undefined;
});

/** One client → provider path through Parley, with what it takes to drive it. */
interface PathCase {
  name: string;
  path: string;
  headers: Record<string, string>;
  env: (upstreamUrl: string) => Record<string, string>;
  answer: Record<string, unknown>;
  /** The alias the client asks for and the upstream model the operator mapped it to. */
  alias: string;
  mapped: string;
  /** The error's `param`, or undefined in a dialect whose errors have none. */
  errorParam: (body: any) => string | undefined;
  errorMessage: (body: any) => string;
}

const anthropicEnv = (url: string) => ({
  PARLEY_ANTHROPIC_BASE_URL: url,
  PARLEY_ANTHROPIC_API_KEY: "sk-ant-provider",
  PARLEY_MODEL_MAP: "claude-*=anthropic/claude-sonnet-4-5-20250929",
});
const anthropicHeaders = { "content-type": "application/json", "anthropic-version": "2023-06-01" };

const paths: PathCase[] = [
  {
    name: "OpenAI client → OpenAI provider",
    path: "/v1/chat/completions",
    headers: { "content-type": "application/json", authorization: "Bearer client-key" },
    env: (url) => ({
      PARLEY_OPENAI_BASE_URL: `${url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-openai-provider",
      PARLEY_MODEL_MAP: "fast=openai/gpt-4.1-mini",
    }),
    answer: openaiCompletion(),
    alias: "fast",
    mapped: "gpt-4.1-mini",
    errorParam: (body) => body.error.param,
    errorMessage: (body) => body.error.message,
  },
  {
    name: "Anthropic client → Anthropic provider",
    path: "/v1/messages",
    headers: anthropicHeaders,
    env: anthropicEnv,
    answer: anthropicMessage(),
    alias: "claude-x",
    mapped: "claude-sonnet-4-5-20250929",
    errorParam: () => undefined,
    errorMessage: (body) => body.error.message,
  },
  {
    name: "count_tokens → Anthropic provider",
    path: "/v1/messages/count_tokens",
    headers: anthropicHeaders,
    env: anthropicEnv,
    answer: { input_tokens: 42 },
    alias: "claude-x",
    mapped: "claude-sonnet-4-5-20250929",
    errorParam: () => undefined,
    errorMessage: (body) => body.error.message,
  },
];

const MESSAGES = '"messages":[{"role":"user","content":"hi"}]';

/** Messages past 16 KiB, escape-dense like source code in a tool result: scanned in the WebAssembly copy. */
const LARGE_MESSAGES = `"messages":[{"role":"user","content":"read it"},{"role":"user","content":"${String.raw`const s = \"a \\\"b\\\" c\";\n`.repeat(700)}"}]`;

/** Starts the mock and Parley for `c`, then posts `body` as raw text. */
async function post(c: PathCase, body: string): Promise<Response> {
  upstream = await startMockUpstream((_req, res) => json(res, 200, c.answer));
  parley = await startTestParley(c.env(upstream.url));
  return fetch(`${parley.url}${c.path}`, { method: "POST", headers: c.headers, body });
}

for (const c of paths) {
  describe(c.name, () => {
    it("refuses model twice with a 400 naming it and sends nothing upstream", async () => {
      // The second alias would win in JSON.parse; the splice used to rewrite only the first.
      const res = await post(c, `{"model":"${c.alias}",${MESSAGES},"model":"claude-opus-expensive"}`);
      expect(res.status).toBe(400);
      const body: any = await res.json();
      expect(c.errorMessage(body)).toBe('the request body has the key "model" twice; send it once');
      if (c.errorParam(body) !== undefined) expect(c.errorParam(body)).toBe("model");
      expect(upstream!.requests).toHaveLength(0);
    });

    it("refuses model twice when one spelling uses escapes", async () => {
      const res = await post(c, `{"model":"${c.alias}","mod\\u0065l":"claude-opus-expensive",${MESSAGES}}`);
      expect(res.status).toBe(400);
      expect(c.errorMessage(await res.json())).toContain('"model" twice');
      expect(upstream!.requests).toHaveLength(0);
    });

    it("refuses model twice after a large, escape-dense conversation, sending nothing", async () => {
      expect(LARGE_MESSAGES.length).toBeGreaterThan(16 * 1024);
      const res = await post(c, `{"model":"${c.alias}",${LARGE_MESSAGES},"model":"claude-opus-expensive"}`);
      expect(res.status).toBe(400);
      expect(c.errorMessage(await res.json())).toBe(
        'the request body has the key "model" twice; send it once',
      );
      expect(upstream!.requests).toHaveLength(0);
    });

    it("sends a large, escape-dense conversation with only the model changed", async () => {
      const res = await post(c, `{"model":"${c.alias}",${LARGE_MESSAGES},"max_tokens":64}`);
      expect(res.status).toBe(200);
      expect(upstream!.requests[0]!.body).toBe(`{"model":"${c.mapped}",${LARGE_MESSAGES},"max_tokens":64}`);
    });

    it("refuses another top-level key twice, naming that key", async () => {
      const res = await post(c, `{"model":"${c.alias}","stream":false,${MESSAGES},"stream":false}`);
      expect(res.status).toBe(400);
      const body: any = await res.json();
      expect(c.errorMessage(body)).toBe('the request body has the key "stream" twice; send it once');
      if (c.errorParam(body) !== undefined) expect(c.errorParam(body)).toBe("stream");
      expect(upstream!.requests).toHaveLength(0);
    });

    it("sends the mapped model exactly once for a model key spelled with escapes", async () => {
      const sent = `{${MESSAGES},"mod\\u0065l" : "${c.alias}","max_tokens":12345678901234567890}`;
      const res = await post(c, sent);
      expect(res.status).toBe(200);
      const received = upstream!.requests[0]!.body;
      expect(received).toBe(`{${MESSAGES},"model" : "${c.mapped}","max_tokens":12345678901234567890}`);
      expect(received.match(/"model"/g)).toHaveLength(1);
    });

    it("leaves a nested model key and a model-like string alone", async () => {
      const sent = `{"metadata":{"model":"x","model":"y"},"model":"${c.alias}","messages":[{"role":"user","content":"\\"model\\":\\"z\\""}]}`;
      const res = await post(c, sent);
      expect(res.status).toBe(200);
      expect(upstream!.requests[0]!.body).toBe(sent.replace(`"model":"${c.alias}"`, `"model":"${c.mapped}"`));
    });
  });
}
