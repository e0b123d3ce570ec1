import { describe, expect, it } from "vitest";
import { UpstreamHttpError, UpstreamProtocolError } from "../../../../src/core/errors.js";
import {
  type OpenAIChatCompletion,
  type ResponsesRequest,
  translateResponse,
} from "../../../../src/translate/responses-to-openai/index.js";
import { CREATED_AT, contextFor, readJsonFixture } from "./fixtures.js";

const codexContext = async (upstreamModel = "gpt-4.1") =>
  contextFor(await readJsonFixture<ResponsesRequest>("responses/request-codex.json"), upstreamModel);

function completion(
  message: Record<string, unknown>,
  finish_reason = "stop",
  extra: Record<string, unknown> = {},
) {
  return {
    id: "chatcmpl-r1",
    object: "chat.completion",
    created: 1_764_626_300,
    model: "m",
    choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    ...extra,
  } as OpenAIChatCompletion;
}

describe("a whole answer", () => {
  it("Codex's exec_command turn: reasoning, text and the call, with the request's settings echoed", async () => {
    const ctx = await codexContext("Qwen/Qwen3-Coder-480B-A35B-Instruct");
    const body = translateResponse(await readJsonFixture("responses/chat-completion-exec-command.json"), ctx);
    const { tools, instructions, ...rest } = body;
    expect(rest).toEqual({
      id: "resp_chatcmpl-9c1e5b7a3f2d4e6a8b0c",
      object: "response",
      created_at: 1764626100,
      status: "completed",
      error: null,
      incomplete_details: null,
      background: false,
      max_output_tokens: null,
      model: "gpt-5.1-codex",
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: null, summary: "auto" },
      temperature: null,
      text: { format: { type: "text" } },
      tool_choice: "auto",
      top_p: null,
      truncation: "disabled",
      prompt_cache_key: "019ad8f2-6c1e-7d30-9a41-5be0c3f7a2d8",
      output: [
        {
          id: "rs_chatcmpl-9c1e5b7a3f2d4e6a8b0c",
          type: "reasoning",
          summary: [{ type: "summary_text", text: "The user wants note.txt read; `cat` prints it." }],
        },
        {
          id: "msg_chatcmpl-9c1e5b7a3f2d4e6a8b0c",
          type: "message",
          status: "completed",
          content: [{ type: "output_text", annotations: [], logprobs: [], text: "\n\nI’ll read the file." }],
          role: "assistant",
        },
        {
          id: "fc_Yp3Lk9QwZt2MvB7xRn4sHd1c",
          type: "function_call",
          status: "completed",
          arguments: '{"cmd":"cat note.txt"}',
          call_id: "call_Yp3Lk9QwZt2MvB7xRn4sHd1c",
          name: "exec_command",
        },
      ],
      metadata: {},
      usage: {
        input_tokens: 5120,
        input_tokens_details: { cached_tokens: 4096, cache_write_tokens: 0 },
        output_tokens: 42,
        output_tokens_details: { reasoning_tokens: 17 },
        total_tokens: 5162,
      },
    });
    expect(instructions).toMatch(/^You are Codex/);
    // The tools offered, as the client declared them: web_search could not be offered.
    expect(tools.map((t) => t.type)).toEqual([...Array(7).fill("function"), "namespace"]);
  });

  it("parallel calls keep their order, and a namespaced tool comes back under its own name and namespace", async () => {
    const body = translateResponse(
      await readJsonFixture("responses/chat-completion-parallel-namespace.json"),
      await codexContext(),
    );
    expect(body.output).toEqual([
      {
        id: "fc_Dq7Hs2Kx9Lm4Np6Rt8Vw0Yz",
        type: "function_call",
        status: "completed",
        arguments: '{"query": "sandbox modes"}',
        call_id: "call_Dq7Hs2Kx9Lm4Np6Rt8Vw0Yz",
        name: "search",
        namespace: "mcp__docs__",
      },
      {
        id: "fc_Fb3Jt5Mv7Pq9Sx1Uz3Wc5Ye7",
        type: "function_call",
        status: "completed",
        arguments: '{"cmd":"ls -la"}',
        call_id: "call_Fb3Jt5Mv7Pq9Sx1Uz3Wc5Ye7",
        name: "exec_command",
      },
    ]);
  });

  it.each([
    {
      name: "a nested tool's bare name maps to its namespace",
      call: { id: "call_b", type: "function", function: { name: "fetch_page", arguments: '{"url":"u"}' } },
      expected: { name: "fetch_page", namespace: "mcp__docs__", call_id: "call_b", id: "fc_b" },
    },
    {
      name: "an undeclared name passes through as a top-level function",
      call: { id: "call_u", type: "function", function: { name: "shell", arguments: "{}" } },
      expected: { name: "shell", call_id: "call_u" },
    },
    {
      name: "empty arguments become {} (edge 3)",
      call: { id: "call_e", type: "function", function: { name: "list_mcp_resources", arguments: "" } },
      expected: { name: "list_mcp_resources", arguments: "{}" },
    },
    {
      name: "an id with characters ids do not carry is kept as call_id and cleaned for the item id (edge 18)",
      call: {
        id: "functions.exec_command:0",
        type: "function",
        function: { name: "exec_command", arguments: "{}" },
      },
      expected: { id: "fc_functionsexec_command0", call_id: "functions.exec_command:0" },
    },
    {
      name: "a call without an id gets ids derived from the completion",
      call: { type: "function", function: { name: "exec_command", arguments: "{}" } },
      expected: { id: "fc_chatcmpl-r1_0", call_id: "call_chatcmpl-r1_0" },
    },
  ])("$name", async ({ call, expected }) => {
    const body = translateResponse(
      completion({ content: null, tool_calls: [call] }, "tool_calls"),
      await codexContext(),
    );
    expect(body.output[0]).toMatchObject({ type: "function_call", ...expected });
    if (!("namespace" in expected)) expect(body.output[0]).not.toHaveProperty("namespace");
  });

  it("a custom tool's call comes back as a custom_tool_call with its input", async () => {
    const ctx = contextFor({
      model: "gpt-5.1-codex",
      input: "patch",
      tools: [{ type: "custom", name: "apply_patch", description: "Edit files." }],
    } as ResponsesRequest);
    const args = JSON.stringify({ input: "*** Begin Patch\n*** End Patch\n" });
    const body = translateResponse(
      completion(
        {
          content: null,
          tool_calls: [
            { id: "call_p", type: "function", function: { name: "apply_patch", arguments: args } },
          ],
        },
        "tool_calls",
      ),
      ctx,
    );
    expect(body.output).toEqual([
      {
        id: "ctc_p",
        type: "custom_tool_call",
        call_id: "call_p",
        input: "*** Begin Patch\n*** End Patch\n",
        name: "apply_patch",
      },
    ]);
  });

  it.each([
    { finish: "length", reason: "max_output_tokens" },
    { finish: "content_filter", reason: "content_filter" },
  ])(
    "finish_reason $finish makes the response incomplete ($reason), its last item too",
    async ({ finish, reason }) => {
      const body = translateResponse(
        completion({ content: "It was a dark and", reasoning_content: "story" }, finish),
        await codexContext(),
      );
      expect(body.status).toBe("incomplete");
      expect(body.incomplete_details).toEqual({ reason });
      expect(body.output.map((item) => ("status" in item ? item.status : undefined))).toEqual([
        undefined,
        "incomplete",
      ]);
    },
  );

  it("a refusal is a refusal part of the message", async () => {
    const body = translateResponse(
      completion({ content: null, refusal: "I can't help with that." }),
      await codexContext(),
    );
    expect(body.output).toEqual([
      {
        id: "msg_chatcmpl-r1",
        type: "message",
        status: "completed",
        content: [{ type: "refusal", refusal: "I can't help with that." }],
        role: "assistant",
      },
    ]);
  });

  it("OpenRouter's `reasoning` field is reasoning too; whitespace-only text makes no message", async () => {
    const body = translateResponse(
      completion({ content: "\n\n", reasoning: "Thinking." }),
      await codexContext(),
    );
    expect(body.output).toEqual([
      { id: "rs_chatcmpl-r1", type: "reasoning", summary: [{ type: "summary_text", text: "Thinking." }] },
    ]);
  });

  it("usage: cached tokens stay inside input_tokens (edge 30), DeepSeek's cache counter is read", async () => {
    const body = translateResponse(
      completion({ content: "ok" }, "stop", {
        usage: {
          prompt_tokens: 5230,
          completion_tokens: 16,
          total_tokens: 5246,
          prompt_cache_hit_tokens: 5120,
        },
      }),
      await codexContext(),
    );
    expect(body.usage).toEqual({
      input_tokens: 5230,
      input_tokens_details: { cached_tokens: 5120, cache_write_tokens: 0 },
      output_tokens: 16,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 5246,
    });
  });

  it("an answer without usage has none, and without `created` takes the request's time", async () => {
    const body = translateResponse(
      completion({ content: "ok" }, "stop", { usage: undefined, created: undefined }),
      await codexContext(),
    );
    expect(body).not.toHaveProperty("usage");
    expect(body.created_at).toBe(CREATED_AT);
  });

  it("an error object answered with a 200 is raised as the upstream's error", async () => {
    const error = (() => {
      try {
        translateResponse(
          { error: { message: "Provider returned error", code: 429, type: "rate_limit" } },
          contextFor({ input: "x" } as ResponsesRequest),
        );
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UpstreamHttpError);
    expect(error).toMatchObject({ status: 429, message: "Provider returned error", retryable: true });
  });

  it("an answer with no choices is a protocol error", () => {
    expect(() =>
      translateResponse({ id: "x", choices: [] }, contextFor({ input: "x" } as ResponsesRequest)),
    ).toThrow(UpstreamProtocolError);
  });
});
