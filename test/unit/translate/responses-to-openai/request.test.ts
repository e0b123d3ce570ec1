import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../../src/core/errors.js";
import {
  type ResponsesRequest,
  type ResponsesToOpenAIRequestOptions,
  translateRequest,
} from "../../../../src/translate/responses-to-openai/index.js";
import { readJsonFixture } from "./fixtures.js";

const codex = () => readJsonFixture<ResponsesRequest>("responses/request-codex.json");
const codexToolLoop = () => readJsonFixture<ResponsesRequest>("responses/request-codex-tool-output.json");

function translate(request: Record<string, unknown>, options: Partial<ResponsesToOpenAIRequestOptions> = {}) {
  return translateRequest({ model: "gpt-5.1-codex", ...request } as ResponsesRequest, {
    upstreamModel: "gpt-4.1",
    createdAt: 1,
    ...options,
  });
}

function refusal(run: () => unknown): InvalidRequestError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  throw new Error("expected the request to be refused");
}

const call = (call_id: string, name: string, args = "{}", extra = {}) => ({
  type: "function_call",
  call_id,
  name,
  arguments: args,
  ...extra,
});
const output = (call_id: string, out: unknown) => ({ type: "function_call_output", call_id, output: out });

/** The functions of an upstream request, by what they declare. */
function functions(body: { tools?: unknown[] | undefined }) {
  return (body.tools ?? []).map(
    (tool) => (tool as { function: { name: string; strict?: boolean; parameters?: unknown } }).function,
  );
}

const LONG_NAMESPACE = "mcp__plugin_github_enterprise_server__";
const LONG_TOOL = "list_pull_request_review_comments_for_repository";

describe("the Codex request", () => {
  it("instructions and both developer messages become one leading system message, the user's messages follow", async () => {
    const request = await codex();
    const { messages } = translateRequest(request, {
      upstreamModel: "Qwen/Qwen3-Coder-480B-A35B-Instruct",
    }).body;
    expect(messages.map((m) => m.role)).toEqual(["system", "user", "user"]);
    const system = messages[0]?.content as string;
    expect(system.startsWith("You are Codex, a coding agent")).toBe(true);
    expect(system).toContain("\n\n<permissions instructions>");
    expect(system.endsWith("</collaboration_mode>")).toBe(true);
    expect(messages[2]).toEqual({ role: "user", content: "read note.txt" });
  });

  it("offers the seven functions and the namespace's tools, and reports web_search as left out", async () => {
    const translated = translateRequest(await codex(), { upstreamModel: "deepseek-chat" });
    expect(functions(translated.body).map((f) => f.name)).toEqual([
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
    expect(translated.droppedTools).toEqual(["web_search"]);
    const exec = functions(translated.body)[0];
    expect(exec?.strict).toBe(false);
    expect(exec?.parameters).toMatchObject({ type: "object", required: ["cmd"] });
    // The nested tool's schema is cleaned like any other (edge 16): `format: "uri"` is safe and stays.
    expect(functions(translated.body)[8]?.parameters).toMatchObject({
      properties: { url: { type: "string", format: "uri" } },
    });
    expect(translated.body.tool_choice).toBe("auto");
  });

  it("sends none of the Responses-only fields, and asks a streaming upstream for usage", async () => {
    const { body } = translateRequest(await codex(), { upstreamModel: "deepseek-chat" });
    expect(Object.keys(body).sort()).toEqual([
      "messages",
      "model",
      "stream",
      "stream_options",
      "tool_choice",
      "tools",
    ]);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it("sends prompt_cache_key to OpenAI's own models only", async () => {
    const request = await codex();
    expect(translateRequest(request, { upstreamModel: "gpt-5.1" }).body.prompt_cache_key).toBe(
      request.prompt_cache_key,
    );
    expect(
      translateRequest(request, { upstreamModel: "openai/gpt-oss-120b" }).body.prompt_cache_key,
    ).toBeUndefined();
    expect(
      translateRequest(request, { upstreamModel: "my-vllm", openaiOnlyFields: true }).body.prompt_cache_key,
    ).toBe(request.prompt_cache_key);
  });

  it("the tool loop: the echoed call becomes an assistant tool call, its output a tool message with the same id", async () => {
    const { body } = translateRequest(await codexToolLoop(), { upstreamModel: "gpt-4.1" });
    expect(body.messages.slice(-2)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_Yp3Lk9QwZt2MvB7xRn4sHd1c",
            type: "function",
            function: { name: "exec_command", arguments: '{"cmd":"cat note.txt"}' },
          },
        ],
      },
      {
        role: "tool",
        tool_call_id: "call_Yp3Lk9QwZt2MvB7xRn4sHd1c",
        content:
          "Chunk ID: 7f3c2a\nWall time: 0.0110 seconds\nProcess exited with code 0\nOriginal token count: 9\nOutput:\nParley says hello from note.txt\n",
      },
    ]);
  });

  it("a reasoning summary goes back as reasoning_content to models that want it, never to OpenAI's; encrypted content never", async () => {
    const request = await codexToolLoop();
    const deepseek = translateRequest(request, { upstreamModel: "deepseek-reasoner" }).body;
    const assistant = deepseek.messages.at(-2) as unknown as Record<string, unknown>;
    expect(assistant.reasoning_content).toBe(
      "**Reading the note**\n\nThe user wants the contents of note.txt; `cat` it.",
    );
    expect(JSON.stringify(deepseek)).not.toContain("gAAAAAB");
    const openai = translateRequest(request, { upstreamModel: "gpt-5.1" }).body;
    expect(openai.messages.at(-2)).not.toHaveProperty("reasoning_content");
  });

  it("never modifies the client's body", async () => {
    const request = await codexToolLoop();
    const before = structuredClone(request);
    translateRequest(request, { upstreamModel: "deepseek-reasoner" });
    expect(request).toEqual(before);
  });
});

