import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../../src/core/errors.js";
import {
  type ResponsesToAnthropicRequestOptions,
  translateRequest,
} from "../../../../src/translate/responses-to-anthropic/index.js";
import { fixtureJson } from "../openai-to-anthropic/fixtures.js";

const OPTIONS: ResponsesToAnthropicRequestOptions = { upstreamModel: "claude-sonnet-4-5" };
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

type Block = Record<string, unknown>;
type Body = Record<string, unknown> & {
  messages: Array<{ role: string; content: Block[] }>;
  tools?: Array<{ name: string; description?: string; input_schema: Record<string, unknown> }>;
};

/** Translates a request body written as a plain object (tests send shapes the SDK types forbid). */
function translate(body: Record<string, unknown>, options: Partial<ResponsesToAnthropicRequestOptions> = {}) {
  const translated = translateRequest({ model: "gpt-5-codex", ...body }, { ...OPTIONS, ...options });
  return { ...translated, body: translated.body as unknown as Body };
}

function bodyOf(
  body: Record<string, unknown>,
  options: Partial<ResponsesToAnthropicRequestOptions> = {},
): Body {
  return translate(body, options).body;
}

function invalidRequest(run: () => unknown): InvalidRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error("expected an InvalidRequestError");
}

const user = (text: string) => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });
const call = (callId: string, name: string, args: string, extra: Record<string, unknown> = {}) => ({
  type: "function_call",
  call_id: callId,
  name,
  arguments: args,
  ...extra,
});
const output = (callId: string, out: unknown) => ({
  type: "function_call_output",
  call_id: callId,
  output: out,
});
const fn = (name: string, extra: Record<string, unknown> = {}) => ({
  type: "function",
  name,
  strict: false,
  parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
  ...extra,
});

interface CodexRequest extends Record<string, unknown> {
  instructions: string;
  input: Array<{ content: Array<{ text: string }> }>;
}

describe("translateRequest: Codex's tool-loop request", () => {
  it("becomes the Anthropic request: system, the user's turn, the echoed call and its output", async () => {
    const request = await fixtureJson<CodexRequest>("responses/request-codex-tool-output.json");
    const snapshot = structuredClone(request);
    const { body, ctx, dropped } = translate(request);
    const [developer1, developer2, environment, ask] = request.input.map((item) => item.content?.[0]?.text);

    expect(request).toEqual(snapshot);
    expect(dropped).toEqual({ tools: ["web_search"], items: ["reasoning"] });
    expect(body.model).toBe("claude-sonnet-4-5");
    expect(body.max_tokens).toBe(4096);
    expect(body.stream).toBe(true);
    expect(body.system).toBe([request.instructions, developer1, developer2].join("\n\n"));
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: environment },
          { type: "text", text: ask },
        ],
      },
      {
        role: "assistant",
        content: [
          {
            type: "tool_use",
            id: "call_Yp3Lk9QwZt2MvB7xRn4sHd1c",
            name: "exec_command",
            input: { cmd: "cat note.txt" },
          },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "call_Yp3Lk9QwZt2MvB7xRn4sHd1c",
            content:
              "Chunk ID: 7f3c2a\nWall time: 0.0110 seconds\nProcess exited with code 0\nOriginal token count: 9\nOutput:\nParley says hello from note.txt\n",
          },
        ],
      },
    ]);
    // Nothing OpenAI-only reaches Anthropic, and no thinking: Codex asked for no effort.
    expect(Object.keys(body).sort()).toEqual([
      "max_tokens",
      "messages",
      "model",
      "stream",
      "system",
      "tool_choice",
      "tools",
    ]);
    expect(ctx).toMatchObject({ clientModel: "gpt-5.1-codex", upstreamModel: "claude-sonnet-4-5" });
  });

  it("declares the seven functions and the namespace's two, and leaves web_search out", async () => {
    const request = await fixtureJson<Record<string, unknown>>("responses/request-codex.json");
    const body = bodyOf(request);
    expect(body.tools?.map((t) => t.name)).toEqual([
      "exec_command",
      "write_stdin",
      "update_plan",
      "apply_patch",
      "view_image",
      "list_mcp_resources",
      "read_mcp_resource",
      "mcp__docs__search",
      "mcp__docs__fetch_page",
    ]);
    expect(body.tools?.[0]?.input_schema).toMatchObject({ type: "object", required: ["cmd"] });
    expect(body.tools?.[7]?.description).toBe(
      "Search the documentation index.\n\n(mcp__docs__: Tools of the `docs` MCP server.)",
    );
    expect(body.tool_choice).toEqual({ type: "auto" });
  });
});

