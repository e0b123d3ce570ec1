// The data plane's own answers: auth, limits, unknown models, missing providers, model
// lists and compression, each in the caller's dialect.
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import Anthropic from "@anthropic-ai/sdk";
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/control/db/database.js";
import { modelMappings } from "../../../src/control/db/schema.js";
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

async function setup(env: Record<string, string> = {}) {
  upstream = await startMockUpstream((_req, res) => json(res, 200, openaiCompletion()));
  parley = await startTestParley({
    PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
    PARLEY_OPENAI_API_KEY: "sk-provider",
    PARLEY_MODEL_MAP: "gpt-4.1=openai/gpt-4.1,claude-*=openai/gpt-4.1",
    ...env,
  });
  return parley;
}

function post(path: string, body: string | object, headers: Record<string, string> = {}) {
  return fetch(`${parley!.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("client auth", () => {
  it("refuses a wrong key in each dialect and accepts x-api-key and bearer", async () => {
    await setup({ PARLEY_CLIENT_KEYS: "k1,k2" });
    const anthropic = new Anthropic({ baseURL: parley!.url, apiKey: "wrong", maxRetries: 0 });
    const denied = await anthropic.messages
      .create({ model: "claude-x", max_tokens: 5, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((denied as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({
      type: "error",
      error: { type: "authentication_error" },
    });
    const openai = new OpenAI({ baseURL: `${parley!.url}/v1`, apiKey: "wrong", maxRetries: 0 });
    await expect(
      openai.chat.completions.create({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);

    const ok = new OpenAI({ baseURL: `${parley!.url}/v1`, apiKey: "k2", maxRetries: 0 });
    await ok.chat.completions.create({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] });
    const viaHeader = await post(
      "/v1/chat/completions",
      { model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] },
      { "x-api-key": "k1" },
    );
    expect(viaHeader.status).toBe(200);
    // The client's key is a Parley key: it never reaches a provider that has its own.
    expect(upstream!.requests.every((r) => r.headers.authorization === "Bearer sk-provider")).toBe(true);
  });

  it("refuses to serve a public address without client keys", async () => {
    await expect(setup({ PARLEY_HOST: "0.0.0.0" })).rejects.toThrow(/PARLEY_CLIENT_KEYS/);
  });
});

describe("request limits", () => {
  const cases: Array<{ name: string; path: string; body: string | object; status: number; says: RegExp }> = [
    { name: "invalid JSON", path: "/v1/messages", body: "{not json", status: 400, says: /not valid JSON/ },
    { name: "a JSON array", path: "/v1/chat/completions", body: "[]", status: 400, says: /JSON object/ },
    {
      name: "no model",
      path: "/v1/messages",
      body: { messages: [{ role: "user", content: "x" }] },
      status: 400,
      says: /`model`/,
    },
    {
      name: "no messages",
      path: "/v1/chat/completions",
      body: { model: "gpt-4.1" },
      status: 400,
      says: /`messages`/,
    },
    {
      name: "empty messages",
      path: "/v1/messages",
      body: { model: "claude-x", messages: [] },
      status: 400,
      says: /non-empty/,
    },
    {
      name: "a non-boolean stream",
      path: "/v1/messages",
      body: { model: "claude-x", stream: "yes", messages: [{ role: "user", content: "x" }] },
      status: 400,
      says: /`stream`/,
    },
  ];
  for (const c of cases) {
    it(`answers ${c.name} with ${c.status} in the caller's dialect`, async () => {
      await setup();
      const res = await post(c.path, c.body);
      expect(res.status).toBe(c.status);
      const body: any = await res.json();
      if (c.path === "/v1/messages") {
        expect(body).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
        expect(body.error.message).toMatch(c.says);
      } else {
        expect(body.error.type).toBe("invalid_request_error");
        expect(body.error.message).toMatch(c.says);
      }
      expect(upstream!.requests).toHaveLength(0);
    });
  }

  it("refuses a body over PARLEY_MAX_BODY_BYTES with 413", async () => {
    await setup({ PARLEY_MAX_BODY_BYTES: String(1024 * 1024) });
    const res = await post("/v1/messages", {
      model: "claude-x",
      messages: [{ role: "user", content: "x".repeat(2 * 1024 * 1024) }],
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.type).toBe("request_too_large");
  });
});