describe("input items", () => {
  it.each([
    {
      name: "a string input is one user message",
      input: "hello",
      messages: [{ role: "user", content: "hello" }],
    },
    {
      name: "parallel calls merge into one assistant message, each output a tool message after it",
      input: [
        { role: "user", content: "look around" },
        call("call_a", "exec_command", '{"cmd":"ls"}'),
        call("call_b", "exec_command", '{"cmd":"pwd"}'),
        output("call_a", "a.txt"),
        output("call_b", "/tmp"),
      ],
      messages: [
        { role: "user", content: "look around" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_a", type: "function", function: { name: "exec_command", arguments: '{"cmd":"ls"}' } },
            {
              id: "call_b",
              type: "function",
              function: { name: "exec_command", arguments: '{"cmd":"pwd"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_a", content: "a.txt" },
        { role: "tool", tool_call_id: "call_b", content: "/tmp" },
      ],
    },
    {
      name: "an assistant's text and the calls of the same turn are one message",
      input: [
        { role: "user", content: "go" },
        {
          type: "message",
          role: "assistant",
          content: [{ type: "output_text", text: "Listing.", annotations: [] }],
        },
        call("call_a", "exec_command", ""),
        output("call_a", "ok"),
      ],
      messages: [
        { role: "user", content: "go" },
        {
          role: "assistant",
          content: "Listing.",
          // Empty arguments mean none (edge 3).
          tool_calls: [
            { id: "call_a", type: "function", function: { name: "exec_command", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_a", content: "ok" },
      ],
    },
    {
      name: "a developer message in the middle stays a system message where it stands",
      input: [
        { role: "user", content: "one" },
        { role: "assistant", content: "two" },
        {
          type: "message",
          role: "developer",
          content: [{ type: "input_text", text: "Approval policy is now never." }],
        },
        { role: "user", content: "three" },
      ],
      messages: [
        { role: "user", content: "one" },
        { role: "assistant", content: "two" },
        { role: "system", content: "Approval policy is now never." },
        { role: "user", content: "three" },
      ],
    },
    {
      name: "a namespaced call in the history goes back under its flattened name",
      input: [
        { role: "user", content: "search" },
        call("call_n", "search", '{"query":"x"}', { namespace: "mcp__docs__" }),
        output("call_n", "found"),
      ],
      messages: [
        { role: "user", content: "search" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_n",
              type: "function",
              function: { name: "mcp__docs__search", arguments: '{"query":"x"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_n", content: "found" },
      ],
    },
    {
      name: "an output's images follow the tool messages in a user message (edge 6)",
      input: [
        { role: "user", content: "show" },
        call("call_i", "view_image", '{"path":"a.png"}'),
        output("call_i", [
          { type: "input_text", text: "here it is" },
          { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "high" },
        ]),
        { role: "user", content: "describe it" },
      ],
      messages: [
        { role: "user", content: "show" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_i",
              type: "function",
              function: { name: "view_image", arguments: '{"path":"a.png"}' },
            },
          ],
        },
        {
          role: "tool",
          tool_call_id: "call_i",
          content: "here it is\n\n[the images or files of this tool output follow in the next user message]",
        },
        {
          role: "user",
          content: [
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "high" } },
          ],
        },
        { role: "user", content: "describe it" },
      ],
    },
    {
      name: "user parts: text, images by URL (a Responses-only detail dropped) and files",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "compare" },
            { type: "input_image", image_url: "https://example.com/a.png", detail: "original" },
            { type: "input_file", filename: "spec.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
          ],
        },
      ],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "compare" },
            { type: "image_url", image_url: { url: "https://example.com/a.png" } },
            {
              type: "file",
              file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "spec.pdf" },
            },
          ],
        },
      ],
    },
    {
      name: "a custom tool call goes back as a call of its function form",
      input: [
        { role: "user", content: "patch" },
        {
          type: "custom_tool_call",
          call_id: "call_p",
          name: "apply_patch",
          input: "*** Begin Patch\n*** End Patch",
        },
        { type: "custom_tool_call_output", call_id: "call_p", output: "Done!" },
      ],
      messages: [
        { role: "user", content: "patch" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_p",
              type: "function",
              function: { name: "apply_patch", arguments: '{"input":"*** Begin Patch\\n*** End Patch"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_p", content: "Done!" },
      ],
    },
  ])("$name", ({ input, messages }) => {
    expect(translate({ input }).body.messages).toEqual(messages);
  });

  it("a call id too long for OpenAI is shortened the same way in the call and its output (edges 18, 25)", () => {
    const id = `toolu_${"x".repeat(58)}`;
    const { messages } = translate({
      input: [{ role: "user", content: "x" }, call(id, "exec_command"), output(id, "ok")],
    }).body;
    const sent = (messages[1] as { tool_calls: Array<{ id: string }> }).tool_calls[0]?.id ?? "";
    expect(sent.length).toBeLessThanOrEqual(40);
    expect(messages[2]).toMatchObject({ role: "tool", tool_call_id: sent });
  });

  it("items that ran on OpenAI's side are left out of the history and reported", () => {
    const translated = translate({
      input: [
        { role: "user", content: "news?" },
        {
          type: "web_search_call",
          id: "ws_1",
          status: "completed",
          action: { type: "search", query: "news" },
        },
        { role: "assistant", content: "Here is the news." },
      ],
    });
    expect(translated.body.messages).toEqual([
      { role: "user", content: "news?" },
      { role: "assistant", content: "Here is the news." },
    ]);
    expect(translated.droppedItems).toEqual(["web_search_call"]);
  });

  it.each([
    {
      name: "an output whose call is not in the input",
      input: [{ role: "user", content: "x" }, output("call_missing", "?")],
      param: "input.1.call_id",
      says: "call_missing",
    },
    {
      name: "an item_reference (items stored by OpenAI)",
      input: [{ type: "item_reference", id: "msg_123" }],
      param: "input.0",
      says: "store: false",
    },
    {
      name: "an image by OpenAI file id",
      input: [{ role: "user", content: [{ type: "input_image", file_id: "file-abc", detail: "auto" }] }],
      param: "input.0.content.0",
      says: "file id",
    },
    { name: "an empty input", input: [], param: "input", says: "at least one message" },
    {
      name: "a message of an unknown role",
      input: [{ role: "tool", content: "x" }],
      param: "input.0.role",
      says: "role",
    },
  ])("refuses $name, naming the field", ({ input, param, says }) => {
    const error = refusal(() => translate({ input }));
    expect(error.param).toBe(param);
    expect(error.message).toContain(says);
  });
});