describe("translateRequest: input", () => {
  it("takes a string input as one user message", () => {
    expect(bodyOf({ input: "Hi" }).messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Hi" }] },
    ]);
  });

  it.each([
    ["a developer message in the middle", { role: "developer", content: "Be brief." }],
    ["a system message with string content", { type: "message", role: "system", content: "Be brief." }],
  ])("lifts %s into system, as Chat system messages are", (_, item) => {
    const body = bodyOf({ instructions: "You are Codex.", input: [user("Hi"), item, user("Again")] });
    expect(body.system).toBe("You are Codex.\n\nBe brief.");
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Hi" },
          { type: "text", text: "Again" },
        ],
      },
    ]);
  });

  it("merges parallel function_call items into one assistant turn and their outputs into one user turn", () => {
    const body = bodyOf({
      input: [
        user("Both, please"),
        { role: "assistant", content: [{ type: "output_text", text: "Running both." }] },
        call("call_a", "exec_command", '{"cmd":"ls"}'),
        call("call_b", "exec_command", '{"cmd":"pwd"}'),
        output("call_a", "a.txt"),
        output("call_b", "/tmp"),
        user("Thanks"),
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Both, please" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Running both." },
          { type: "tool_use", id: "call_a", name: "exec_command", input: { cmd: "ls" } },
          { type: "tool_use", id: "call_b", name: "exec_command", input: { cmd: "pwd" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_a", content: "a.txt" },
          { type: "tool_result", tool_use_id: "call_b", content: "/tmp" },
          { type: "text", text: "Thanks" },
        ],
      },
    ]);
  });

  it("puts tool results first in a user turn, ahead of a message sent between a call and its output", () => {
    const body = bodyOf({
      input: [user("Go"), call("call_a", "exec", "{}"), user("<turn_aborted>"), output("call_a", "aborted")],
    });
    expect(body.messages[2]).toEqual({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "call_a", content: "aborted" },
        { type: "text", text: "<turn_aborted>" },
      ],
    });
  });

  it.each([
    ["empty arguments", ""],
    ["no arguments", undefined],
  ])("gives a call with %s an empty input object", (_, args) => {
    const body = bodyOf({
      input: [user("Go"), call("call_a", "exec_command", args as string), output("call_a", "ok")],
    });
    expect(body.messages[1]?.content).toEqual([
      { type: "tool_use", id: "call_a", name: "exec_command", input: {} },
    ]);
  });

  it("sanitizes a foreign call_id the same way in tool_use and tool_result", () => {
    const body = bodyOf({
      input: [user("Go"), call("functions.exec:0", "exec", "{}"), output("functions.exec:0", "ok")],
    });
    const id = body.messages[1]?.content[0]?.id;
    expect(id).toMatch(/^functions_exec_0_[0-9a-f]{8}$/);
    expect(body.messages[2]?.content[0]?.tool_use_id).toBe(id);
  });

  it("keeps text and images of a function_call_output inside the tool_result", () => {
    const body = bodyOf({
      input: [
        user("Look"),
        call("call_a", "view_image", '{"path":"a.png"}'),
        output("call_a", [
          { type: "input_text", text: "a.png" },
          { type: "input_image", image_url: `data:image/png;base64,${PNG}` },
        ]),
      ],
    });
    expect(body.messages[2]?.content).toEqual([
      {
        type: "tool_result",
        tool_use_id: "call_a",
        content: [
          { type: "text", text: "a.png" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
        ],
      },
    ]);
  });

  it("omits the content of an empty tool output", () => {
    const body = bodyOf({ input: [user("Go"), call("call_a", "exec", "{}"), output("call_a", " ")] });
    expect(body.messages[2]?.content).toEqual([{ type: "tool_result", tool_use_id: "call_a" }]);
  });

  it("drops reasoning items, encrypted or not, and never invents a thinking block", () => {
    const { body, dropped } = translate({
      input: [
        user("Go"),
        { type: "reasoning", summary: [{ type: "summary_text", text: "Plan" }], encrypted_content: "gAAAA" },
        { type: "reasoning", summary: [], encrypted_content: null },
        call("call_a", "exec", "{}"),
        output("call_a", "ok"),
      ],
    });
    const types = body.messages.flatMap((m) => m.content.map((b) => b.type));
    expect(types).toEqual(["text", "tool_use", "tool_result"]);
    expect(dropped.items).toEqual(["reasoning"]);
  });

  it("drops items of OpenAI's hosted tools and says which", () => {
    const { dropped } = translate({
      input: [
        user("Search"),
        { type: "web_search_call", id: "ws_1", status: "completed", action: { type: "search" } },
      ],
    });
    expect(dropped.items).toEqual(["web_search_call"]);
  });

  it("never sends an empty text block: whitespace-only text is left out", () => {
    const body = bodyOf({
      input: [
        user("  "),
        user("Go"),
        { role: "assistant", content: [{ type: "output_text", text: "" }] },
        call("call_a", "exec", "{}"),
        output("call_a", "ok"),
      ],
    });
    expect(body.messages.map((m) => m.content.map((b) => b.type))).toEqual([
      ["text"],
      ["tool_use"],
      ["tool_result"],
    ]);
  });

  it("trims trailing whitespace from a final assistant prefill", () => {
    const body = bodyOf({ input: [user("Hi"), { role: "assistant", content: "Well,  " }] });
    expect(body.messages[1]?.content).toEqual([{ type: "text", text: "Well," }]);
  });

  it("keeps a prompt-cache breakpoint as cache_control", () => {
    const body = bodyOf({
      input: [
        {
          role: "developer",
          content: [{ type: "input_text", text: "Rules", prompt_cache_breakpoint: { mode: "explicit" } }],
        },
        {
          role: "user",
          content: [{ type: "input_text", text: "Hi", prompt_cache_breakpoint: { mode: "explicit" } }],
        },
      ],
    });
    expect(body.system).toEqual([{ type: "text", text: "Rules", cache_control: { type: "ephemeral" } }]);
    expect(body.messages[0]?.content).toEqual([
      { type: "text", text: "Hi", cache_control: { type: "ephemeral" } },
    ]);
  });
});