describe("count_tokens", () => {
  it("names the provider and the one attempt, like every answer", async () => {
    await setup();
    const res = await post("/v1/messages/count_tokens", {
      model: "claude-x",
      messages: [{ role: "user", content: "how many tokens is this" }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-parley-provider")).toBe("openai");
    expect(res.headers.get("x-parley-attempts")).toBe("1");
  });
});

describe("message count limit", () => {
  it("passes a session of 5,000 messages by default, as Anthropic would", async () => {
    await setup();
    const messages = Array.from({ length: 5000 }, (_, i) => ({
      role: i % 2 === 0 ? "user" : "assistant",
      content: "x",
    }));
    const res = await post("/v1/chat/completions", { model: "gpt-4.1", messages });
    expect(res.status).toBe(200);
  });

  it("refuses more than PARLEY_MAX_MESSAGES in the caller's dialect, naming the variable", async () => {
    await setup({ PARLEY_MAX_MESSAGES: "10" });
    const messages = Array.from({ length: 11 }, () => ({ role: "user", content: "x" }));
    const res = await post("/v1/messages", { model: "claude-x", messages });
    expect(res.status).toBe(400);
    const body: any = await res.json();
    expect(body).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(body.error.message).toMatch(/at most 10 are allowed \(PARLEY_MAX_MESSAGES\)/);
    expect(upstream!.requests).toHaveLength(0);
  });
});

describe("routing answers", () => {
  it("answers 404 listing the known aliases when a model is not mapped", async () => {
    await setup();
    // The quick start adds a catch-all; remove it as an operator would, then reload.
    const database = openDatabase(join(parley!.dir, "parley.db"));
    database.db.delete(modelMappings).where(eq(modelMappings.alias, "*")).run();
    database.close();
    parley!.reload();
    const res = await post("/v1/chat/completions", {
      model: "llama-3",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(res.status).toBe(404);
    const body: any = await res.json();
    expect(body.error.message).toBe(
      'model "llama-3" is not mapped to any provider; known aliases: gpt-4.1, claude-*',
    );
    expect(body.error.param).toBe("model");
    const anthropic = await post("/v1/messages", {
      model: "llama-3",
      max_tokens: 5,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(((await anthropic.json()) as any).error.type).toBe("not_found_error");
  });

  it("answers 503 with the set-up hint when no provider exists", async () => {
    parley = await startTestParley({});
    const res = await post("/v1/messages", {
      model: "claude-x",
      max_tokens: 5,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(res.status).toBe(503);
    const body: any = await res.json();
    expect(body.error.message).toContain("PARLEY_OPENAI_BASE_URL");
    expect(res.headers.get("x-request-id")).toMatch(/[0-9a-f-]{36}/);
  });

  it("keeps the client's x-request-id", async () => {
    await setup();
    const res = await post(
      "/v1/chat/completions",
      { model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] },
      { "x-request-id": "req-abc.1" },
    );
    expect(res.headers.get("x-request-id")).toBe("req-abc.1");
  });
});

describe("/v1/models and the probes", () => {
  it("lists aliases in OpenAI shape", async () => {
    await setup();
    const openai = new OpenAI({ baseURL: `${parley!.url}/v1`, apiKey: "x", maxRetries: 0 });
    const ids: string[] = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    expect(ids).toEqual(["gpt-4.1", "claude-*", "*"]);
  });

  it("lists aliases in Anthropic shape when anthropic-version is sent", async () => {
    await setup();
    const anthropic = new Anthropic({ baseURL: parley!.url, apiKey: "x", maxRetries: 0 });
    const page = await anthropic.models.list();
    expect(page.data.map((m) => m.id)).toEqual(["gpt-4.1", "claude-*", "*"]);
    expect(page.data[0]!.type).toBe("model");
  });

  it("answers HEAD / for Claude Code's connectivity check", async () => {
    await setup({ PARLEY_CLIENT_KEYS: "k" });
    const res = await fetch(`${parley!.url}/`, { method: "HEAD" });
    expect(res.status).toBe(200);
  });

  it("reports liveness and health with the snapshot version", async () => {
    await setup();
    const livez = (await (await fetch(`${parley!.url}/livez`)).json()) as any;
    expect(livez).toMatchObject({ status: "ok", draining: false });
    const health = (await (await fetch(`${parley!.url}/health`)).json()) as any;
    expect(health).toMatchObject({
      status: "ok",
      snapshot_version: 1,
      providers: [{ id: "openai", kind: "openai" }],
    });
  });
});

describe("compression", () => {
  it("gzips a large JSON answer for a client that accepts it", async () => {
    const big = openaiCompletion({
      choices: [
        { index: 0, message: { role: "assistant", content: "y".repeat(5000) }, finish_reason: "stop" },
      ],
    });
    upstream = await startMockUpstream((_req, res) => json(res, 200, big));
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "k",
    });
    const { request } = await import("undici");
    const res = await request(`${parley.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "accept-encoding": "gzip", "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.headers["content-encoding"]).toBe("gzip");
    const text = gunzipSync(Buffer.from(await res.body.arrayBuffer())).toString("utf8");
    expect(JSON.parse(text)).toEqual(big);
  });
});