describe("server-side state", () => {
  it.each([
    ["previous_response_id", { previous_response_id: "resp_abc" }],
    ["conversation", { conversation: "conv_abc" }],
    ["prompt", { prompt: { id: "pmpt_abc" } }],
    ["background", { background: true }],
  ])("refuses %s with a 400 that says to send the full input with store: false", (param, fields) => {
    const error = refusal(() => translate({ input: "hi", ...fields }));
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain("send the whole conversation in input, with store: false");
  });
});

describe("tools and tool_choice", () => {
  const tools = [
    { type: "function", name: "exec_command", parameters: { type: "object", properties: {} }, strict: false },
    {
      type: "namespace",
      name: "mcp__docs__",
      description: "docs",
      tools: [{ type: "function", name: "search", parameters: { type: "object", properties: {} } }],
    },
    { type: "web_search" },
  ];

  it.each([
    { choice: "auto", expected: "auto" },
    { choice: "none", expected: "none" },
    { choice: "required", expected: "required" },
    {
      choice: { type: "function", name: "exec_command" },
      expected: { type: "function", function: { name: "exec_command" } },
    },
    {
      choice: { type: "function", name: "search", namespace: "mcp__docs__" },
      expected: { type: "function", function: { name: "mcp__docs__search" } },
    },
    {
      choice: { type: "function", name: "search" },
      expected: { type: "function", function: { name: "mcp__docs__search" } },
    },
    {
      choice: { type: "function", name: "mcp__docs__search" },
      expected: { type: "function", function: { name: "mcp__docs__search" } },
    },
  ])("tool_choice $choice → $expected", ({ choice, expected }) => {
    expect(translate({ input: "x", tools, tool_choice: choice }).body.tool_choice).toEqual(expected);
  });

  it("allowed_tools keeps only the listed tools and their mode", () => {
    const { body } = translate({
      input: "x",
      tools,
      tool_choice: {
        type: "allowed_tools",
        mode: "required",
        tools: [{ type: "function", name: "exec_command" }],
      },
    });
    expect(functions(body).map((f) => f.name)).toEqual(["exec_command"]);
    expect(body.tool_choice).toBe("required");
  });

  it.each([
    { name: "a forced built-in tool", choice: { type: "web_search_preview" }, says: '"web_search_preview"' },
    { name: "a function that is not declared", choice: { type: "function", name: "rm_rf" }, says: '"rm_rf"' },
    { name: "an unknown option", choice: "always", says: "tool_choice must be" },
  ])("refuses $name", ({ choice, says }) => {
    const error = refusal(() => translate({ input: "x", tools, tool_choice: choice }));
    expect(error.param).toMatch(/^tool_choice/);
    expect(error.message).toContain(says);
  });

  it("refuses tool_choice required when only built-in tools were declared", () => {
    const error = refusal(() =>
      translate({ input: "x", tools: [{ type: "web_search" }], tool_choice: "required" }),
    );
    expect(error.message).toContain("left out: web_search");
  });

  it("sends no tool fields when only built-in tools were declared", () => {
    const translated = translate({
      input: "x",
      tools: [{ type: "web_search" }, { type: "file_search" }],
      tool_choice: "auto",
    });
    expect(translated.body).not.toHaveProperty("tools");
    expect(translated.body).not.toHaveProperty("tool_choice");
    expect(translated.droppedTools).toEqual(["web_search", "file_search"]);
  });

  it("forwards parallel_tool_calls only when it turns them off", () => {
    expect(translate({ input: "x", tools, parallel_tool_calls: true }).body).not.toHaveProperty(
      "parallel_tool_calls",
    );
    expect(translate({ input: "x", tools, parallel_tool_calls: false }).body.parallel_tool_calls).toBe(false);
  });

  it("a long namespaced name is shortened within 64 characters, the same way every turn (edge 17)", () => {
    const long = [
      { type: "namespace", name: LONG_NAMESPACE, tools: [{ type: "function", name: LONG_TOOL }] },
    ];
    const input = [
      { role: "user", content: "x" },
      call("call_l", LONG_TOOL, "{}", { namespace: LONG_NAMESPACE }),
      output("call_l", "[]"),
    ];
    const { body, ctx } = translate({ input, tools: long });
    const name = functions(body)[0]?.name ?? "";
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name.startsWith("mcp__plugin_github_enterprise_server__list_pull")).toBe(true);
    expect(
      (body.messages[1] as { tool_calls: Array<{ function: { name: string } }> }).tool_calls[0]?.function
        .name,
    ).toBe(name);
    expect(ctx.toolNames.toClient(name)).toEqual({
      name: LONG_TOOL,
      namespace: LONG_NAMESPACE,
      kind: "function",
    });
  });

  it("a custom tool becomes a function of one string input, its grammar in the description", () => {
    const { body } = translate({
      input: "x",
      tools: [
        {
          type: "custom",
          name: "apply_patch",
          description: "Edit files.",
          format: { type: "grammar", syntax: "lark", definition: 'start: "*** Begin Patch"' },
        },
      ],
    });
    expect(body.tools).toEqual([
      {
        type: "function",
        function: {
          name: "apply_patch",
          description: 'Edit files.\n\nThe input must follow this lark grammar:\nstart: "*** Begin Patch"',
          parameters: {
            type: "object",
            properties: { input: { type: "string", description: "The tool's whole free-form input." } },
            required: ["input"],
            additionalProperties: false,
          },
        },
      },
    ]);
  });

  it("refuses a namespaced tool whose flattened name collides with a top-level one", () => {
    const clash = [
      { type: "function", name: "mcp__docs__search" },
      { type: "namespace", name: "mcp__docs__", tools: [{ type: "function", name: "search" }] },
    ];
    expect(refusal(() => translate({ input: "x", tools: clash })).param).toBe("tools.1.tools.0.name");
  });
});