describe("translateRequest: content parts", () => {
  const partOf = (part: Record<string, unknown>) =>
    bodyOf({ input: [{ role: "user", content: [part] }] }).messages[0]?.content;

  it.each([
    [
      "a base64 data URL image",
      { type: "input_image", image_url: `data:image/png;base64,${PNG}`, detail: "auto" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
    ],
    [
      "an https image",
      { type: "input_image", image_url: "https://example.com/a.jpg" },
      { type: "image", source: { type: "url", url: "https://example.com/a.jpg" } },
    ],
    [
      "a PDF as file_data",
      { type: "input_file", filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0x" },
      {
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: "JVBERi0x" },
        title: "a.pdf",
      },
    ],
    [
      "a PDF by file_url",
      { type: "input_file", file_url: "https://example.com/a.pdf" },
      { type: "document", source: { type: "url", url: "https://example.com/a.pdf" } },
    ],
    [
      "a plain-text file",
      { type: "input_file", file_data: "data:text/plain;base64,aGVsbG8=" },
      { type: "document", source: { type: "text", media_type: "text/plain", data: "hello" } },
    ],
  ])("translates %s", (_, part, block) => {
    expect(partOf(part)).toEqual([block]);
  });

  it.each([
    [
      "an image by file id",
      { type: "input_image", file_id: "file-1" },
      "input[0].content[0].file_id",
      /file ids/,
    ],
    [
      "a file by file id",
      { type: "input_file", file_id: "file-1" },
      "input[0].content[0].file_id",
      /file ids/,
    ],
    [
      "a TIFF image",
      { type: "input_image", image_url: "data:image/tiff;base64,AAAA" },
      "input[0].content[0].image_url",
      /image\/tiff/,
    ],
    ["an audio part", { type: "input_audio", data: "AAAA" }, "input[0].content[0].type", /input_audio/],
  ])("refuses %s, naming the field", (_, part, param, message) => {
    const error = invalidRequest(() => partOf(part));
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
  });

  it("refuses an image in a developer message", () => {
    const error = invalidRequest(() =>
      bodyOf({
        input: [{ role: "developer", content: [{ type: "input_image", image_url: "https://x/a.png" }] }],
      }),
    );
    expect(error.param).toBe("input[0].content[0].type");
  });
});

describe("translateRequest: refusals that name the field", () => {
  it.each([
    [
      "previous_response_id",
      { previous_response_id: "resp_1", input: "Hi" },
      "previous_response_id",
      /store: false/,
    ],
    ["conversation", { conversation: "conv_1", input: "Hi" }, "conversation", /full conversation as input/],
    ["a stored prompt", { prompt: { id: "pmpt_1" }, input: "Hi" }, "prompt", /prompt template/],
    ["background", { background: true, input: "Hi" }, "background", /without background/],
    [
      "invalid arguments JSON",
      { input: [user("Go"), call("c", "exec", "{cmd:")] },
      "input[1].arguments",
      /not valid JSON/,
    ],
    [
      "arguments that are no object",
      { input: [user("Go"), call("c", "exec", "[1]")] },
      "input[1].arguments",
      /object/,
    ],
    [
      "a call without call_id",
      { input: [user("Go"), { type: "function_call", name: "x" }] },
      "input[1].call_id",
      /required/,
    ],
    [
      "an output without call_id",
      { input: [user("Go"), { type: "function_call_output" }] },
      "input[1].call_id",
      /required/,
    ],
    [
      "an item_reference",
      { input: [{ type: "item_reference", id: "msg_1" }] },
      "input[0].type",
      /store: false/,
    ],
    [
      "a local shell call",
      { input: [user("Go"), { type: "local_shell_call" }] },
      "input[1].type",
      /local_shell_call/,
    ],
    ["an unknown role", { input: [{ role: "tool", content: "x" }] }, "input[0].role", /must be one of/],
    ["an input of no messages", { input: [] }, "input", /at least one/],
    ["an input that is no list", { input: 42 }, "input", /string or an array/],
    [
      "a custom tool without a name",
      { input: "Hi", tools: [{ type: "custom" }] },
      "tools[0].name",
      /required/,
    ],
    [
      "a custom_tool_call whose input is no string",
      {
        input: [user("Go"), { type: "custom_tool_call", call_id: "c", name: "apply_patch", input: { p: 1 } }],
      },
      "input[1].input",
      /must be a string/,
    ],
    ["a tool without a name", { input: "Hi", tools: [{ type: "function" }] }, "tools[0].name", /required/],
    [
      "a name declared twice",
      { input: "Hi", tools: [fn("ns__a"), { type: "namespace", name: "ns", tools: [fn("a")] }] },
      "tools[1].tools[0].name",
      /declared twice/,
    ],
    [
      "max_output_tokens of zero",
      { input: "Hi", max_output_tokens: 0 },
      "max_output_tokens",
      /positive integer/,
    ],
    ["non-string instructions", { input: "Hi", instructions: ["x"] }, "instructions", /string/],
  ])("refuses %s", (_, body, param, message) => {
    const error = invalidRequest(() => translate(body));
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
  });
});

describe("translateRequest: tools and tool_choice", () => {
  it("gives a function without parameters an empty object schema and drops strict", () => {
    const body = bodyOf({
      input: "Hi",
      tools: [{ type: "function", name: "ping", strict: true, parameters: null }],
    });
    expect(body.tools).toEqual([{ name: "ping", input_schema: { type: "object", properties: {} } }]);
  });

  it("drops built-in tools, each type named once", () => {
    const { body, dropped } = translate({
      input: "Hi",
      tools: [
        fn("a"),
        { type: "web_search" },
        { type: "file_search", vector_store_ids: [] },
        { type: "web_search" },
      ],
    });
    expect((body.tools ?? []).map((t) => t.name)).toEqual(["a"]);
    expect(dropped.tools).toEqual(["web_search", "file_search"]);
  });

  it("sends no tools and no tool_choice when only built-ins were offered", () => {
    const body = bodyOf({ input: "Hi", tools: [{ type: "web_search" }], tool_choice: "auto" });
    expect(body).not.toHaveProperty("tools");
    expect(body).not.toHaveProperty("tool_choice");
  });

  it("flattens a long namespaced name within 64 characters, and the call echoed back maps the same way", () => {
    const namespace = "mcp__a_rather_long_server_name_for_documentation__";
    const { body, ctx } = translate({
      input: [user("Go"), call("c", "search_everything_everywhere", "{}", { namespace }), output("c", "ok")],
      tools: [
        {
          type: "namespace",
          name: namespace,
          description: "Docs",
          tools: [fn("search_everything_everywhere")],
        },
      ],
    });
    const name = body.tools![0]!.name;
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^mcp__a_rather_long_server_name_.*_[0-9a-f]{8}$/);
    expect(body.messages[1]!.content[0]!.name).toBe(name);
    expect(ctx.toolNames?.toClient(name)).toEqual({ name: "search_everything_everywhere", namespace });
  });

  it.each([
    ["auto", "auto", { type: "auto" }],
    ["none", "none", { type: "none" }],
    ["required", "required", { type: "any" }],
    ["a function", { type: "function", name: "a" }, { type: "tool", name: "a" }],
    [
      "a namespaced function",
      { type: "function", name: "a", namespace: "ns" },
      { type: "tool", name: "ns__a" },
    ],
    [
      "allowed_tools, auto",
      { type: "allowed_tools", mode: "auto", tools: [{ type: "function", name: "a" }] },
      { type: "auto" },
    ],
  ])("maps tool_choice %s", (_, choice, expected) => {
    const body = bodyOf({
      input: "Hi",
      tools: [fn("a"), { type: "namespace", name: "ns", description: "", tools: [fn("a")] }],
      tool_choice: choice,
    });
    expect(body.tool_choice).toEqual(expected);
  });

  it("narrows the tools to an allowed_tools choice", () => {
    const body = bodyOf({
      input: "Hi",
      tools: [fn("a"), fn("b")],
      tool_choice: { type: "allowed_tools", mode: "required", tools: [{ type: "function", name: "b" }] },
    });
    expect(body.tools?.map((t) => t.name)).toEqual(["b"]);
    expect(body.tool_choice).toEqual({ type: "any" });
  });

  it("turns parallel_tool_calls: false into disable_parallel_tool_use", () => {
    const body = bodyOf({ input: "Hi", tools: [fn("a")], parallel_tool_calls: false });
    expect(body.tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
  });

  it.each([
    ["web_search_preview", { type: "web_search_preview" }],
    ["image_generation", { type: "image_generation" }],
    ["mcp", { type: "mcp", server_label: "deepwiki" }],
  ])("refuses a tool_choice that forces the built-in %s, even when it is the only tool", (type, choice) => {
    const error = invalidRequest(() => translate({ input: "Hi", tools: [{ type }], tool_choice: choice }));
    expect(error.param).toBe("tool_choice");
    expect(error.message).toContain(`"${type}"`);
  });
});

const GRAMMAR = 'start: begin_patch hunk+ end_patch\nbegin_patch: "*** Begin Patch" LF\n';
const applyPatch = {
  type: "custom",
  name: "apply_patch",
  description: "Edit files. This is a FREEFORM tool, so do not wrap the patch in JSON.",
  format: { type: "grammar", syntax: "lark", definition: GRAMMAR },
};
const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+Grüße "quoted"\n*** End Patch\n';

describe("translateRequest: custom (free-form) tools", () => {
  it("declares a custom tool as a tool of one string input, its grammar in the description", () => {
    const { body, ctx } = translate({ input: "Hi", tools: [fn("a"), applyPatch] });
    expect(body.tools?.[1]).toEqual({
      name: "apply_patch",
      description: `${applyPatch.description}\n\nThe input must follow this lark grammar:\n${GRAMMAR}`,
      input_schema: {
        type: "object",
        properties: {
          input: {
            type: "string",
            description:
              "The tool's whole free-form input as one string: the raw text itself, not JSON inside the string.",
          },
        },
        required: ["input"],
      },
    });
    expect(ctx.toolNames?.toClient("apply_patch")).toEqual({ name: "apply_patch", kind: "custom" });
    expect(ctx.toolNames?.toClient("a")).toEqual({ name: "a" });
  });

  it("declares a free-text custom tool with its own description only, and one in a namespace flattened", () => {
    const { body, ctx } = translate({
      input: "Hi",
      tools: [
        { type: "custom", name: "note", description: "Write a note.", format: { type: "text" } },
        { type: "namespace", name: "ed", description: "Editing", tools: [{ type: "custom", name: "patch" }] },
      ],
    });
    expect(body.tools?.map((t) => [t.name, t.description, t.input_schema.required])).toEqual([
      ["note", "Write a note.", ["input"]],
      ["ed__patch", "(ed: Editing)", ["input"]],
    ]);
    expect(ctx.toolNames?.toClient("ed__patch")).toEqual({ name: "patch", namespace: "ed", kind: "custom" });
  });

  it("declares Codex's own-model tools: apply_patch as a string input, tool_search and web_search left out", async () => {
    const capture = await fixtureJson<{ body: Record<string, unknown> }>(
      "responses/codex-tool-loop-gpt-5.5.json",
    );
    const { body, dropped } = translate(capture.body);
    const patch = body.tools?.find((t) => t.name === "apply_patch");
    expect(patch?.input_schema).toMatchObject({ properties: { input: { type: "string" } } });
    expect(patch?.description).toContain("The input must follow this lark grammar:\nstart: begin_patch");
    expect(dropped.tools).toEqual(["tool_search", "web_search"]);
  });

  it("sends a custom tool call as a tool_use of {input} and its output as the tool_result paired by call_id", () => {
    const body = bodyOf({
      tools: [applyPatch],
      input: [
        user("Add hello.txt"),
        { type: "custom_tool_call", call_id: "call_p.1", name: "apply_patch", input: PATCH },
        { type: "custom_tool_call_output", call_id: "call_p.1", output: "Success. Updated: A hello.txt" },
      ],
    });
    const id = body.messages[1]?.content[0]?.id;
    expect(id).toMatch(/^call_p_1_[0-9a-f]{8}$/);
    expect(body.messages.slice(1)).toEqual([
      {
        role: "assistant",
        content: [{ type: "tool_use", id, name: "apply_patch", input: { input: PATCH } }],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: id, content: "Success. Updated: A hello.txt" }],
      },
    ]);
  });

  it.each([
    ["by name", { type: "custom", name: "apply_patch" }, { type: "tool", name: "apply_patch" }],
    [
      "in allowed_tools",
      { type: "allowed_tools", mode: "required", tools: [{ type: "custom", name: "apply_patch" }] },
      { type: "any" },
    ],
  ])("lets tool_choice pick a custom tool %s", (_, choice, expected) => {
    const body = bodyOf({ input: "Hi", tools: [fn("a"), applyPatch], tool_choice: choice });
    expect(body.tool_choice).toEqual(expected);
    if (choice.type === "allowed_tools") expect(body.tools?.map((t) => t.name)).toEqual(["apply_patch"]);
  });
});

