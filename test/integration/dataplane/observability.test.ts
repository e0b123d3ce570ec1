// What an operator sees: one "request completed" line per request with its fields, and
// /metrics numbers that move as real requests succeed, translate, retry, fail over, meet
// an open breaker or are abandoned by their client.
import { Writable } from "node:stream";
import Anthropic from "@anthropic-ai/sdk";
import { createConnectTransport } from "@connectrpc/connect-node";
import OpenAI from "openai";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import {
  json,
  type MockUpstream,
  openaiSse,
  sseChunks,
  startMockUpstream,
} from "../../helpers/mock-upstream.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";
import { anthropicMessage, openaiCompletion, openaiTextChunks } from "../../helpers/wire.js";
import { clientsFor } from "../control/admin-harness.js";

const upstreams: MockUpstream[] = [];
let parley: TestParley | undefined;
let lines: Array<Record<string, unknown>> = [];
afterEach(async () => {
  await parley?.close();
  for (const u of upstreams.splice(0)) await u.close();
  parley = undefined;
  lines = [];
});

function capturingLogger() {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return pino({ level: "info" }, sink);
}

async function start(env: Record<string, string>) {
  parley = await startTestParley(env, { logger: capturingLogger() });
  return parley;
}

async function metrics(): Promise<string> {
  return (await fetch(`${parley!.url}/metrics`)).text();
}

