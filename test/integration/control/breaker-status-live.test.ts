// The breaker state in the admin API is the data plane's own: the real process (data plane
// and admin API, as main.ts wires them) in front of an upstream that always fails, driven by
// the OpenAI SDK until the breaker opens, then read back through GetProvider and ListProviders.
import { timestampMs } from "@bufbuild/protobuf/wkt";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BreakerState } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { json, type MockUpstream, startMockUpstream } from "../../helpers/mock-upstream.js";
import { type AdminHarness, startAdmin } from "./admin-harness.js";

let upstream: MockUpstream;
let h: AdminHarness;
let client: OpenAI;
beforeAll(async () => {
  upstream = await startMockUpstream((_req, res) =>
    json(res, 500, { error: { message: "upstream is down", type: "server_error" } }),
  );
  // One attempt per request, so five requests are five failures in a row.
  h = await startAdmin({
    PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
    PARLEY_OPENAI_API_KEY: "sk-upstream-key-0001",
    PARLEY_MAX_RETRIES: "0",
  });
  client = new OpenAI({ baseURL: `${h.dataPlaneUrl}/v1`, apiKey: "unused", maxRetries: 0 });
});
afterAll(async () => {
  await h?.close();
  await upstream?.close();
});

function ask() {
  return client.chat.completions.create({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] });
}

describe("breaker state through the admin API", () => {
  it("is CLOSED before any traffic", async () => {
    const { provider } = await h.clients().providers.getProvider({ id: "openai" });
    expect(provider?.status).toMatchObject({ breakerState: BreakerState.CLOSED, consecutiveFailures: 0 });
  });

  it("after five failed requests GetProvider and ListProviders show OPEN with 5 failures", async () => {
    const started = Date.now();
    for (let i = 0; i < 5; i++) await expect(ask()).rejects.toMatchObject({ status: 500 });
    expect(upstream.requests).toHaveLength(5);

    const { provider } = await h.clients().providers.getProvider({ id: "openai" });
    expect(provider?.status).toMatchObject({ breakerState: BreakerState.OPEN, consecutiveFailures: 5 });
    const openedAt = timestampMs(provider!.status!.openTime!);
    expect(openedAt).toBeGreaterThanOrEqual(started);
    expect(openedAt).toBeLessThanOrEqual(Date.now());
    // The default open duration (30 s) is what the data plane applies to this provider.
    expect(timestampMs(provider!.status!.retryTime!)).toBe(openedAt + 30_000);

    const { providers } = await h.clients().providers.listProviders({});
    expect(providers.map((p) => [p.id, p.status?.breakerState, p.status?.consecutiveFailures])).toEqual([
      ["openai", BreakerState.OPEN, 5],
    ]);
  });

  it("while open the provider is skipped: no sixth upstream request, the count stays at 5", async () => {
    await expect(ask()).rejects.toMatchObject({ status: 503 });
    expect(upstream.requests).toHaveLength(5);
    const { provider } = await h.clients().providers.getProvider({ id: "openai" });
    expect(provider?.status).toMatchObject({ breakerState: BreakerState.OPEN, consecutiveFailures: 5 });
  });
});
