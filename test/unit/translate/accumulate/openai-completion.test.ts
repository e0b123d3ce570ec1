import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamHttpError, UpstreamProtocolError } from "../../../../src/core/errors.js";
import { createOpenAICompletionAccumulator } from "../../../../src/translate/accumulate/index.js";
import type { MockUpstream } from "../../../helpers/mock-upstream.js";
import {
  accumulate,
  bodyOf,
  openaiSdkCompletion,
  readJsonFixture,
  readSsePayloads,
  startFixtureUpstream,
} from "./fixtures.js";

type Event = Record<string, unknown>;

const run = (chunks: unknown[]) => accumulate(createOpenAICompletionAccumulator, chunks);
const runFixture = async (name: string) => run(await readSsePayloads(`openai/${name}`));
const parsed = (chunks: unknown[]) => JSON.parse(bodyOf(run(chunks))) as Record<string, any>;
const parsedFixture = async (name: string) =>
  JSON.parse(bodyOf(await runFixture(name))) as Record<string, any>;

const chunk = (choices: unknown[], extra: Event = {}): Event => ({
  id: "chatcmpl-t",
  object: "chat.completion.chunk",
  created: 1754557000,
  model: "gpt-4.1-mini",
  choices,
  ...extra,
});
const choice = (delta: Event, finish_reason: string | null = null, index = 0): Event => ({
  index,
  delta,
  logprobs: null,
  finish_reason,
});
const one = (delta: Event, finish_reason: string | null = null) => chunk([choice(delta, finish_reason)]);
const call = (index: number, fields: { id?: string; name?: string; args?: string }): Event => ({
  tool_calls: [
    {
      index,
      ...(fields.id ? { id: fields.id, type: "function" } : {}),
      function: {
        ...(fields.name ? { name: fields.name } : {}),
        ...(fields.args !== undefined ? { arguments: fields.args } : {}),
      },
    },
  ],
});
const ROLE = one({ role: "assistant", content: "" });
const STOP = one({}, "stop");
const TOOL_CALLS = one({}, "tool_calls");

const toolCalls = (body: Record<string, any>) =>
  body.choices[0].message.tool_calls.map((c: any) => [c.id, c.function.name, c.function.arguments]);

describe("the body equals the non-streaming body of the same content", () => {
  it("parallel tool calls with fragmented arguments", async () => {
    const expected = await readJsonFixture<Record<string, any>>(
      "openai/chat-completion-parallel-tool-calls.json",
    );
    // OpenAI's non-streaming message carries `annotations: []`; a stream has no way to say
    // an empty list, and the SDK type has the field optional.
    delete expected.choices[0].message.annotations;
    expect(await parsedFixture("stream-parallel-tool-calls.sse")).toEqual(expected);
  });
});

describe("the body equals what the OpenAI SDK accumulates from the same stream", () => {
  let upstream: MockUpstream;
  beforeAll(async () => {
    upstream = await startFixtureUpstream();
  });
  afterAll(() => upstream.close());

  // Only streams the SDK reads right: it keeps just the last reasoning fragment, merges
  // calls that share an index and leaves empty arguments as "".
  it.each(["stream-parallel-tool-calls.sse", "stream-big-integer-arguments.sse"])("%s", async (fixture) => {
    const { obfuscation: _, ...sdk } = (await openaiSdkCompletion(upstream, `openai/${fixture}`)) as Event;
    expect(await parsedFixture(fixture)).toEqual(sdk);
  });
});

