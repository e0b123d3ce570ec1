// Micro-benchmark of dropping unsigned thinking blocks, which runs on every request to an
// Anthropic target: the common case (nothing to drop) on a captured Claude Code body and on
// a ~4 MB one grown from it, and the cut of one unsigned block from the 4 MB body.
// Run from the repository root with `npx tsx bench/unsigned-thinking.ts [runs]`; prints the
// median µs per case.
import { readFileSync } from "node:fs";
import { withScanCopy } from "../src/dataplane/json-scan.js";
import { spliceModel } from "../src/dataplane/model-splice.js";
import { dropUnsignedThinking, planUnsignedThinking } from "../src/dataplane/unsigned-thinking.js";

const TARGET_BYTES = 4 * 1024 * 1024;
const UNSIGNED = { type: "thinking", thinking: "Reasoning from another provider.", signature: "" };

interface Capture {
  requests: Array<{ body: Record<string, unknown> | null }>;
}

type Body = Record<string, unknown> & { messages: Array<{ role: string; content: unknown }> };

/** The captured Claude Code request with the most messages. */
function capturedBody(): Body {
  const capture = JSON.parse(
    readFileSync("test/fixtures/anthropic/claude-code-request.json", "utf8"),
  ) as Capture;
  const bodies = capture.requests.flatMap((r) => (r.body ? [r.body as Body] : []));
  return bodies.reduce((a, b) => (b.messages.length > a.messages.length ? b : a));
}

/** `base` with tool turns appended until it reaches `TARGET_BYTES` (as bench/body-scan.ts grows it). */
function grownBody(base: Body): Body {
  const file = readFileSync("src/dataplane/top-level-members.ts", "utf8");
  const turns = [...base.messages];
  let bytes = JSON.stringify(base).length;
  for (let n = 0; bytes < TARGET_BYTES; n++) {
    const id = `toolu_${n.toString().padStart(6, "0")}`;
    const call = {
      role: "assistant",
      content: [
        {
          type: "thinking",
          thinking: `Reading file ${n} next.`,
          signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxB",
        },
        { type: "text", text: `Reading file ${n} — «naïve» café ✓ 🌍` },
        { type: "tool_use", id, name: "Read", input: { file_path: `/src/file-${n}.ts`, limit: 2000 } },
      ],
    };
    const result = {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: id, content: file.repeat(2) }],
    };
    turns.push(call, result);
    bytes += JSON.stringify(call).length + JSON.stringify(result).length + 2;
  }
  return { ...base, messages: turns };
}

/** `body` with an unsigned thinking block first in its assistant turn number `which`. */
function withUnsigned(body: Body, which: "first" | "last"): Body {
  const assistants = body.messages.flatMap((m, i) => (m.role === "assistant" ? [i] : []));
  const at = which === "first" ? assistants[0]! : assistants.at(-1)!;
  const messages = body.messages.map((m, i) =>
    i === at ? { ...m, content: [UNSIGNED, ...(m.content as unknown[])] } : m,
  );
  return { ...body, messages };
}

/** The median of `runs` timings of `work`, in microseconds. */
function medianMicros(runs: number, work: () => unknown): number {
  for (let i = 0; i < 5; i++) work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    work();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** A case: the raw text and its parsed body, as the data plane holds them. */
function input(body: Body): [Buffer, Record<string, unknown>] {
  const raw = JSON.stringify(body);
  return [Buffer.from(raw), JSON.parse(raw) as Record<string, unknown>];
}

const captured = capturedBody();
const grown = grownBody(captured);
const small = input(captured);
const big = input(grown);
const bigFirst = input(withUnsigned(grown, "first"));
const bigLast = input(withUnsigned(grown, "last"));
for (const [raw, body] of [bigFirst, bigLast]) {
  if (dropUnsignedThinking(raw, body).dropped !== 1)
    throw new Error("the benchmark body lost its unsigned block");
}
const runs = Number(process.argv[2] ?? 51);
const rounds = 5;

// The machine is shared: cases take turns over several rounds and each keeps its
// lowest median, which is the least disturbed by other work.
const cases: Array<[string, () => unknown]> = [
  [`captured (${captured.messages.length} messages), none`, () => dropUnsignedThinking(...small)],
  [`4 MB (${grown.messages.length} messages), none`, () => dropUnsignedThinking(...big)],
  ["4 MB, one unsigned, early", () => dropUnsignedThinking(...bigFirst)],
  ["4 MB, one unsigned, last turn", () => dropUnsignedThinking(...bigLast)],
  // What a request to an Anthropic target pays to know the plan: a walk of the bytes in the
  // module's copy (validation's, on the request path), where it once parsed the whole body.
  ["4 MB, plan from the bytes", () => withScanCopy(big[0], () => planUnsignedThinking(big[0]))],
  [
    "4 MB, plan from the bytes, one unsigned",
    () => withScanCopy(bigLast[0], () => planUnsignedThinking(bigLast[0])),
  ],
  ["4 MB, spliceModel (reference)", () => spliceModel(big[0], "claude-sonnet-4-5")],
  ["4 MB, JSON.parse (reference)", () => JSON.parse(big[0].toString("utf8"))],
];
const best = new Map<string, number>();
for (let round = 0; round < rounds; round++) {
  for (const [name, work] of cases) {
    best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, medianMicros(runs, work)));
  }
}
console.log(
  `captured ${(small[0].length / 1024).toFixed(0)} KiB, grown ${(big[0].length / 1024 / 1024).toFixed(2)} MiB; lowest median of ${rounds}×${runs} runs, µs`,
);
for (const [name, micros] of best) console.log(`${name.padEnd(36)} ${micros.toFixed(1).padStart(10)}`);
