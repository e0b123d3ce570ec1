// The admin listener itself: bearer-token auth on and off, the refusal to expose an
// unauthenticated admin API, and one port speaking Connect (JSON and binary), gRPC and
// gRPC-Web over HTTP/1.1 and h2c.
import { Code } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/core/config.js";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { startParley } from "../../../src/main.js";
import { type AdminHarness, bearer, clientsFor, errorOf, startAdmin } from "./admin-harness.js";

const TOKEN = "admin-token-for-tests-0123456789";
const listBody = { method: "POST", headers: { "content-type": "application/json" }, body: "{}" };

describe("auth on (PARLEY_ADMIN_TOKEN set)", () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdmin({ PARLEY_ADMIN_TOKEN: TOKEN });
  });
  afterAll(() => h.close());

  it("a call without a token is unauthenticated", async () => {
    const error = await errorOf(h.clients().providers.listProviders({}));
    expect(error.code).toBe(Code.Unauthenticated);
    expect(error.message).toContain("Authorization: Bearer");
  });

  it.each(["wrong-token", `${TOKEN}x`, TOKEN.slice(0, -1), ""])(
    "token %j is unauthenticated",
    async (token) => {
      const error = await errorOf(h.clients(token).providers.listProviders({}));
      expect(error.code).toBe(Code.Unauthenticated);
    },
  );

  it("every service checks the token, writes included", async () => {
    const c = h.clients("nope");
    for (const call of [
      c.providers.createProvider({
        provider: { id: "x", kind: ProviderKind.OPENAI, baseUrl: "https://x.example" },
      }),
      c.mappings.listModelMappings({}),
      c.chains.deleteFallbackChain({ id: "x" }),
    ]) {
      expect((await errorOf(call)).code).toBe(Code.Unauthenticated);
    }
    expect((await h.clients(TOKEN).providers.listProviders({})).providers).toEqual([]);
  });

  it("the right token is accepted, over Connect and over gRPC", async () => {
    const { providers } = await h.clients(TOKEN).providers.listProviders({});
    expect(providers).toEqual([]);
    const grpc = clientsFor(createGrpcTransport({ baseUrl: h.adminUrl, interceptors: [bearer(TOKEN)] }));
    expect((await grpc.providers.listProviders({})).providers).toEqual([]);
    const grpcWrong = clientsFor(createGrpcTransport({ baseUrl: h.adminUrl, interceptors: [bearer("bad")] }));
    expect((await errorOf(grpcWrong.providers.listProviders({}))).code).toBe(Code.Unauthenticated);
  });

  it("plain HTTP gets 401 with a Connect error body, and the scheme is case-insensitive", async () => {
    const url = `${h.adminUrl}/parley.admin.v1.ProviderService/ListProviders`;
    const missing = await fetch(url, listBody);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: "unauthenticated" });
    const ok = await fetch(url, {
      ...listBody,
      headers: { ...listBody.headers, authorization: `bearer ${TOKEN}` },
    });
    expect(ok.status).toBe(200);
  });
});

describe("auth off (no token, loopback)", () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdmin();
  });
  afterAll(() => h.close());

  it("calls need no token, and a stray one is ignored", async () => {
    expect((await h.clients().providers.listProviders({})).providers).toEqual([]);
    expect((await h.clients("anything").providers.listProviders({})).providers).toEqual([]);
  });
});

describe("exposure", () => {
  it("a non-loopback admin host without a token is refused at start-up", async () => {
    const config = loadConfig({
      PORT: "0",
      PARLEY_ADMIN_PORT: "0",
      PARLEY_ADMIN_HOST: "0.0.0.0",
      PARLEY_DB: ":memory:",
    });
    await expect(startParley(config)).rejects.toThrow(ConfigError);
    await expect(startParley(config)).rejects.toThrow(/PARLEY_ADMIN_HOST.*PARLEY_ADMIN_TOKEN/);
  });

  it("a non-loopback admin host with a token starts and requires it", async () => {
    const h = await startAdmin({ PARLEY_ADMIN_HOST: "0.0.0.0", PARLEY_ADMIN_TOKEN: TOKEN });
    try {
      const port = new URL(h.adminUrl).port;
      const local = `http://127.0.0.1:${port}`;
      const c = clientsFor(createConnectTransport({ baseUrl: local, httpVersion: "1.1" }));
      expect((await errorOf(c.providers.listProviders({}))).code).toBe(Code.Unauthenticated);
    } finally {
      await h.close();
    }
  });
});

describe("protocol matrix on one port", () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdmin();
  });
  afterAll(() => h.close());

  it("Connect JSON over HTTP/1.1 with plain fetch", async () => {
    const create = await fetch(`${h.adminUrl}/parley.admin.v1.ProviderService/CreateProvider`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        provider: { id: "via-fetch", kind: "PROVIDER_KIND_OPENAI", baseUrl: "https://f.example/v1" },
      }),
    });
    expect(create.status).toBe(200);
    expect(await create.json()).toMatchObject({
      provider: { id: "via-fetch", kind: "PROVIDER_KIND_OPENAI", enabled: true },
    });
    const get = await fetch(`${h.adminUrl}/parley.admin.v1.ProviderService/GetProvider`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "via-fetch" }),
    });
    expect(((await get.json()) as { provider: { baseUrl: string } }).provider.baseUrl).toBe(
      "https://f.example/v1",
    );
  });

  it("Connect JSON errors carry the code name and an HTTP status", async () => {
    const res = await fetch(`${h.adminUrl}/parley.admin.v1.ProviderService/GetProvider`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "missing" }),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: "not_found", message: 'provider "missing" not found' });
  });

  it("an unknown JSON field is invalid_argument instead of silently dropped", async () => {
    const res = await fetch(`${h.adminUrl}/parley.admin.v1.ProviderService/CreateProvider`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        provider: { id: "typo", kind: "PROVIDER_KIND_OPENAI", baseURL: "https://x.example" },
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("invalid_argument");
  });

  const transports = {
    "Connect binary over HTTP/1.1": () =>
      createConnectTransport({ baseUrl: h.adminUrl, httpVersion: "1.1", useBinaryFormat: true }),
    "Connect JSON over h2c": () => createConnectTransport({ baseUrl: h.adminUrl, httpVersion: "2" }),
    "gRPC over h2c": () => createGrpcTransport({ baseUrl: h.adminUrl }),
    "gRPC-Web over HTTP/1.1": () => createGrpcWebTransport({ baseUrl: h.adminUrl, httpVersion: "1.1" }),
    "gRPC-Web over h2c": () => createGrpcWebTransport({ baseUrl: h.adminUrl, httpVersion: "2" }),
  };
  it.each(Object.entries(transports))("%s: create, get, list and an error code", async (name, transport) => {
    const c = clientsFor(transport());
    const id = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/-+$/, "");
    const { provider } = await c.providers.createProvider({
      provider: {
        id,
        kind: ProviderKind.ANTHROPIC,
        baseUrl: "https://a.example",
        apiKey: "sk-protocol-test-key",
      },
    });
    expect(provider).toMatchObject({ id, apiKeySet: true, apiKeyHint: "-key", apiKey: "" });
    expect((await c.providers.getProvider({ id })).provider?.id).toBe(id);
    expect((await c.providers.listProviders({ pageSize: 1000 })).providers.map((p) => p.id)).toContain(id);
    const error = await errorOf(
      c.providers.createProvider({
        provider: { id, kind: ProviderKind.ANTHROPIC, baseUrl: "https://a.example" },
      }),
    );
    expect(error.code).toBe(Code.AlreadyExists);
  });
});