describe("translateRequest: scalar options", () => {
  it.each([
    ["the default when absent", {}, 4096],
    ["max_output_tokens", { max_output_tokens: 2000 }, 2000],
    ["the mapping's limit", { max_output_tokens: 64000, __limit: 8192 }, 8192],
  ])("sets max_tokens from %s", (_, fields, expected) => {
    const { __limit, ...rest } = fields as Record<string, unknown>;
    const options = typeof __limit === "number" ? { maxOutputTokens: __limit } : {};
    expect(bodyOf({ input: "Hi", ...rest }, options).max_tokens).toBe(expected);
  });

  it.each([
    ["temperature within Anthropic's range", { temperature: 0.2 }, { temperature: 0.2 }],
    ["temperature above it, clamped", { temperature: 1.6 }, { temperature: 1 }],
    ["top_p alone", { top_p: 0.9 }, { top_p: 0.9 }],
    ["temperature over top_p when both come", { temperature: 0.5, top_p: 0.9 }, { temperature: 0.5 }],
  ])("keeps %s", (_, fields, expected) => {
    const body = bodyOf({ input: "Hi", ...fields });
    expect({ temperature: body.temperature, top_p: body.top_p }).toEqual({
      temperature: undefined,
      top_p: undefined,
      ...expected,
    });
  });

  it.each([
    ["user", { user: "u-1" }],
    ["safety_identifier", { safety_identifier: "u-1" }],
  ])("sends %s as metadata.user_id", (_, fields) => {
    expect(bodyOf({ input: "Hi", ...fields }).metadata).toEqual({ user_id: "u-1" });
  });

  it("leaves OpenAI-only options out without failing", () => {
    const body = bodyOf({
      input: "Hi",
      store: false,
      include: ["reasoning.encrypted_content"],
      prompt_cache_key: "k",
      client_metadata: { originator: "codex_exec" },
      service_tier: "auto",
      truncation: "auto",
      top_logprobs: 2,
      metadata: { team: "a" },
      text: { verbosity: "low" },
    });
    expect(Object.keys(body).sort()).toEqual(["max_tokens", "messages", "model"]);
  });
});