describe("fragmented arguments", () => {
  it("arguments are joined per call, byte for byte", async () => {
    expect(toolCalls(await parsedFixture("stream-parallel-tool-calls.sse"))).toEqual([
      ["call_Wq3Rk8nZt2LmV5xB7yPd0sHc", "Read", '{"file_path": "/repo/src/main.ts"}'],
      ["call_Jd9Tf4hYc1QoE6uA3gKs8mXw", "Grep", '{"pattern": "createServer", "path": "src"}'],
    ]);
  });

  const cases: Array<[string, Event[], unknown[]]> = [
    [
      "fragments of two calls interleaved by index",
      [
        ROLE,
        one(call(0, { id: "call_a", name: "Read", args: "" })),
        one(call(1, { id: "call_b", name: "Grep", args: '{"pat' })),
        one(call(0, { args: '{"path":' })),
        one(call(1, { args: 'tern": "x"}' })),
        one(call(0, { args: ' "/a"}' })),
        TOOL_CALLS,
      ],
      [
        ["call_a", "Read", '{"path": "/a"}'],
        ["call_b", "Grep", '{"pattern": "x"}'],
      ],
    ],
    [
      "a name repeated on every fragment counts once",
      [
        one(call(0, { id: "call_a", name: "Bash", args: '{"c":' })),
        one(call(0, { name: "Bash", args: '"ls"}' })),
        TOOL_CALLS,
      ],
      [["call_a", "Bash", '{"c":"ls"}']],
    ],
    [
      "arguments that are not JSON are kept as sent, as the non-streaming API would",
      [one(call(0, { id: "call_a", name: "Bash", args: '{"c": "ls' })), one({}, "length")],
      [["call_a", "Bash", '{"c": "ls']],
    ],
    [
      "a call that came without an id gets one from the completion id",
      [one(call(0, { name: "Read", args: "{}" })), TOOL_CALLS],
      [["call_chatcmpl-t_0", "Read", "{}"]],
    ],
  ];
  it.each(cases)("%s", (_, chunks, expected) => {
    expect(toolCalls(parsed(chunks))).toEqual(expected);
  });
});

describe("parallel calls with colliding indexes", () => {
  it("a new id at index 0 starts a new call (vLLM with Qwen)", async () => {
    const body = await parsedFixture("stream-colliding-index.sse");
    expect(toolCalls(body)).toEqual([
      ["chatcmpl-tool-4e1f0d6a", "Bash", '{"command": "git status", "description": "Show status"}'],
      ["chatcmpl-tool-9b2c7e13", "Bash", '{"command": "git log -3"}'],
    ]);
    expect(body.choices[0].finish_reason).toBe("tool_calls");
  });

  it("a fragment naming a known id goes back to that call", () => {
    const chunks = [
      one(call(0, { id: "call_a", name: "Read", args: '{"p":' })),
      one(call(0, { id: "call_b", name: "Grep", args: '{"q":"b"}' })),
      one({ tool_calls: [{ index: 0, id: "call_a", function: { arguments: '"a"}' } }] }),
      TOOL_CALLS,
    ];
    expect(toolCalls(parsed(chunks))).toEqual([
      ["call_a", "Read", '{"p":"a"}'],
      ["call_b", "Grep", '{"q":"b"}'],
    ]);
  });
});

describe("empty arguments → {}", () => {
  it("a call whose arguments stayed empty says {} (and the upstream's finish_reason is kept)", async () => {
    const body = await parsedFixture("stream-tool-no-arguments.sse");
    expect(toolCalls(body)).toEqual([["functions.GetTime:0", "GetTime", "{}"]]);
    expect(body.choices[0].finish_reason).toBe("stop");
  });

  const cases: Array<[string, Event[]]> = [
    ["no arguments field at all", [one(call(0, { id: "call_a", name: "Now" })), TOOL_CALLS]],
    ["whitespace-only arguments", [one(call(0, { id: "call_a", name: "Now", args: " \n" })), TOOL_CALLS]],
  ];
  it.each(cases)("%s", (_, chunks) => {
    expect(toolCalls(parsed(chunks))).toEqual([["call_a", "Now", "{}"]]);
  });

  it("a legacy function_call without arguments says {} too", () => {
    const body = parsed([
      one({ role: "assistant", function_call: { name: "now" } }),
      one({}, "function_call"),
    ]);
    expect(body.choices[0].message.function_call).toEqual({ name: "now", arguments: "{}" });
  });
});

