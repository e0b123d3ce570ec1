import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamHttpError, UpstreamProtocolError } from "../../../../src/core/errors.js";
import { createAnthropicMessageAccumulator } from "../../../../src/translate/accumulate/index.js";
import type { AnthropicMessage } from "../../../../src/translate/anthropic-to-openai/index.js";
import { synthesizeAnthropicStream } from "../../../../src/translate/synthesize/anthropic-stream.js";
import type { MockUpstream } from "../../../helpers/mock-upstream.js";
import {
  accumulate,
  anthropicSdkMessage,
  bodyOf,
  readFixture,
  readJsonFixture,
  readSsePayloads,
  startFixtureUpstream,
} from "./fixtures.js";

type Event = Record<string, unknown>;

const run = (events: unknown[]) => accumulate(createAnthropicMessageAccumulator, events);
const runFixture = async (name: string) => run(await readSsePayloads(`anthropic/${name}`));
const parsed = (events: unknown[]) => JSON.parse(bodyOf(run(events))) as Record<string, any>;

const USAGE = {
  input_tokens: 100,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: 1,
  service_tier: "standard",
};

const messageStart = (usage: Record<string, unknown> = USAGE, extra: Event = {}): Event => ({
  type: "message_start",
  message: {
    id: "msg_t",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage,
    ...extra,
  },
});
const blockStart = (index: number, content_block: Event): Event => ({
  type: "content_block_start",
  index,
  content_block,
});
const blockDelta = (index: number, delta: Event): Event => ({ type: "content_block_delta", index, delta });
const text = (index: number, value: string) => blockDelta(index, { type: "text_delta", text: value });
const inputJson = (index: number, partial_json: string) =>
  blockDelta(index, { type: "input_json_delta", partial_json });
const blockStop = (index: number): Event => ({ type: "content_block_stop", index });
const toolStart = (index: number, name = "Read") =>
  blockStart(index, { type: "tool_use", id: `toolu_${index}`, name, input: {} });
const messageDelta = (
  stop_reason: string | null,
  usage: Record<string, unknown> = { output_tokens: 9 },
  extra: Event = {},
): Event => ({ type: "message_delta", delta: { stop_reason, stop_sequence: null, ...extra }, usage });
const MESSAGE_STOP: Event = { type: "message_stop" };

/** A whole stream around the given block events. */
const stream = (blocks: Event[], stop = messageDelta("end_turn")): Event[] => [
  messageStart(),
  ...blocks,
  stop,
  MESSAGE_STOP,
];

describe("the body equals the non-streaming body of the same content", () => {
  const pairs = [
    [
      "thinking with its signature, text and a fragmented tool input",
      "stream-tool-use.sse",
      "message-tool-use.json",
    ],
    ["cited and uncited text blocks", "stream-citations.sse", "message-citations.json"],
    ["server-tool blocks and a web-search citation", "stream-web-search.sse", "message-web-search.json"],
  ] as const;
  it.each(pairs)("%s", async (_, streamFixture, messageFixture) => {
    const body = bodyOf(await runFixture(streamFixture));
    expect(JSON.parse(body)).toEqual(await readJsonFixture(`anthropic/${messageFixture}`));
  });
});

describe("the body equals what the Anthropic SDK accumulates from the same stream", () => {
  let upstream: MockUpstream;
  beforeAll(async () => {
    upstream = await startFixtureUpstream();
  });
  afterAll(() => upstream.close());

  const fixtures = [
    "stream-tool-use.sse",
    "stream-thinking.sse",
    "stream-parallel-tool-use.sse",
    "stream-tool-no-arguments.sse",
    "stream-citations.sse",
    "stream-web-search.sse",
    "stream-big-integer-tool-input.sse",
  ];
  it.each(fixtures)("%s", async (fixture) => {
    const sdk = await anthropicSdkMessage(upstream, `anthropic/${fixture}`);
    const body = bodyOf(await runFixture(fixture));
    // toEqual, not toStrictEqual: the SDK sets `stop_details: undefined` when the delta has none.
    expect(JSON.parse(body)).toEqual(sdk);
  });
});