describe("translateRequest: text.format", () => {
  it("asks for the schema of a json_schema format in the system prompt", () => {
    const body = bodyOf({
      instructions: "Be exact.",
      input: "Weather?",
      text: { format: { type: "json_schema", name: "weather", strict: true, schema: { type: "object" } } },
    });
    expect(body.system).toMatch(
      /^Be exact\.\n\nYour entire reply must be one JSON value that conforms to the JSON schema "weather"/,
    );
    expect(body.system).toContain('"type": "object"');
  });

  it("asks for a JSON object for json_object", () => {
    expect(bodyOf({ input: "Hi", text: { format: { type: "json_object" } } }).system).toMatch(
      /one valid JSON object/,
    );
  });

  it("adds nothing for text", () => {
    expect(bodyOf({ input: "Hi", text: { format: { type: "text" } } })).not.toHaveProperty("system");
  });
});

describe("translateRequest: reasoning.effort", () => {
  it.each([
    ["low", 1024, 4096],
    ["medium", 4096, 8192],
    ["high", 16384, 20480],
  ])("gives effort %s a thinking budget of %i within max_tokens %i", (effort, budget, maxTokens) => {
    const body = bodyOf({ input: "Hi", reasoning: { effort, summary: "auto" } });
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: budget });
    expect(body.max_tokens).toBe(maxTokens);
  });

  it.each(["none", undefined])("sends no thinking for effort %s", (effort) => {
    expect(bodyOf({ input: "Hi", reasoning: { effort } })).not.toHaveProperty("thinking");
  });

  it("sends no thinking while the last assistant turn called tools, which no signature can precede", () => {
    const body = bodyOf({
      input: [user("Go"), call("c", "exec", "{}"), output("c", "ok")],
      reasoning: { effort: "high" },
    });
    expect(body).not.toHaveProperty("thinking");
  });

  it("leaves out the sampling settings thinking does not accept", () => {
    const body = bodyOf({ input: "Hi", reasoning: { effort: "medium" }, temperature: 0.2 });
    expect(body).not.toHaveProperty("temperature");
  });
});

describe("translateRequest: the context for the response", () => {
  it("echoes the client's settings with OpenAI's defaults", () => {
    const tools = [fn("a")];
    const { ctx } = translate({ input: "Hi", tools, instructions: "Be brief.", max_output_tokens: 100 });
    expect(ctx.echo).toEqual({
      instructions: "Be brief.",
      metadata: {},
      parallel_tool_calls: true,
      temperature: null,
      top_p: null,
      tool_choice: "auto",
      tools,
      max_output_tokens: 100,
      reasoning: null,
      text: { format: { type: "text" } },
      truncation: "disabled",
    });
  });

  it("prefers the client model the caller names", () => {
    expect(translate({ input: "Hi" }, { clientModel: "codex-alias" }).ctx.clientModel).toBe("codex-alias");
  });
});