describe("settings", () => {
  it.each([
    { model: "gpt-5.1", asked: 64_000, field: "max_completion_tokens", sent: 64_000 },
    { model: "o3", asked: 500_000, field: "max_completion_tokens", sent: 100_000 },
    { model: "gpt-4o", asked: 32_000, field: "max_tokens", sent: 16_384 },
    { model: "deepseek-chat", asked: 8192, field: "max_tokens", sent: 8192 },
  ])("max_output_tokens $asked for $model → $field $sent", ({ model, asked, field, sent }) => {
    const { body } = translate({ input: "x", max_output_tokens: asked }, { upstreamModel: model });
    expect(body).toMatchObject({ [field]: sent });
  });

  it("sends the mapping's limit when the client sets none, and nothing when neither does", () => {
    expect(translate({ input: "x" }, { maxOutputTokens: 4096 }).body.max_tokens).toBe(4096);
    const body = translate({ input: "x" }).body;
    expect(body).not.toHaveProperty("max_tokens");
    expect(body).not.toHaveProperty("max_completion_tokens");
  });

  it("refuses a max_output_tokens that is not a positive integer", () => {
    expect(refusal(() => translate({ input: "x", max_output_tokens: 0 })).param).toBe("max_output_tokens");
  });

  it.each([
    { model: "gpt-5.1", effort: "xhigh", sent: "xhigh" },
    { model: "gpt-5.1", effort: "none", sent: "none" },
    { model: "deepseek-reasoner", effort: "xhigh", sent: "high" },
    { model: "openai/gpt-oss-120b", effort: "minimal", sent: "low" },
    { model: "deepseek-reasoner", effort: "none", sent: undefined },
    { model: "gpt-4.1", effort: "high", sent: undefined },
  ])("reasoning.effort $effort for $model → $sent", ({ model, effort, sent }) => {
    const { body } = translate(
      { input: "x", reasoning: { effort, summary: "auto" } },
      { upstreamModel: model },
    );
    expect(body.reasoning_effort).toBe(sent);
  });

  it.each([
    {
      format: {
        type: "json_schema",
        name: "plan",
        strict: true,
        schema: { $schema: "x", type: "object", properties: {} },
      },
      sent: {
        type: "json_schema",
        json_schema: { name: "plan", strict: true, schema: { type: "object", properties: {} } },
      },
    },
    { format: { type: "json_object" }, sent: { type: "json_object" } },
    { format: { type: "text" }, sent: undefined },
  ])("text.format $format.type → response_format", ({ format, sent }) => {
    expect(translate({ input: "x", text: { format } }).body.response_format).toEqual(sent);
  });

  it("keeps sampling settings for chat models and leaves them out for OpenAI's reasoning models", () => {
    const fields = { input: "x", temperature: 0.2, top_p: 0.9 };
    expect(translate(fields).body).toMatchObject({ temperature: 0.2, top_p: 0.9 });
    expect(translate(fields, { upstreamModel: "o3" }).body).not.toHaveProperty("temperature");
  });

  it("sends user to everyone, safety_identifier, service_tier and verbosity to OpenAI's models only, metadata to no one", () => {
    const fields = {
      input: "x",
      user: "u-1",
      safety_identifier: "hash-1",
      metadata: { team: "a" },
      text: { verbosity: "low" },
      service_tier: "flex",
    };
    expect(translate(fields, { upstreamModel: "gpt-5.1" }).body).toMatchObject({
      user: "u-1",
      safety_identifier: "hash-1",
      verbosity: "low",
      service_tier: "flex",
    });
    const other = translate(fields, { upstreamModel: "deepseek-chat" }).body;
    expect(other.user).toBe("u-1");
    expect(other).not.toHaveProperty("safety_identifier");
    expect(other).not.toHaveProperty("verbosity");
    expect(other).not.toHaveProperty("service_tier");
    // Chat Completions refuses metadata unless the completion is stored, which the client did not ask for.
    expect(other).not.toHaveProperty("metadata");
  });

  it("the context carries what the responses echo", () => {
    const { ctx } = translate({
      input: "x",
      instructions: "Be brief.",
      metadata: { team: "a" },
      max_output_tokens: 100,
    });
    expect(ctx).toMatchObject({ clientModel: "gpt-5.1-codex", upstreamModel: "gpt-4.1", createdAt: 1 });
    expect(ctx.envelope).toMatchObject({
      model: "gpt-5.1-codex",
      instructions: "Be brief.",
      metadata: { team: "a" },
      max_output_tokens: 100,
      tool_choice: "auto",
      parallel_tool_calls: true,
    });
  });
});
