// Micro-benchmark of the per-request body work on the passthrough path: the model splice
// and the validation, on a ~4 MB body grown from a captured Claude Code request.
// Run from the repository root with `npx tsx bench/body-scan.ts [runs]`; prints the
// median µs per case.
import { readFileSync } from "node:fs";
import { spliceModel } from "../src/dataplane/model-splice.js";
import { validateModelRequest } from "../src/dataplane/request-validation.js";

const TARGET_BYTES = 4 * 1024 * 1024;

interface Capture {
  requests: Array<{ body: Record<string, unknown> | null }>;
}

/** A Claude Code body whose history is repeated until it reaches `TARGET_BYTES`. */
function realisticBody(): Record<string, unknown> {
  const capture = JSON.parse(
    readFileSync("test/fixtures/anthropic/claude-code-request.json", "utf8"),
  ) as Capture;
  const base = capture.requests.find((r) => r.body !== null)!.body!;
  // Late in a session most bytes are tool results: source files and JSON, full of
  // quotes, backslashes and newlines, beside some non-ASCII text; a few hundred turns.
  const files = [
    readFileSync("src/dataplane/top-level-members.ts", "utf8"),
    readFileSync("test/fixtures/anthropic/request-claude-code.json", "utf8"),
  ];
  const turns: unknown[] = [...(base.messages as unknown[])];
  let bytes = JSON.stringify(base).length;
  for (let n = 0; bytes < TARGET_BYTES; n++) {
    const id = `toolu_${n.toString().padStart(6, "0")}`;
    const call = {
      role: "assistant",
      content: [
        { type: "text", text: `Reading file ${n} — «naïve» café ✓ 🌍` },
        { type: "tool_use", id, name: "Read", input: { file_path: `/src/file-${n}.ts`, limit: 2000 } },
      ],
    };
    const result = {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: id, content: files[n % 2]!.repeat(2) }],
    };
    turns.push(call, result);
    bytes += JSON.stringify(call).length + JSON.stringify(result).length + 2;
  }
  return { ...base, messages: turns };
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

const body = realisticBody();
const { model, ...rest } = body;
const modelFirst = JSON.stringify(body);
const modelFirstBytes = Buffer.from(modelFirst);
const modelLast = Buffer.from(JSON.stringify({ ...rest, model }));
const runs = Number(process.argv[2] ?? 51);
const rounds = 5;

// The machine is shared: cases take turns over several rounds and each keeps its
// lowest median, which is the least disturbed by other work.
const cases: Array<[string, () => unknown]> = [
  ["spliceModel, model first", () => spliceModel(modelFirstBytes, "gpt-4.1")],
  ["spliceModel, model last", () => spliceModel(modelLast, "gpt-4.1")],
  ["JSON.parse alone", () => JSON.parse(modelFirst)],
  ["validateModelRequest", () => validateModelRequest(modelFirstBytes, { requireMessages: true })],
];
const best = new Map<string, number>();
for (let round = 0; round < rounds; round++) {
  for (const [name, work] of cases) {
    best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, medianMicros(runs, work)));
  }
}
console.log(
  `body: ${(modelFirst.length / 1024 / 1024).toFixed(2)} MiB; lowest median of ${rounds}×${runs} runs, µs`,
);
for (const [name, micros] of best) console.log(`${name.padEnd(28)} ${micros.toFixed(0).padStart(8)}`);
