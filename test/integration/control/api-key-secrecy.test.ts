// Provider API keys are write-only: no response of any RPC — success or error — carries
// a key, and no log line does either. Checked on the raw bytes of Connect JSON responses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminHarness, startAdmin } from "./admin-harness.js";

const KEYS = [
  "sk-live-SECRET-create-a1b2c3d4",
  "sk-live-SECRET-update-e5f6g7h8",
  "sk-live-SECRET-dup-i9j0k1l2",
];
const BAD_KEY = "sk-live SECRET-with-space-m3n4";

let h: AdminHarness;
const bodies: string[] = [];

async function call(method: string, body: unknown, service = "ProviderService"): Promise<string> {
  const res = await fetch(`${h.adminUrl}/parley.admin.v1.${service}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  bodies.push(text);
  return text;
}

beforeAll(async () => {
  h = await startAdmin();
});
afterAll(() => h.close());

describe("API keys never leave the server", () => {
  it("no RPC answer contains a key, while api_key_set and the hint are there", async () => {
    const created = await call("CreateProvider", {
      provider: {
        id: "secret",
        kind: "PROVIDER_KIND_OPENAI",
        baseUrl: "https://s.example/v1",
        apiKey: KEYS[0],
      },
    });
    expect(JSON.parse(created).provider).toMatchObject({ apiKeySet: true, apiKeyHint: "c3d4" });
    expect(JSON.parse(await call("GetProvider", { id: "secret" })).provider.apiKeyHint).toBe("c3d4");
    await call("ListProviders", {});
    const updated = await call("UpdateProvider", {
      provider: { id: "secret", apiKey: KEYS[1] },
      updateMask: "apiKey",
    });
    expect(JSON.parse(updated).provider.apiKeyHint).toBe("g7h8");
    // Errors: a duplicate carrying a key, a malformed key, an update refused for another field.
    const dup = await call("CreateProvider", {
      provider: {
        id: "secret",
        kind: "PROVIDER_KIND_OPENAI",
        baseUrl: "https://s.example/v1",
        apiKey: KEYS[2],
      },
    });
    expect(JSON.parse(dup).code).toBe("already_exists");
    const bad = await call("CreateProvider", {
      provider: {
        id: "bad-key",
        kind: "PROVIDER_KIND_OPENAI",
        baseUrl: "https://s.example/v1",
        apiKey: BAD_KEY,
      },
    });
    expect(JSON.parse(bad)).toMatchObject({ code: "invalid_argument" });
    expect(JSON.parse(bad).message).toMatch(/^provider\.api_key: /);
    const refused = await call("UpdateProvider", {
      provider: { id: "secret", apiKey: KEYS[2], baseUrl: "nope" },
      updateMask: "apiKey,baseUrl",
    });
    expect(JSON.parse(refused).code).toBe("invalid_argument");
    expect(JSON.parse(await call("GetProvider", { id: "secret" })).provider.apiKeyHint).toBe("g7h8");
    await call(
      "CreateModelMapping",
      {
        modelMapping: { id: "m", alias: "m", target: { providerId: "secret" } },
      },
      "ModelMappingService",
    );
    const inUse = await call("DeleteProvider", { id: "secret" });
    expect(JSON.parse(inUse).code).toBe("failed_precondition");

    const everything = bodies.join("\n");
    for (const key of [...KEYS, BAD_KEY]) {
      expect(everything).not.toContain(key);
      expect(everything).not.toContain(key.slice(0, 16));
    }
  });

  it("no log line contains a key", () => {
    expect(h.logs.length).toBeGreaterThan(3);
    const log = h.logs.join("\n");
    for (const key of [...KEYS, BAD_KEY]) expect(log).not.toContain(key.slice(0, 16));
  });
});