/** The value of one sample, or 0 when the series does not exist yet. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((w) => line.includes(w))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}

const completed = () => lines.filter((l) => l.msg === "request completed");

describe("the request log line", () => {
  it("says what happened, with tokens from the upstream's usage, and no prompt text or key", async () => {
    const upstream = await startMockUpstream((req, res) =>
      req.json?.stream
        ? sseChunks(res, openaiSse(openaiTextChunks("streamed answer")))
        : json(res, 200, openaiCompletion()),
    );
    upstreams.push(upstream);
    await start({
      PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-provider-secret-key",
      PARLEY_MODEL_MAP: "claude-*=openai/gpt-4.1",
    });
    const anthropic = new Anthropic({ baseURL: parley!.url, apiKey: "x", maxRetries: 0 });
    await anthropic.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 10,
      messages: [{ role: "user", content: "a secret prompt" }],
    });
    await anthropic.messages
      .stream({ model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "again" }] })
      .finalMessage();
    await new Promise((r) => setTimeout(r, 50));
    const [plain, streamed] = completed();
    expect(plain).toMatchObject({
      dialect_in: "anthropic",
      dialect_out: "openai",
      model: "claude-sonnet-4-5",
      provider: "openai",
      upstream_model: "gpt-4.1",
      attempts: 1,
      status: 200,
      stream: false,
      input_tokens: 19,
      output_tokens: 10,
    });
    expect(plain!.duration_ms).toEqual(expect.any(Number));
    expect(streamed).toMatchObject({ stream: true, status: 200, input_tokens: 19, output_tokens: 10 });
    expect(streamed!.ttfb_ms).toEqual(expect.any(Number));
    const all = JSON.stringify(lines);
    expect(all).not.toContain("a secret prompt");
    expect(all).not.toContain("sk-provider-secret-key");
  });

  it("logs a client that hung up as 499 at info level", async () => {
    const upstream = await startMockUpstream(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 2000));
      json(res, 200, openaiCompletion());
    });
    upstreams.push(upstream);
    await start({ PARLEY_OPENAI_BASE_URL: `${upstream.url}/v1`, PARLEY_OPENAI_API_KEY: "k" });
    const abort = new AbortController();
    const pending = fetch(`${parley!.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] }),
      signal: abort.signal,
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    abort.abort();
    await pending;
    await new Promise((r) => setTimeout(r, 100));
    const line = lines.find((l) => l.status === 499);
    expect(line).toMatchObject({ level: 30 });
    expect(lines.some((l) => (l.level as number) >= 50)).toBe(false);
    const text = await metrics();
    expect(
      sample(text, "parley_requests_total", { route: "/v1/chat/completions", status_class: "4xx" }),
    ).toBe(1);
  });
});

describe("/metrics", () => {
  it("counts requests, tokens, retries, fallbacks and breaker state as they happen", async () => {
    let primaryCalls = 0;
    const primary = await startMockUpstream((_req, res) => {
      primaryCalls++;
      json(res, 503, { type: "error", error: { type: "overloaded_error", message: "busy" } });
    });
    const backup = await startMockUpstream((_req, res) => json(res, 200, openaiCompletion()));
    upstreams.push(primary, backup);
    await start({
      PARLEY_ANTHROPIC_BASE_URL: primary.url,
      PARLEY_ANTHROPIC_API_KEY: "sk-ant",
      PARLEY_OPENAI_BASE_URL: `${backup.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-oai",
      PARLEY_MODEL_MAP: "gpt-4.1=openai/gpt-4.1,claude-*=anthropic/claude-sonnet-4-5",
      PARLEY_MAX_RETRIES: "1",
    });
    const before = await metrics();
    expect(sample(before, "parley_config_snapshot_version", {})).toBeGreaterThan(0);
    expect(before).toContain("nodejs_eventloop_lag_seconds");
    expect(before).toContain("process_cpu_seconds_total");

    // Passthrough success.
    const openai = new OpenAI({ baseURL: `${parley!.url}/v1`, apiKey: "x", maxRetries: 0 });
    const { response } = await openai.chat.completions
      .create({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(Number(response.headers.get("x-parley-overhead-ms"))).toBeGreaterThanOrEqual(0);

    // claude-* goes to anthropic, whose 503s are retried, then fail.
    const anthropic = new Anthropic({ baseURL: parley!.url, apiKey: "x", maxRetries: 0 });
    for (let i = 0; i < 3; i++) {
      await anthropic.messages
        .create({ model: "claude-x", max_tokens: 5, messages: [{ role: "user", content: "hi" }] })
        .catch(() => undefined);
    }
    const after = await metrics();
    const ok = { route: "/v1/chat/completions", model: "gpt-4.1", provider: "openai", status_class: "2xx" };
    expect(sample(after, "parley_requests_total", ok)).toBe(1);
    expect(
      sample(after, "parley_tokens_total", { provider: "openai", model: "gpt-4.1", direction: "input" }),
    ).toBe(19);
    expect(
      sample(after, "parley_tokens_total", { provider: "openai", model: "gpt-4.1", direction: "output" }),
    ).toBe(10);
    expect(sample(after, "parley_request_duration_seconds_count", ok)).toBe(1);
    const failed = { route: "/v1/messages", model: "claude-*", provider: "anthropic", status_class: "5xx" };
    expect(sample(after, "parley_requests_total", failed)).toBe(3);
    expect(sample(after, "parley_upstream_retries_total", { provider: "anthropic" })).toBe(3);
    // Six failed attempts: the breaker opened at the fifth, and the sixth request meets it open.
    expect(primaryCalls).toBe(5);
    expect(sample(after, "parley_circuit_breaker_state", { provider: "anthropic" })).toBe(2);
    expect(
      sample(after, "parley_circuit_breaker_transitions_total", { provider: "anthropic", state: "open" }),
    ).toBe(1);
    expect(sample(after, "parley_in_flight_requests", {})).toBe(0);
    expect(sample(after, "parley_overhead_seconds_count", { route: "/v1/chat/completions" })).toBe(1);
  });

  it("counts a fallback along a chain made through the admin API, and keeps unknown models to one label", async () => {
    const primary = await startMockUpstream((_req, res) => {
      res.destroy();
    });
    const backup = await startMockUpstream((_req, res) => json(res, 200, anthropicMessage()));
    upstreams.push(primary, backup);
    await start({
      PARLEY_OPENAI_BASE_URL: `${primary.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-oai",
      PARLEY_ANTHROPIC_BASE_URL: backup.url,
      PARLEY_ANTHROPIC_API_KEY: "sk-ant",
      PARLEY_MAX_RETRIES: "0",
    });
    const admin = clientsFor(createConnectTransport({ baseUrl: parley!.adminUrl, httpVersion: "1.1" }));
    await admin.chains.createFallbackChain({
      fallbackChain: { id: "main", targets: [{ providerId: "openai" }, { providerId: "anthropic" }] },
    });
    await admin.mappings.createModelMapping({
      modelMapping: { id: "main", alias: "chained", destination: { case: "fallbackChainId", value: "main" } },
    });
    const openai = new OpenAI({ baseURL: `${parley!.url}/v1`, apiKey: "x", maxRetries: 0 });
    const { response } = await openai.chat.completions
      .create({ model: "chained", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(response.headers.get("x-parley-provider")).toBe("anthropic");
    expect(response.headers.get("x-parley-attempts")).toBe("2");
    await fetch(`${parley!.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "made-up-model-123", messages: [{ role: "user", content: "hi" }] }),
    }).then((r) => r.text());
    const text = await metrics();
    expect(
      sample(text, "parley_fallbacks_total", { from_provider: "openai", to_provider: "anthropic" }),
    ).toBe(1);
    expect(
      sample(text, "parley_requests_total", { model: "chained", provider: "anthropic", status_class: "2xx" }),
    ).toBe(1);
    expect(text).not.toContain("made-up-model-123");
  });
});