describe("a synthesized stream accumulates back into its message", () => {
  it.each(["message-tool-use.json", "message-thinking.json", "message-parallel-tool-use.json"])(
    "%s",
    async (fixture) => {
      const message = await readJsonFixture<AnthropicMessage>(`anthropic/${fixture}`);
      expect(JSON.parse(bodyOf(run(synthesizeAnthropicStream(message))))).toEqual(message);
    },
  );

  it("for any message of text, thinking, tool and redacted blocks", () => {
    const block = fc.oneof(
      fc.record({ type: fc.constant("text"), text: fc.string({ minLength: 1 }) }),
      fc.record({
        type: fc.constant("text"),
        text: fc.string({ minLength: 1 }),
        citations: fc.array(fc.record({ type: fc.constant("char_location"), cited_text: fc.string() }), {
          minLength: 1,
        }),
      }),
      fc.record({
        type: fc.constant("thinking"),
        thinking: fc.string({ minLength: 1 }),
        signature: fc.base64String({ minLength: 4 }),
      }),
      fc.record({ type: fc.constant("redacted_thinking"), data: fc.base64String({ minLength: 4 }) }),
      fc.record({
        type: fc.constant("tool_use"),
        id: fc.stringMatching(/^toolu_[a-zA-Z0-9]{8}$/),
        name: fc.stringMatching(/^[a-z_]{1,12}$/),
        input: fc.dictionary(fc.string(), fc.jsonValue()),
      }),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 6 }), (content) => {
        const message = {
          id: "msg_p",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-5",
          content,
          stop_reason: "end_turn",
          stop_sequence: null,
          usage: { ...USAGE, output_tokens: 17 },
        } as unknown as AnthropicMessage;
        // Compared as JSON text: JSON itself cannot hold -0, which fc.jsonValue may generate.
        const body = bodyOf(run(synthesizeAnthropicStream(message)));
        expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(message)));
      }),
      { numRuns: 200 },
    );
  });
});

describe("fragmented arguments", () => {
  it("parallel tool inputs are joined per block, in index order", async () => {
    const body = JSON.parse(bodyOf(await runFixture("stream-parallel-tool-use.sse")));
    expect(body.content.map((b: any) => [b.type, b.input])).toEqual([
      ["text", undefined],
      ["tool_use", { location: "San Francisco, CA", unit: "celsius" }],
      ["tool_use", { location: "Paris, France", unit: "celsius" }],
    ]);
  });

  const cases: Array<[string, Event[], unknown[]]> = [
    [
      "a fragment that splits a key and a string",
      stream([
        toolStart(0),
        inputJson(0, '{"pa'),
        inputJson(0, 'th": "/a b'),
        inputJson(0, '/c"}'),
        blockStop(0),
      ]),
      [{ type: "tool_use", id: "toolu_0", name: "Read", input: { path: "/a b/c" } }],
    ],
    [
      "blocks that start out of index order come out in index order",
      stream([
        blockStart(1, { type: "text", text: "" }),
        text(1, "second"),
        toolStart(0),
        inputJson(0, '{"n": 1}'),
        text(1, " part"),
      ]),
      [
        { type: "tool_use", id: "toolu_0", name: "Read", input: { n: 1 } },
        { type: "text", text: "second part" },
      ],
    ],
    [
      "an mcp_tool_use block takes its input from fragments too",
      stream([
        blockStart(0, {
          type: "mcp_tool_use",
          id: "mcptoolu_1",
          name: "search",
          server_name: "docs",
          input: {},
        }),
        inputJson(0, '{"q":'),
        inputJson(0, '"x"}'),
      ]),
      [{ type: "mcp_tool_use", id: "mcptoolu_1", name: "search", server_name: "docs", input: { q: "x" } }],
    ],
  ];
  it.each(cases)("%s", (_, events, content) => {
    expect(parsed(events).content).toEqual(content);
  });
});

