// Translating with every allowed string held (threshold 1 byte) must send upstream what the plain
// translation sends, byte for byte once parsed, and must show the client no placeholder: in the
// response context, the translated response, or the stream synthesized from it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ClientDialect, Dialect } from "../../../src/core/dialect-errors.js";
import { createLogger } from "../../../src/core/logger.js";
import { bridgeFor } from "../../../src/dataplane/bridges.js";
import { heldPathsFor } from "../../../src/dataplane/held-paths.js";
import { type HeldBody, holdStrings } from "../../../src/dataplane/held-strings.js";
import type { ProviderConfig, Target } from "../../../src/routing/types.js";
import { requestsOf } from "./held-requests.js";

const logger = createLogger("silent");

function targetFor(kind: Dialect): Target {
  const provider: ProviderConfig = {
    id: "p",
    kind,
    baseUrl: "http://127.0.0.1:1/v1",
    apiKey: null,
    headers: {},
    timeouts: { connectMs: 1, headersMs: 1, idleMs: 1, requestMs: 1 },
    maxRetries: null,
    breaker: { failureThreshold: null, openMs: null },
    enabled: true,
    demoteNonStreaming: null,
    responsesApi: false,
    limits: { maxBodyBytes: null, maxMessages: null },
  };
  return {
    provider,
    upstreamModel: kind === "openai" ? "deepseek-reasoner" : "claude-sonnet-4-5",
    maxOutputTokens: null,
  };
}

/** Canned upstream answers, one per provider kind, to run each context through a response. */
const UPSTREAM_ANSWERS: Record<Dialect, unknown[]> = {
  openai: ["openai/chat-completion-tool-calls.json", "openai/chat-completion-reasoning.json"].map(readJson),
  anthropic: ["anthropic/message-tool-use.json", "anthropic/message-thinking.json"].map(readJson),
};

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(`test/fixtures/${path}`, "utf8"));
}

/** Every string anywhere in `value` (Maps, Sets and class instances included), without recursion. */
function allStrings(value: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [value];
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") out.push(v);
    else if (typeof v === "object" && v !== null && !seen.has(v)) {
      seen.add(v);
      if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
      else if (v instanceof Set) for (const x of v) stack.push(x);
      else for (const [k, x] of Object.entries(v)) stack.push(k, x);
    }
  }
  // JSON-escaped, as countIn looks for the placeholder's escaped form.
  return JSON.stringify(out);
}

interface Outcome {
  upstream?: unknown;
  error?: string;
  ctx?: unknown;
}

function translate(client: ClientDialect, upstream: Dialect, body: unknown, rawLength: number) {
  return bridgeFor(client, upstream).prepare(body as Record<string, unknown>, targetFor(upstream), {
    clientModel: String((body as { model?: unknown }).model),
    rawLength,
    logger,
  });
}

function plainOutcome(client: ClientDialect, upstream: Dialect, raw: Buffer): Outcome {
  try {
    const prepared = translate(client, upstream, JSON.parse(raw.toString("utf8")), raw.length);
    return {
      upstream: JSON.parse(Buffer.from(JSON.stringify(prepared.body)).toString("utf8")),
      ctx: prepared.ctx,
    };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function heldOutcome(held: HeldBody, client: ClientDialect, upstream: Dialect, rawLength: number): Outcome {
  try {
    const prepared = translate(client, upstream, held.parse(), rawLength);
    return {
      upstream: JSON.parse(held.restore(JSON.stringify(prepared.body)).toString("utf8")),
      ctx: prepared.ctx,
    };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const DIRECTIONS: Array<{ client: ClientDialect; upstream: Dialect }> = [
  { client: "anthropic", upstream: "openai" },
  { client: "openai", upstream: "anthropic" },
  { client: "responses", upstream: "openai" },
  { client: "responses", upstream: "anthropic" },
];

for (const { client, upstream } of DIRECTIONS) {
  describe(`held strings, ${client} client to ${upstream} provider`, () => {
    const paths = heldPathsFor(client, upstream);
    it("has paths", () => expect(paths).toBeDefined());
    if (paths === undefined) return;

    for (const { name, raw } of requestsOf(client)) {
      it(`${name}: the upstream gets what the plain translation sends, the client no placeholder`, () => {
        const held = holdStrings(raw, { paths, minBytes: 1 });
        const plain = plainOutcome(client, upstream, raw);
        const outcome = heldOutcome(held, client, upstream, raw.length);
        expect(outcome.error).toBe(plain.error);
        expect(outcome.upstream).toEqual(plain.upstream);
        if (name.startsWith("refused")) expect(plain.error).toBeDefined();
        if (plain.error !== undefined) return;
        // Holding is what this test exercises: a body that holds nothing proves nothing.
        if (!name.startsWith("blank")) expect(held.held).toBeGreaterThan(0);
        expect(held.countIn(allStrings(outcome.ctx))).toBe(0);
        const bridge = bridgeFor(client, upstream);
        for (const answer of UPSTREAM_ANSWERS[upstream]) {
          const clientBody = bridge.translateResponse(answer, outcome.ctx);
          expect(held.countIn(allStrings(clientBody))).toBe(0);
          expect(held.countIn(allStrings(bridge.synthesize(answer, outcome.ctx)))).toBe(0);
        }
      });
    }
  });
}