describe("message fields", () => {
  it("DeepSeek's reasoning_content and content are joined; usage from the finish chunk", async () => {
    const body = await parsedFixture("stream-reasoning.sse");
    expect(body).toEqual({
      id: "b8e2c6f4-19a7-4c3e-9d51-0f6a2e7c8b13",
      object: "chat.completion",
      created: 1754556903,
      model: "deepseek-reasoner",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "\n\n2 + 2 = 4.",
            refusal: null,
            reasoning_content: "The user asks for 2+2. That is 4.",
          },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: 412,
        completion_tokens: 37,
        total_tokens: 449,
        prompt_tokens_details: { cached_tokens: 384 },
        completion_tokens_details: { reasoning_tokens: 24 },
        prompt_cache_hit_tokens: 384,
        prompt_cache_miss_tokens: 28,
      },
      system_fingerprint: "fp_feb633d1f5_prod0820_fp8_kvcache",
    });
  });

  it("OpenRouter's `reasoning` keeps its name, and its extra fields are kept", async () => {
    const body = await parsedFixture("stream-openrouter-reasoning.sse");
    expect(body.choices[0].message).toEqual({
      role: "assistant",
      content: "I'll read it.",
      refusal: null,
      reasoning: "**Checking the file**\n\nI should read it first.",
      tool_calls: [
        {
          id: "tool_0_Read_uYc2d",
          type: "function",
          function: { name: "Read", arguments: '{"file_path":"/repo/README.md"}' },
        },
      ],
    });
    expect(body).toMatchObject({ provider: "Google", usage: { prompt_tokens: 5120, cost: 0.0085 } });
    expect(body.choices[0]).toMatchObject({ finish_reason: "tool_calls", native_finish_reason: "STOP" });
  });

  const cases: Array<[string, Event[], Record<string, unknown>]> = [
    [
      "a tool-only reply has content null, not an empty string",
      [ROLE, one(call(0, { id: "call_a", name: "Read", args: "{}" })), one({ content: "" }, "tool_calls")],
      { role: "assistant", content: null, refusal: null },
    ],
    [
      "a refusal is joined into `refusal`",
      [ROLE, one({ refusal: "I can't" }), one({ refusal: " help with that." }), STOP],
      { role: "assistant", content: null, refusal: "I can't help with that." },
    ],
    [
      "annotations from the stream are kept in order",
      [
        ROLE,
        one({ content: "See the docs." }),
        one({ annotations: [{ type: "url_citation", url_citation: { url: "https://a", title: "A" } }] }),
        one({ annotations: [{ type: "url_citation", url_citation: { url: "https://b", title: "B" } }] }),
        STOP,
      ],
      {
        content: "See the docs.",
        annotations: [
          { type: "url_citation", url_citation: { url: "https://a", title: "A" } },
          { type: "url_citation", url_citation: { url: "https://b", title: "B" } },
        ],
      },
    ],
  ];
  it.each(cases)("%s", (_, chunks, message) => {
    expect(parsed(chunks).choices[0].message).toMatchObject(message);
  });

  it("token logprobs of every chunk are joined", () => {
    const token = (t: string) => ({ token: t, logprob: -0.1, bytes: null, top_logprobs: [] });
    const body = parsed([
      chunk([
        {
          ...choice({ role: "assistant", content: "Hi" }),
          logprobs: { content: [token("Hi")], refusal: null },
        },
      ]),
      chunk([{ ...choice({ content: "!" }, "stop"), logprobs: { content: [token("!")], refusal: null } }]),
    ]);
    expect(body.choices[0].logprobs).toEqual({ content: [token("Hi"), token("!")], refusal: null });
  });

  it("choices come out by index, each assembled on its own (n=2)", () => {
    const body = parsed([
      chunk([
        choice({ role: "assistant", content: "B" }, null, 1),
        choice({ role: "assistant", content: "A" }, null, 0),
      ]),
      chunk([choice({ content: "b" }, "stop", 1)]),
      chunk([choice({ content: "a" }, "length", 0)]),
    ]);
    expect(body.choices.map((c: any) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, "Aa", "length"],
      [1, "Bb", "stop"],
    ]);
  });

  it("the object is chat.completion, stream-only padding is dropped, other fields are kept", async () => {
    const body = await parsedFixture("stream-parallel-tool-calls.sse");
    expect(body.object).toBe("chat.completion");
    expect(body).not.toHaveProperty("obfuscation");
    expect(body).toMatchObject({ service_tier: "default", system_fingerprint: "fp_51e1070cf2" });
  });
});

