// What the translated paths pay to validate a request: the median time of each dialect's
// wire validator on a real Claude Code request and on a 4 MB synthetic conversation.
// Run from the repository root: `npx tsx bench/wire-validators.ts [runs]`.
import { readFileSync } from "node:fs";
import { validateMessagesRequest } from "../src/schemas/anthropic/index.js";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../src/schemas/json-depth.js";
import { validateChatRequest } from "../src/schemas/openai/index.js";

const RUNS = Number(process.argv[2] ?? 2000);
const FIXTURE = "test/fixtures/anthropic/claude-code-request.json";

/** The largest /v1/messages body of the Claude Code capture. */
function claudeCodeRequest(): unknown {
  const capture = JSON.parse(readFileSync(FIXTURE, "utf8")) as {
    requests: Array<{ path: string; body: unknown }>;
  };
  const bodies = capture.requests.filter((r) => r.path === "/v1/messages").map((r) => r.body);
  return bodies.sort((a, b) => JSON.stringify(b).length - JSON.stringify(a).length)[0];
}

const filler = (n: number) => "lorem ipsum dolor sit amet ".repeat(Math.ceil(n / 27)).slice(0, n);

/** An agent session of ~4 MB: 1000 messages of tool calls, results and text. */
function anthropicConversation(): unknown {
  const messages = Array.from({ length: 1000 }, (_, i) =>
    i % 2 === 0
      ? {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: `toolu_${i - 1}`,
              content: [{ type: "text", text: filler(5000) }],
            },
            { type: "text", text: filler(1500) },
          ],
        }
      : {
          role: "assistant",
          content: [
            { type: "thinking", thinking: filler(200), signature: "sig" },
            { type: "text", text: filler(500) },
            { type: "tool_use", id: `toolu_${i}`, name: "Bash", input: { command: filler(300) } },
          ],
        },
  );
  return { model: "claude-sonnet", max_tokens: 1024, messages };
}

/** The same session as an OpenAI client sends it. */
function openaiConversation(): unknown {
  const messages = Array.from({ length: 1000 }, (_, i) =>
    i % 2 === 0
      ? { role: "tool", tool_call_id: `call_${i - 1}`, content: filler(6800) }
      : {
          role: "assistant",
          content: [{ type: "text", text: filler(1000) }],
          tool_calls: [
            {
              id: `call_${i}`,
              type: "function",
              function: { name: "Bash", arguments: JSON.stringify({ command: filler(300) }) },
            },
          ],
        },
  );
  return { model: "gpt-4.1", messages: [{ role: "user", content: "start" }, ...messages] };
}

function medianMicros(run: () => void): number {
  for (let i = 0; i < Math.min(RUNS, 200); i++) run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const cases = [
  { label: "Claude Code request", body: claudeCodeRequest(), validate: validateMessagesRequest },
  { label: "4 MB Anthropic conversation", body: anthropicConversation(), validate: validateMessagesRequest },
  { label: "4 MB OpenAI conversation", body: openaiConversation(), validate: validateChatRequest },
];
for (const c of cases) {
  const text = JSON.stringify(c.body);
  const kib = Math.round(text.length / 1024);
  const total = medianMicros(() => c.validate(c.body));
  const depth = medianMicros(() => nestsDeeperThan(c.body, MAX_JSON_DEPTH));
  const parse = medianMicros(() => JSON.parse(text));
  process.stdout.write(
    `${c.label} (${kib} KiB): validator ${total.toFixed(1)} µs, of which depth walk ${depth.toFixed(1)} µs; ` +
      `for scale, the edge's JSON.parse of it ${parse.toFixed(1)} µs (medians of ${RUNS})\n`,
  );
}
