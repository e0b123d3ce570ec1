// Live configuration: a write through the admin API routes the very next data-plane
// request, with no restart, while a request already in flight finishes on the snapshot
// it started with.
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { openaiCompletion } from "../../helpers/wire.js";
import { type AdminClients, type AdminHarness, errorOf, startAdmin } from "./admin-harness.js";

let h: AdminHarness;
let c: AdminClients;
let upstreamA: MockUpstream;
let upstreamB: MockUpstream;
let upstreamC: MockUpstream;
/** Responses of upstream A wait for this while it is set. */
let holdA: Promise<void> | undefined;
/** Upstream A answers 503 while this is true. */
let failA = false;

const answer = (text: string) =>
  openaiCompletion({
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text, refusal: null },
        finish_reason: "stop",
        logprobs: null,
      },
    ],
  });

beforeAll(async () => {
  upstreamA = await startMockUpstream(async (_req, res) => {
    if (holdA) await holdA;
    if (failA)
      json(res, 503, { error: { message: "overloaded", type: "server_error", param: null, code: null } });
    else json(res, 200, answer("from A"));
  });
  upstreamB = await startMockUpstream((_req, res) => json(res, 200, answer("from B")));
  upstreamC = await startMockUpstream((_req, res) => json(res, 200, answer("from C")));
  h = await startAdmin();
  c = h.clients();
  await c.providers.createProvider({
    provider: {
      id: "a",
      kind: ProviderKind.OPENAI,
      baseUrl: `${upstreamA.url}/v1`,
      apiKey: "sk-provider-a-key",
    },
  });
  await c.providers.createProvider({
    provider: {
      id: "b",
      kind: ProviderKind.OPENAI,
      baseUrl: `${upstreamB.url}/v1`,
      apiKey: "sk-provider-b-key",
    },
  });
});
afterAll(async () => {
  await h.close();
  await upstreamA.close();
  await upstreamB.close();
  await upstreamC.close();
});

function chat(model: string): Promise<Response> {
  return fetch(`${h.dataPlaneUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
}

/** The assistant text of a chat completion response. */
async function contentOf(res: Response): Promise<string> {
  const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
  return body.choices[0]!.message.content;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe("live configuration", () => {
  it("an unknown model is 404 until a mapping is created, then the very next request routes", async () => {
    expect((await chat("live-model")).status).toBe(404);
    await c.mappings.createModelMapping({
      modelMapping: {
        id: "live",
        alias: "live-model",
        destination: { case: "target", value: { providerId: "a", upstreamModel: "model-a" } },
      },
    });
    const res = await chat("live-model");
    expect(res.status).toBe(200);
    expect(await contentOf(res)).toBe("from A");
    expect(upstreamA.requests.at(-1)?.json.model).toBe("model-a");
    expect(upstreamA.requests.at(-1)?.headers.authorization).toBe("Bearer sk-provider-a-key");
  });

  it("a request in flight during an update finishes on its old snapshot; the next one uses the new", async () => {
    // The in-flight request routes to chain [a, c]. While a holds it, the mapping moves to b,
    // the chain is deleted and c is disabled; a then fails with a 503, and the request falls
    // over to c — which only its old snapshot still routes to.
    await c.providers.createProvider({
      provider: { id: "c", kind: ProviderKind.OPENAI, baseUrl: `${upstreamC.url}/v1` },
    });
    await c.chains.createFallbackChain({
      fallbackChain: { id: "old-chain", targets: [{ providerId: "a" }, { providerId: "c" }] },
    });
    await c.mappings.createModelMapping({
      modelMapping: {
        id: "inflight",
        alias: "inflight-model",
        destination: { case: "fallbackChainId", value: "old-chain" },
      },
    });
    let release!: () => void;
    holdA = new Promise<void>((resolve) => {
      release = resolve;
    });
    failA = true;
    const before = {
      a: upstreamA.requests.length,
      b: upstreamB.requests.length,
      c: upstreamC.requests.length,
    };
    const inFlight = chat("inflight-model");
    await until(() => upstreamA.requests.length === before.a + 1);

    await c.mappings.updateModelMapping({
      modelMapping: {
        id: "inflight",
        destination: { case: "target", value: { providerId: "b", upstreamModel: "model-b" } },
      },
      updateMask: { paths: ["target"] },
    });
    await c.chains.deleteFallbackChain({ id: "old-chain" });
    await c.providers.updateProvider({
      provider: { id: "c", enabled: false },
      updateMask: { paths: ["enabled"] },
    });
    const next = await chat("inflight-model");
    expect(next.status).toBe(200);
    expect(await contentOf(next)).toBe("from B");
    expect(upstreamB.requests.at(-1)?.json.model).toBe("model-b");

    release();
    const old = await inFlight;
    holdA = undefined;
    failA = false;
    expect(old.status).toBe(200);
    expect(await contentOf(old)).toBe("from C");
    expect(upstreamC.requests.length).toBe(before.c + 1);
    expect(upstreamB.requests.length).toBe(before.b + 1);
  });

  it("provider edits, chains and deletes take effect on the next request too", async () => {
    await c.chains.createFallbackChain({
      fallbackChain: {
        id: "ab",
        targets: [{ providerId: "a", upstreamModel: "chain-a" }, { providerId: "b" }],
      },
    });
    await c.mappings.updateModelMapping({
      modelMapping: { id: "live", destination: { case: "fallbackChainId", value: "ab" } },
      updateMask: { paths: ["fallback_chain_id"] },
    });
    expect(await contentOf(await chat("live-model"))).toBe("from A");

    await c.providers.updateProvider({
      provider: { id: "a", enabled: false },
      updateMask: { paths: ["enabled"] },
    });
    expect(await contentOf(await chat("live-model"))).toBe("from B");

    await c.mappings.deleteModelMapping({ id: "live" });
    expect((await chat("live-model")).status).toBe(404);
    expect((await errorOf(c.mappings.getModelMapping({ id: "live" }))).code).toBe(Code.NotFound);
  });
});
