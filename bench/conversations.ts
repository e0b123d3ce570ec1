// Agent-like request bodies of a chosen size, in any client dialect: a system prompt, tool
// definitions and tool-use turns whose results are source files (quotes, backslashes, newlines,
// some non-ASCII), as a coding agent sends late in a session. Deterministic, so every target and
// round gets the same bytes.
import type { ClientDialect } from "./requests.js";

const SYSTEM =
  "You are an interactive CLI tool that helps users with software engineering tasks. Use the tools " +
  "available to read and edit files; keep answers short; never guess file contents.";

const TOOLS = [
  {
    name: "Read",
    description: "Reads a file from the local filesystem and returns its contents with line numbers.",
    schema: {
      type: "object",
      properties: { file_path: { type: "string", description: "Absolute path of the file" } },
      required: ["file_path"],
    },
  },
  {
    name: "Grep",
    description: "Searches file contents with a regular expression and lists matching lines.",
    schema: {
      type: "object",
      properties: { pattern: { type: "string" }, path: { type: "string" } },
      required: ["pattern"],
    },
  },
];

/** `bytes` of something that looks like a TypeScript file, different for each `seed`. */
function sourceFile(seed: number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const line =
      n % 7 === 0
        ? `// Résumé of step ${seed}.${n}: the “commit point” holds preamble events — see \\docs\\flow.md`
        : `export function handler${seed}_${n}(req: Request): string { return "value \\"${n}\\" at " + req.url; }`;
    lines.push(`${String(n + 1).padStart(6)}\t${line}`);
    size += line.length + 8;
  }
  return lines.join("\n").slice(0, bytes);
}

/** One tool call and its result, in `dialect`: the messages it adds to the history. */
function toolTurn(dialect: ClientDialect, n: number, resultBytes: number): unknown[] {
  const id = `${dialect === "anthropic" ? "toolu" : "call"}_${String(n).padStart(6, "0")}`;
  const input = { file_path: `/repo/src/module-${n}.ts` };
  const content = sourceFile(n, resultBytes);
  if (dialect === "responses") {
    return [
      { role: "assistant", content: `Reading module ${n}.` },
      { type: "function_call", call_id: id, name: "Read", arguments: JSON.stringify(input) },
      { type: "function_call_output", call_id: id, output: content },
    ];
  }
  if (dialect === "openai") {
    return [
      {
        role: "assistant",
        content: `Reading module ${n}.`,
        tool_calls: [{ id, type: "function", function: { name: "Read", arguments: JSON.stringify(input) } }],
      },
      { role: "tool", tool_call_id: id, content },
    ];
  }
  return [
    {
      role: "assistant",
      content: [
        { type: "text", text: `Reading module ${n}.` },
        { type: "tool_use", id, name: "Read", input },
      ],
    },
    { role: "user", content: [{ type: "tool_result", tool_use_id: id, content }] },
  ];
}

function envelope(dialect: ClientDialect, model: string, messages: unknown[]): Record<string, unknown> {
  if (dialect === "responses") {
    const tools = TOOLS.map((t) => ({
      type: "function",
      name: t.name,
      description: t.description,
      parameters: t.schema,
    }));
    return { model, max_output_tokens: 1024, stream: false, instructions: SYSTEM, tools, input: messages };
  }
  if (dialect === "openai") {
    const tools = TOOLS.map((t) => ({
      type: "function",
      function: { name: t.name, description: t.description, parameters: t.schema },
    }));
    return {
      model,
      max_tokens: 1024,
      stream: false,
      tools,
      messages: [{ role: "system", content: SYSTEM }, ...messages],
    };
  }
  const tools = TOOLS.map((t) => ({ name: t.name, description: t.description, input_schema: t.schema }));
  return { model, max_tokens: 1024, stream: false, system: SYSTEM, tools, messages };
}

/**
 * A non-streaming body of about `bytes` (within a few hundred bytes, never under 1 KB of
 * structure): a first question, tool turns with results of up to 16 KB each, a last question.
 */
export function agentConversation(options: { dialect: ClientDialect; model: string; bytes: number }): string {
  const { dialect, model, bytes } = options;
  const first = { role: "user", content: "Find where the request body is validated and explain the flow." };
  const last = { role: "user", content: "Now summarize what you found in five bullet points." };
  const turns: unknown[] = [];
  let size = JSON.stringify(envelope(dialect, model, [first, last])).length;
  for (let n = 1; size < bytes; n++) {
    const room = bytes - size;
    const turn = toolTurn(dialect, n, Math.max(64, Math.min(16_384, room - 400)));
    turns.push(...turn);
    size += JSON.stringify(turn).length - 1;
  }
  return JSON.stringify(envelope(dialect, model, [first, ...turns, last]));
}
