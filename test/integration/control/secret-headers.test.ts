// Extra headers that carry credentials (Azure OpenAI's api-key, anything named *key*,
// *token*, *secret*, *auth*) are write-only like api_key: responses list them with a set
// flag and a hint, never the value, and no error or log line carries it either. The data
// plane still sends them upstream. Checked on the raw bytes of Connect JSON responses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { openaiCompletion } from "../../helpers/wire.js";
import { type AdminHarness, startAdmin } from "./admin-harness.js";

const AZURE_KEY = "azure-SECRET-key-0a1b2c3d";
const AUTH_TOKEN = "tok-SECRET-value-4e5f6g7h";
const REPLACED_KEY = "azure-SECRET-next-8i9j0k1l";
const SHORT = "s3cr";
const SECRETS = [AZURE_KEY, AUTH_TOKEN, REPLACED_KEY];

let h: AdminHarness;
let upstream: MockUpstream;
const bodies: string[] = [];

async function callRaw(method: string, body: string, service = "ProviderService"): Promise<any> {
  const res = await fetch(`${h.adminUrl}/parley.admin.v1.${service}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const text = await res.text();
  bodies.push(text);
  return JSON.parse(text);
}

const call = (method: string, body: unknown, service?: string) =>
  callRaw(method, JSON.stringify(body), service);

async function chat(): Promise<Response> {
  return fetch(`${h.dataPlaneUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "azure-model", messages: [{ role: "user", content: "hi" }] }),
  });
}

const answer = openaiCompletion({
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "ok", refusal: null },
      finish_reason: "stop",
      logprobs: null,
    },
  ],
});

beforeAll(async () => {
  upstream = await startMockUpstream((_req, res) => json(res, 200, answer));
  h = await startAdmin();
  const created = await call("CreateProvider", {
    provider: {
      id: "azure",
      kind: "PROVIDER_KIND_OPENAI",
      baseUrl: `${upstream.url}/v1`,
      headers: {
        "api-key": AZURE_KEY,
        "X-Auth-Token": AUTH_TOKEN,
        "x-title": "Parley",
        "x-secret-pin": SHORT,
      },
    },
  });
  expect(created.provider).toBeDefined();
  await call(
    "CreateModelMapping",
    { modelMapping: { id: "azure-model", alias: "azure-model", target: { providerId: "azure" } } },
    "ModelMappingService",
  );
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});

describe("secret headers never leave the server", () => {
  it("responses list them by name with a set flag and a hint, and keep other headers visible", async () => {
    const expected = {
      headers: { "x-title": "Parley" },
      secretHeaders: [
        { name: "X-Auth-Token", valueSet: true, valueHint: "6g7h" },
        { name: "api-key", valueSet: true, valueHint: "2c3d" },
        // Too short to hint at, as with api_key.
        { name: "x-secret-pin", valueSet: true },
      ],
    };
    expect((await call("GetProvider", { id: "azure" })).provider).toMatchObject(expected);
    const listed = await call("ListProviders", {});
    expect(listed.providers[0]).toMatchObject(expected);
  });

  it("the data plane still sends them upstream", async () => {
    expect((await chat()).status).toBe(200);
    const sent = upstream.requests.at(-1)!.headers;
    expect(sent["api-key"]).toBe(AZURE_KEY);
    expect(sent["x-auth-token"]).toBe(AUTH_TOKEN);
    expect(sent["x-title"]).toBe("Parley");
  });

  it("a full update (empty update_mask) keeps the secret headers it leaves out", async () => {
    const got = (await call("GetProvider", { id: "azure" })).provider;
    const updated = await call("UpdateProvider", {
      provider: {
        id: got.id,
        kind: got.kind,
        baseUrl: got.baseUrl,
        headers: { ...got.headers, "x-title": "Parley 2", "API-KEY": REPLACED_KEY },
      },
    });
    expect(updated.provider).toMatchObject({
      headers: { "x-title": "Parley 2" },
      secretHeaders: [
        { name: "API-KEY", valueHint: "0k1l" },
        { name: "X-Auth-Token", valueHint: "6g7h" },
        { name: "x-secret-pin", valueSet: true },
      ],
    });
    await chat();
    const sent = upstream.requests.at(-1)!.headers;
    expect(sent["api-key"]).toBe(REPLACED_KEY);
    expect(sent["x-auth-token"]).toBe(AUTH_TOKEN);
  });

  it("errors never repeat a secret header's value", async () => {
    const dup = await call("CreateProvider", {
      provider: {
        id: "azure",
        kind: "PROVIDER_KIND_OPENAI",
        baseUrl: "https://a.example/v1",
        headers: { "api-key": AZURE_KEY },
      },
    });
    expect(dup.code).toBe("already_exists");
    const bad = await call("UpdateProvider", {
      provider: { id: "azure", headers: { "api-key": `${AZURE_KEY}\r\nx-evil: 1` } },
      updateMask: "headers",
    });
    expect(bad.code).toBe("invalid_argument");
    expect(bad.message).toMatch(/^provider\.headers\["api-key"\]: /);
    const twice = await call("UpdateProvider", {
      provider: { id: "azure", headers: { "api-key": AZURE_KEY, "Api-Key": AUTH_TOKEN } },
      updateMask: "headers",
    });
    expect(twice.code).toBe("invalid_argument");
  });

  it("a request that fails to decode is refused without quoting the secret", async () => {
    // JSON.parse's own message would quote the text around the fault: the unquoted key.
    const unquoted = await callRaw(
      "UpdateProvider",
      `{"provider":{"id":"azure","headers":{"api-key":${AZURE_KEY}}},"updateMask":"headers"}`,
    );
    expect(unquoted).toMatchObject({ code: "invalid_argument" });
    expect(unquoted.message).toMatch(/^the request body is not valid JSON/);
    const numeric = await call("UpdateProvider", {
      provider: { id: "azure", headers: { "api-key": 12345678901234 }, apiKey: 98765432109876 },
      updateMask: "headers",
    });
    expect(numeric.code).toBe("invalid_argument");
    expect(numeric.message).toMatch(/^provider\.(headers|api_key): must be .* it may be a secret\)$/);
    expect(JSON.stringify(numeric)).not.toMatch(/12345678|98765432/);
    const listed = await call("UpdateProvider", {
      provider: { id: "azure", apiKey: [AUTH_TOKEN] },
      updateMask: "apiKey",
    });
    expect(listed.message).toMatch(/^provider\.api_key: must be a string/);
  });

  it("update_mask headers replaces the whole map, secret headers included", async () => {
    const replaced = await call("UpdateProvider", {
      provider: { id: "azure", headers: { "x-title": "only" } },
      updateMask: "headers",
    });
    expect(replaced.provider.headers).toEqual({ "x-title": "only" });
    expect(replaced.provider.secretHeaders).toBeUndefined();
    await chat();
    expect(upstream.requests.at(-1)!.headers["api-key"]).toBeUndefined();
  });

  it("no response body contained a secret value", () => {
    const everything = bodies.join("\n");
    for (const secret of SECRETS) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(secret.slice(0, 16));
    }
  });

  it("no log line contains a secret value", () => {
    expect(h.logs.length).toBeGreaterThan(3);
    const log = h.logs.join("\n");
    for (const secret of SECRETS) expect(log).not.toContain(secret.slice(0, 16));
  });
});