describe("usage", () => {
  const usage = { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 };
  const cases: Array<[string, Event[], unknown]> = [
    [
      "from the final usage chunk after the finish chunk",
      [ROLE, one({ content: "ok" }), STOP, chunk([], { usage })],
      usage,
    ],
    [
      "`usage: null` on the other chunks does not erase it",
      [one({ content: "ok" }, "stop"), chunk([], { usage }), chunk([], { usage: null })],
      usage,
    ],
    ["absent when the upstream reported none", [ROLE, one({ content: "ok" }), STOP], undefined],
  ];
  it.each(cases)("%s", (_, chunks, expected) => {
    expect(parsed(chunks).usage).toEqual(expected);
  });
});

describe("big integers", () => {
  it("arguments keep integers above 2^53 exactly as the upstream wrote them", async () => {
    const body = bodyOf(await runFixture("stream-big-integer-arguments.sse"));
    expect(body).toContain(
      String.raw`"arguments":"{\"order_id\": 12345678901234567890, \"amount_cents\": 9007199254740993, \"ledger\": [-9223372036854775809]}"`,
    );
  });
});

describe("error mid-stream", () => {
  it("an error object inside a 200 stream fails the body with the provider's status and message", async () => {
    const result = await runFixture("stream-error-in-200.sse");
    expect(result.ok ? undefined : result.error).toBeInstanceOf(UpstreamHttpError);
    expect(result.ok ? undefined : result.error).toMatchObject({
      status: 502,
      retryable: true,
      message: "Provider returned error (upstream connect error or disconnect/reset before headers)",
    });
  });

  const cases: Array<[string, Event, number, string]> = [
    [
      "an OpenAI rate_limit_error",
      {
        error: {
          message: "Rate limit reached for gpt-4.1",
          type: "rate_limit_error",
          param: null,
          code: null,
        },
      },
      429,
      "Rate limit reached for gpt-4.1",
    ],
    [
      "a server_error",
      { error: { message: "The server had an error", type: "server_error", param: null, code: null } },
      500,
      "The server had an error",
    ],
    [
      "a context-length error",
      {
        error: {
          message: "maximum context length is 8192 tokens",
          type: "invalid_request_error",
          code: "context_length_exceeded",
        },
      },
      400,
      "maximum context length is 8192 tokens",
    ],
    ["a status given as a string code", { error: { message: "busy", code: "503" } }, 503, "busy"],
    ["an error that is only a string", { error: "upstream timed out" }, 502, "upstream timed out"],
  ];
  it.each(cases)("%s", (_, errorChunk, status, message) => {
    const result = run([ROLE, one({ content: "partial" }), errorChunk, STOP]);
    expect(result.ok ? undefined : result.error).toMatchObject({ status, message });
  });

  it('finish_reason "error" without an error object fails the body too', () => {
    const result = run([ROLE, one({ content: "partial" }), one({}, "error")]);
    expect(result.ok ? undefined : result.error).toMatchObject({ status: 502 });
  });
});

describe("truncated stream", () => {
  const cases: Array<[string, Event[] | { fixture: string }, RegExp]> = [
    ["a stream cut mid-content", { fixture: "stream-cut.sse" }, /before the finish_reason/],
    ["no chunks at all", [], /before any choice/],
    ["only the usage chunk", [chunk([], { usage: { prompt_tokens: 1 } })], /before any choice/],
    [
      "one of two choices finished",
      [chunk([choice({ content: "a" }, "stop", 0), choice({ content: "b" }, null, 1)])],
      /before the finish_reason of choice 1/,
    ],
  ];
  it.each(cases)("%s is a retryable protocol error, never a body", async (_, input, message) => {
    const result = Array.isArray(input) ? run(input) : await runFixture(input.fixture);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(UpstreamProtocolError);
    expect(result.error).toMatchObject({ status: 502, retryable: true });
    expect(result.error.message).toMatch(message);
  });
});