describe("empty arguments → {}", () => {
  it("a tool call whose only fragment is empty has input {}", async () => {
    const body = bodyOf(await runFixture("stream-tool-no-arguments.sse"));
    expect(body).toContain('"input":{}');
    expect(JSON.parse(body).content).toEqual([
      { type: "tool_use", id: "toolu_01Jc7vQm3XrP9sLt5WbNk2Ga", name: "get_time", input: {} },
    ]);
  });

  const cases: Array<[string, Event[]]> = [
    ["no input_json_delta at all", stream([toolStart(0), blockStop(0)])],
    [
      "whitespace-only fragments",
      stream([toolStart(0), inputJson(0, " "), inputJson(0, "\n"), blockStop(0)]),
    ],
    [
      "a start without an input object",
      stream([blockStart(0, { type: "tool_use", id: "toolu_0", name: "Read", input: null })]),
    ],
  ];
  it.each(cases)("%s", (_, events) => {
    expect(parsed(events).content[0].input).toEqual({});
  });
});

describe("thinking + signature", () => {
  it("thinking text is joined and the signature kept byte for byte", async () => {
    const body = JSON.parse(bodyOf(await runFixture("stream-thinking.sse")));
    expect(body.content).toEqual([
      {
        type: "thinking",
        thinking: "27 * 453: 27 * 400 = 10800, 27 * 53 = 1431. 10800 + 1431 = 12231.",
        signature:
          "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds2x3d+3MTBL+Wl2pM/TIyNqD0AGVW5xMExmqoW6mzv2y9UQSuQKU+z3ylcSNR08yoQ==",
      },
      { type: "text", text: "27 × 453 = **12,231**" },
    ]);
  });

  const cases: Array<[string, Event[], unknown[]]> = [
    [
      "a redacted_thinking block is kept as it started",
      stream([
        blockStart(0, { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4a" }),
        blockStop(0),
      ]),
      [{ type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4a" }],
    ],
    [
      "a thinking block that never got a signature keeps the empty one it started with",
      stream([
        blockStart(0, { type: "thinking", thinking: "", signature: "" }),
        blockDelta(0, { type: "thinking_delta", thinking: "hmm" }),
      ]),
      [{ type: "thinking", thinking: "hmm", signature: "" }],
    ],
    [
      "deltas of a kind the block cannot hold are ignored",
      stream([
        blockStart(0, { type: "thinking", thinking: "", signature: "" }),
        blockDelta(0, { type: "text_delta", text: "stray" }),
        blockDelta(0, { type: "thinking_delta", thinking: "ok" }),
        blockDelta(0, { type: "some_future_delta", value: 1 }),
      ]),
      [{ type: "thinking", thinking: "ok", signature: "" }],
    ],
  ];
  it.each(cases)("%s", (_, events, content) => {
    expect(parsed(events).content).toEqual(content);
  });
});

describe("citations", () => {
  const citation = {
    type: "char_location",
    cited_text: "x",
    document_index: 0,
    start_char_index: 0,
    end_char_index: 1,
  };
  const cases: Array<[string, Event, Event[], unknown]> = [
    [
      "citations join the list the block started with",
      { type: "text", text: "", citations: [] },
      [
        blockDelta(0, { type: "citations_delta", citation }),
        blockDelta(0, { type: "citations_delta", citation }),
      ],
      { type: "text", text: "cited", citations: [citation, citation] },
    ],
    [
      "a citation on a block that started without the field creates it",
      { type: "text", text: "" },
      [blockDelta(0, { type: "citations_delta", citation })],
      { type: "text", text: "cited", citations: [citation] },
    ],
    [
      "an uncited block has no citations field",
      { type: "text", text: "" },
      [],
      { type: "text", text: "cited" },
    ],
  ];
  it.each(cases)("%s", (_, start, deltas, block) => {
    expect(parsed(stream([blockStart(0, start), ...deltas, text(0, "cited")])).content).toEqual([block]);
  });
});

describe("usage merge", () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]> = [
    [
      "output_tokens from message_delta, everything else from message_start",
      {
        input_tokens: 25,
        cache_read_input_tokens: 7,
        cache_creation: { ephemeral_5m_input_tokens: 2 },
        output_tokens: 1,
      },
      { output_tokens: 40 },
      {
        input_tokens: 25,
        cache_read_input_tokens: 7,
        cache_creation: { ephemeral_5m_input_tokens: 2 },
        output_tokens: 40,
      },
    ],
    [
      "cumulative totals replace the start's counts, never add to them",
      { input_tokens: 2685, cache_creation_input_tokens: 0, output_tokens: 2 },
      {
        input_tokens: 9911,
        cache_creation_input_tokens: 12,
        output_tokens: 343,
        server_tool_use: { web_search_requests: 1 },
      },
      {
        input_tokens: 9911,
        cache_creation_input_tokens: 12,
        output_tokens: 343,
        server_tool_use: { web_search_requests: 1 },
      },
    ],
    [
      "a null in message_delta does not erase a known count",
      { input_tokens: 30, cache_read_input_tokens: 512, output_tokens: 1 },
      { input_tokens: null, cache_read_input_tokens: null, output_tokens: 8 },
      { input_tokens: 30, cache_read_input_tokens: 512, output_tokens: 8 },
    ],
  ];
  it.each(cases)("%s", (_, startUsage, deltaUsage, expected) => {
    const events = [messageStart(startUsage), messageDelta("end_turn", deltaUsage), MESSAGE_STOP];
    expect(parsed(events).usage).toEqual(expected);
  });

  it("the last of several message_delta events wins", () => {
    const events = [
      messageStart(),
      messageDelta(null, { output_tokens: 5 }),
      messageDelta("max_tokens", { output_tokens: 64 }),
      MESSAGE_STOP,
    ];
    const body = parsed(events);
    expect([body.stop_reason, body.usage.output_tokens]).toEqual(["max_tokens", 64]);
  });
});

describe("stop fields", () => {
  const cases: Array<[string, Event, Record<string, unknown>]> = [
    [
      "stop_reason and stop_sequence come from message_delta",
      messageDelta("stop_sequence", undefined, { stop_sequence: "\n\nHuman:" }),
      { stop_reason: "stop_sequence", stop_sequence: "\n\nHuman:" },
    ],
    [
      "newer delta fields (stop_details, container) are kept",
      messageDelta("refusal", undefined, {
        stop_details: { type: "refusal", category: "cyber" },
        container: { id: "container_1", expires_at: "2026-01-01T00:00:00Z" },
      }),
      {
        stop_reason: "refusal",
        stop_details: { type: "refusal", category: "cyber" },
        container: { id: "container_1", expires_at: "2026-01-01T00:00:00Z" },
      },
    ],
  ];
  it.each(cases)("%s", (_, delta, expected) => {
    expect(parsed([messageStart(), delta, MESSAGE_STOP])).toMatchObject(expected);
  });

  it("a container message_start named is not erased by a null in message_delta", () => {
    const events = [
      messageStart(USAGE, { container: { id: "container_1" } }),
      messageDelta("end_turn", undefined, { container: null }),
      MESSAGE_STOP,
    ];
    expect(parsed(events).container).toEqual({ id: "container_1" });
  });

  it("keeps message_start's field order, like the API's own body", () => {
    const keys = Object.keys(parsed(stream([blockStart(0, { type: "text", text: "" }), text(0, "hi")])));
    expect(keys).toEqual(["id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"]);
  });
});

describe("big integers", () => {
  it("a tool input keeps integers above 2^53 exactly as the upstream wrote them", async () => {
    const body = bodyOf(await runFixture("stream-big-integer-tool-input.sse"));
    expect(body).toContain(
      '"input":{"order_id": 12345678901234567890, "amount_cents": 9007199254740993, "ledger": [-9223372036854775809]}',
    );
    // The rest of the body is still one valid JSON document.
    expect(JSON.parse(body).content[0].name).toBe("refund_order");
  });

  it("a tool input that a content_block_start gives whole is written as given", () => {
    const events = stream([
      blockStart(0, { type: "tool_use", id: "toolu_0", name: "Read", input: { n: 1 } }),
    ]);
    expect(parsed(events).content[0].input).toEqual({ n: 1 });
  });
});

describe("error mid-stream", () => {
  it("an overloaded_error event fails the body with a retryable 529", async () => {
    const result = await runFixture("stream-error.sse");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(UpstreamHttpError);
    expect(result.error).toMatchObject({
      status: 529,
      retryable: true,
      message: "Overloaded",
      upstreamType: "overloaded_error",
    });
  });

  const cases: Array<[string, number, boolean, string]> = [
    ["invalid_request_error", 400, false, "prompt is too long: 210000 tokens > 200000 maximum"],
    ["rate_limit_error", 429, true, "Number of request tokens has exceeded your per-minute rate limit"],
    ["api_error", 500, true, "Internal server error"],
    ["some_new_error", 500, true, "Something new"],
  ];
  it.each(cases)(
    "an error event of type %s fails the body with status %i",
    (type, status, retryable, message) => {
      const events = [
        messageStart(),
        blockStart(0, { type: "text", text: "" }),
        text(0, "partial"),
        { type: "error", error: { type, message } },
        // Whatever follows an error does not revive the response.
        messageDelta("end_turn"),
        MESSAGE_STOP,
      ];
      const result = run(events);
      expect(result.ok ? undefined : result.error).toMatchObject({
        status,
        retryable,
        message,
        upstreamType: type,
      });
    },
  );
});

describe("truncated stream", () => {
  const cases: Array<[string, Event[] | { fixture: string }, RegExp]> = [
    ["a stream cut mid-text", { fixture: "stream-cut.sse" }, /before message_stop/],
    ["no events at all", [], /before message_start/],
    ["message_delta but no message_stop", [messageStart(), messageDelta("end_turn")], /before message_stop/],
    ["message_stop without message_start", [MESSAGE_STOP], /before message_start/],
  ];
  it.each(cases)("%s is a retryable protocol error, never a body", async (_, input, message) => {
    const result = Array.isArray(input) ? run(input) : await runFixture(input.fixture);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(UpstreamProtocolError);
    expect(result.error).toMatchObject({ status: 502, retryable: true });
    expect(result.error.message).toMatch(message);
  });

  it("a tool input cut off by max_tokens becomes {} and keeps the stop reason", () => {
    const events = stream([toolStart(0), inputJson(0, '{"path": "/re')], messageDelta("max_tokens"));
    const body = parsed(events);
    expect([body.content[0].input, body.stop_reason]).toEqual([{}, "max_tokens"]);
  });
});

describe("malformed stream", () => {
  const cases: Array<[string, Event[], RegExp]> = [
    [
      "a tool input that is not JSON, without a token limit to explain it",
      stream([toolStart(0), inputJson(0, '{"path": "/re')]),
      /input of a tool_use block \(Read\) is not a JSON object/,
    ],
    [
      "a tool input that is JSON but not an object",
      stream([toolStart(0), inputJson(0, "[1, 2]")]),
      /not a JSON object/,
    ],
    ["a delta for a block that never started", stream([text(3, "x")]), /block 3, which never started/],
    ["the same block started twice", stream([toolStart(0), toolStart(0)]), /block 0 started twice/],
    ["a second message_start", [messageStart(), messageStart(), MESSAGE_STOP], /second message_start/],
    ["a block before message_start", [toolStart(0), messageStart(), MESSAGE_STOP], /before message_start/],
  ];
  it.each(cases)("%s fails the body", (_, events, message) => {
    const result = run(events);
    expect(result.ok ? undefined : result.error).toBeInstanceOf(UpstreamProtocolError);
    expect(result.ok ? "" : result.error.message).toMatch(message);
  });
});

describe("the wire capture is what the tests read", () => {
  it("the big-integer fixture really carries digits JSON.parse would round", async () => {
    const text = await readFixture("anthropic/stream-big-integer-tool-input.sse");
    expect(text).toContain("1234567890");
    expect(Number("12345678901234567890").toString()).not.toBe("12345678901234567890");
  });
});
