// Micro-bench of a translated request's CPU cost with and without holding its long strings
// (src/dataplane/held-strings.ts): agent conversations of 64 KB, 512 KB and 4 MB per direction,
// the median of many runs of each path, from the raw body to the bytes sent upstream.
// Run: npx tsx bench/held-strings.ts [--runs N]
import type { ClientDialect, Dialect } from "../src/core/dialect-errors.js";
import { createLogger } from "../src/core/logger.js";
import { bridgeFor } from "../src/dataplane/bridges.js";
import type { HeldPathNode } from "../src/dataplane/held-paths.js";
import { heldPathsFor } from "../src/dataplane/held-paths.js";
import { type HeldBody, holdStrings } from "../src/dataplane/held-strings.js";
import type { ProviderConfig, Target } from "../src/routing/types.js";
import { agentConversation } from "./conversations.js";

const logger = createLogger("silent");

function targetFor(kind: Dialect): Target {
  const provider: ProviderConfig = {
    id: "bench",
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
    upstreamModel: kind === "openai" ? "gpt-4.1" : "claude-sonnet-4-5",
    maxOutputTokens: null,
  };
}

interface Direction {
  client: ClientDialect;
  upstream: Dialect;
}

/** The plain path: decode, parse, prepare, stringify, encode. */
function plain(raw: Buffer, { client, upstream }: Direction): Buffer {
  const text = raw.toString("utf8");
  const body = JSON.parse(text) as Record<string, unknown>;
  const prepared = bridgeFor(client, upstream).prepare(body, targetFor(upstream), {
    clientModel: String(body.model),
    rawLength: text.length,
    logger,
  });
  return Buffer.from(JSON.stringify(prepared.body), "utf8");
}

/** The held path: scan and hold, parse the small text, prepare, stringify, restore. */
function held(raw: Buffer, direction: Direction): Buffer {
  const heldBody = holdStrings(raw, { paths: pathsOf(direction) });
  return heldBody.restore(translateHeld(heldBody, raw.length, direction));
}

function pathsOf({ client, upstream }: Direction): HeldPathNode {
  const paths = heldPathsFor(client, upstream);
  if (paths === undefined) throw new Error(`no held paths for ${client}->${upstream}`);
  return paths;
}

/** The middle of the held path: parse the text, prepare, stringify. */
function translateHeld(heldBody: HeldBody, rawLength: number, { client, upstream }: Direction): string {
  const body = heldBody.parse() as Record<string, unknown>;
  const prepared = bridgeFor(client, upstream).prepare(body, targetFor(upstream), {
    clientModel: String(body.model),
    rawLength,
    logger,
  });
  return JSON.stringify(prepared.body);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Median milliseconds of `run`, alternating with nothing else so GC lands evenly. */
function timeIt(run: () => void, runs: number): number {
  for (let i = 0; i < Math.min(5, runs); i++) run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

function main(): void {
  const runsArg = process.argv.indexOf("--runs");
  const baseRuns = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 40;
  const directions: Direction[] = [
    { client: "anthropic", upstream: "openai" },
    { client: "responses", upstream: "openai" },
    { client: "responses", upstream: "anthropic" },
  ];
  const sizes = [64 * 1024, 512 * 1024, 4 * 1024 * 1024];
  console.log(
    "direction               size   plain ms  held ms  speed-up | held: scan  parse+prepare+stringify  restore | held strings",
  );
  for (const direction of directions) {
    for (const bytes of sizes) {
      const raw = Buffer.from(
        agentConversation({ dialect: direction.client, model: "bench-d0", bytes }),
        "utf8",
      );
      const same = JSON.stringify(JSON.parse(plain(raw, direction).toString()));
      if (same !== JSON.stringify(JSON.parse(held(raw, direction).toString()))) {
        throw new Error(`held and plain translations differ for ${direction.client}->${direction.upstream}`);
      }
      const paths = pathsOf(direction);
      const sample = holdStrings(raw, { paths });
      const json = translateHeld(sample, raw.length, direction);
      const runs = bytes > 1024 * 1024 ? Math.max(10, Math.round(baseRuns / 2)) : baseRuns;
      const plainMs = timeIt(() => plain(raw, direction), runs);
      const heldMs = timeIt(() => held(raw, direction), runs);
      const scanMs = timeIt(() => holdStrings(raw, { paths }), runs);
      const middleMs = timeIt(() => translateHeld(sample, raw.length, direction), runs);
      const restoreMs = timeIt(() => sample.restore(json), runs);
      const share = `${sample.held}, ${((100 * sample.heldBytes) / raw.length).toFixed(1)}% of the bytes`;
      const cells = [
        `${direction.client}->${direction.upstream}`.padEnd(22),
        `${Math.round(bytes / 1024)} KB`.padStart(7),
        ms(plainMs, 9),
        ms(heldMs, 8),
        `${(plainMs / heldMs).toFixed(1)}x`.padStart(9),
        ` |${ms(scanMs, 11)}`,
        ms(middleMs, 24),
        ms(restoreMs, 8),
        ` | ${share}`,
      ];
      console.log(cells.join(" "));
    }
  }
}

function ms(value: number, width: number): string {
  return value.toFixed(2).padStart(width);
}

main();
