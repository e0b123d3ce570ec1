import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dropUnsignedThinking as dropOnBytes,
  planFromParsed,
  planUnsignedThinking,
} from "../../../src/dataplane/unsigned-thinking.js";

/** The drop on a body's bytes, read back as text. */
function dropUnsignedThinking(raw: string, body: Record<string, unknown>): { raw: string; dropped: number } {
  const result = dropOnBytes(Buffer.from(raw), body);
  return { raw: result.raw.toString("utf8"), dropped: result.dropped };
}

/**
 * Runs the drop on `raw` with `raw` parsed as the body; the plan the data plane reads from
 * the bytes alone must be the parsed body's.
 */
function drop(raw: string): { raw: string; dropped: number } {
  const body = JSON.parse(raw) as Record<string, unknown>;
  expect(planUnsignedThinking(Buffer.from(raw))).toEqual(planFromParsed(body));
  return dropUnsignedThinking(raw, body);
}

const UNSIGNED = '{"type":"thinking","thinking":"from elsewhere","signature":""}';
const SIGNED = '{"type":"thinking","thinking":"mine","signature":"EqQBCkYIBRgCKkA="}';
const REDACTED = '{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT"}';
const TEXT = '{"type":"text","text":"done"}';

/** A body whose one assistant turn holds `blocks` (raw JSON texts). */
function conversation(blocks: string[]): string {
  return `{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[${blocks.join(",")}]},{"role":"user","content":"go on"}]}`;
}

describe("dropUnsignedThinking", () => {
  it("returns the very same bytes without looking at them when no block is unsigned", () => {
    const body = { messages: [{ role: "assistant", content: [JSON.parse(SIGNED), JSON.parse(REDACTED)] }] };
    // Not JSON at all: any scan of it would find nothing to cut and could not succeed.
    const raw = Buffer.from("not json");
    const result = dropOnBytes(raw, body);
    expect(result.dropped).toBe(0);
    expect(result.raw).toBe(raw);
  });

  it("leaves bodies without array content alone", () => {
    const raw = '{"model":"m","messages":[{"role":"user","content":"thinking"},null,3,"x"]}';
    expect(drop(raw)).toEqual({ raw, dropped: 0 });
    expect(dropUnsignedThinking("{}", {})).toEqual({ raw: "{}", dropped: 0 });
    expect(dropUnsignedThinking('{"messages":{}}', { messages: {} })).toEqual({
      raw: '{"messages":{}}',
      dropped: 0,
    });
  });

  const cases: Array<{ name: string; blocks: string[]; kept: string[] }> = [
    { name: "an unsigned block first", blocks: [UNSIGNED, SIGNED, TEXT], kept: [SIGNED, TEXT] },
    { name: "an unsigned block in the middle", blocks: [SIGNED, UNSIGNED, TEXT], kept: [SIGNED, TEXT] },
    { name: "an unsigned block last", blocks: [SIGNED, TEXT, UNSIGNED], kept: [SIGNED, TEXT] },
    {
      name: "a run of unsigned blocks",
      blocks: [UNSIGNED, UNSIGNED, REDACTED, UNSIGNED, UNSIGNED],
      kept: [REDACTED],
    },
    {
      name: "unsigned blocks between kept ones",
      blocks: [TEXT, UNSIGNED, SIGNED, UNSIGNED, REDACTED],
      kept: [TEXT, SIGNED, REDACTED],
    },
    {
      name: "a block without a signature",
      blocks: ['{"type":"thinking","thinking":"t"}', TEXT],
      kept: [TEXT],
    },
    {
      name: "a block whose signature is null",
      blocks: [TEXT, '{"signature":null,"thinking":"t","type":"thinking"}'],
      kept: [TEXT],
    },
  ];
  for (const c of cases) {
    it(`drops ${c.name} and keeps the other blocks byte for byte`, () => {
      const dropped = c.blocks.length - c.kept.length;
      expect(drop(conversation(c.blocks))).toEqual({ raw: conversation(c.kept), dropped });
    });
  }

  it("keeps signed thinking, redacted thinking and look-alikes", () => {
    const raw = conversation([
      SIGNED,
      REDACTED,
      '{"type":"redacted_thinking","data":"","signature":""}',
      '{"type":"text","text":"{\\"type\\":\\"thinking\\",\\"signature\\":\\"\\"}"}',
      '{"type":"thinking","thinking":"","signature":" "}',
    ]);
    expect(drop(raw)).toEqual({ raw, dropped: 0 });
  });

  it("keeps big integers, escapes, key order and whitespace everywhere else", () => {
    const before = [
      "{",
      '  "model" : "claude-x",',
      '  "max_tokens": 12345678901234567890,',
      '  "messages": [',
      '    { "role": "user", "content": "h\\u00e9llo \\"q\\" ] } 🌍" },',
      '    { "content": [',
      `        ${UNSIGNED} ,`,
      '        { "type": "tool_use", "id": "t", "name": "n", "input": { "n": 9007199254740993, "s": "\\\\" } }',
      '      ], "role": "assistant" }',
      "  ],",
      '  "z": 1.50',
      "}",
    ].join("\n");
    const after = before.replace(`${UNSIGNED} ,\n        `, "");
    expect(drop(before)).toEqual({ raw: after, dropped: 1 });
    expect(after).toContain('"input": { "n": 9007199254740993, "s": "\\\\" }');
  });

  it("drops a message that held nothing but unsigned thinking", () => {
    const raw =
      '{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":[' +
      `${UNSIGNED},${UNSIGNED}` +
      ']},{"role":"user","content":"b"}],"model":"m"}';
    expect(drop(raw)).toEqual({
      raw: '{"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}],"model":"m"}',
      dropped: 2,
    });
  });

  it("drops emptied messages at either end of the conversation", () => {
    const empty = `{"role":"assistant","content":[${UNSIGNED}]}`;
    const user = '{"role":"user","content":"u"}';
    expect(drop(`{"messages":[${empty},${user},${empty}]}`).raw).toBe(`{"messages":[${user}]}`);
    expect(drop(`{"messages":[${empty}]}`)).toEqual({ raw: '{"messages":[]}', dropped: 1 });
  });

  it("drops from every message that has unsigned blocks", () => {
    const raw = `{"messages":[{"role":"assistant","content":[${UNSIGNED},${TEXT}]},{"role":"user","content":[${TEXT}]},{"role":"assistant","content":[${TEXT},${UNSIGNED}]}]}`;
    expect(drop(raw)).toEqual({
      raw: `{"messages":[{"role":"assistant","content":[${TEXT}]},{"role":"user","content":[${TEXT}]},{"role":"assistant","content":[${TEXT}]}]}`,
      dropped: 2,
    });
  });

  it("finds keys written with escapes, as JSON.parse decodes them", () => {
    const raw = `{"mess\\u0061ges":[{"role":"assistant","c\\u006fntent":[${TEXT},${UNSIGNED}]}]}`;
    expect(drop(raw)).toEqual({
      raw: `{"mess\\u0061ges":[{"role":"assistant","c\\u006fntent":[${TEXT}]}]}`,
      dropped: 1,
    });
  });

  it("cuts from the content JSON.parse kept when a message repeats the key", () => {
    const raw = `{"messages":[{"role":"assistant","content":[${TEXT}],"content":[${UNSIGNED},${SIGNED}]}]}`;
    expect(drop(raw)).toEqual({
      raw: `{"messages":[{"role":"assistant","content":[${TEXT}],"content":[${SIGNED}]}]}`,
      dropped: 1,
    });
  });

  it("leaves the text alone when it does not match the parsed body", () => {
    const body = JSON.parse(conversation([UNSIGNED, TEXT])) as Record<string, unknown>;
    const other = conversation([TEXT]);
    expect(dropUnsignedThinking(other, body)).toEqual({ raw: other, dropped: 0 });
  });

  it("scans nesting far deeper than any stack", () => {
    const depth = 200_000;
    const input = `${"[".repeat(depth)}1${"]".repeat(depth)}`;
    const raw = `{"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":{"a":${input}}},${UNSIGNED}]}]}`;
    const result = drop(raw);
    expect(result.dropped).toBe(1);
    expect(result.raw).toBe(raw.replace(`,${UNSIGNED}`, ""));
  });

  it("reads the plan from bytes whose structure is sound, and leaves the rest to a parse", () => {
    // A bad escape inside a string is the upstream's to judge, as in any passthrough body.
    const badText = conversation([UNSIGNED, '{"type":"text","text":"\\q"}']);
    expect(planUnsignedThinking(Buffer.from(badText))).toEqual(new Map([[1, { drop: [0], blockCount: 2 }]]));
    // Broken structure: the bytes cannot tell, and the caller's parse reports the 400.
    for (const broken of [
      conversation([UNSIGNED.replace('"type":', '"type" ')]),
      conversation([UNSIGNED]).replace('"content":[', '"content":[,'),
      '{"messages":[{"role":"user","content":"x"} {"role":"user"}]}',
    ]) {
      expect(planUnsignedThinking(Buffer.from(broken))).toBeUndefined();
    }
    expect(planUnsignedThinking(Buffer.from('{"model":"m","messages":"thinking"}'))).toBeNull();
  });

  it("matches dropping the blocks from the parsed body, for any conversation and layout", () => {
    const block = fc.oneof(
      fc.constant({ type: "thinking", thinking: "t", signature: "" }),
      fc.constant({ type: "thinking", thinking: "t" }),
      fc.constant({ type: "thinking", thinking: "t", signature: null }),
      fc.record({
        type: fc.constant("thinking"),
        thinking: fc.string(),
        signature: fc.string({ minLength: 1 }),
      }),
      fc.record({ type: fc.constant("redacted_thinking"), data: fc.string() }),
      fc.record({ type: fc.constant("text"), text: fc.string() }),
      fc.record({ type: fc.constant("tool_use"), id: fc.string(), input: fc.jsonValue() }),
    );
    const message = fc.record({
      role: fc.constantFrom("user", "assistant"),
      content: fc.oneof(fc.string(), fc.array(block, { maxLength: 6 })),
    });
    const request = fc.record({
      model: fc.string(),
      messages: fc.array(message, { minLength: 1, maxLength: 8 }),
      extra: fc.jsonValue(),
    });
    fc.assert(
      fc.property(request, fc.constantFrom(undefined, 0, 1, 2, "\t"), (body, indent) => {
        const raw = JSON.stringify(body, null, indent);
        const expected = withoutUnsigned(body);
        const result = drop(raw);
        expect(JSON.parse(result.raw)).toEqual(JSON.parse(JSON.stringify(expected.body)));
        expect(result.dropped).toBe(expected.dropped);
        // Whole-element cuts of JSON.stringify's own layout leave exactly its layout of the rest.
        if (expected.body.messages.length > 0)
          expect(result.raw).toBe(JSON.stringify(expected.body, null, indent));
        if (expected.dropped === 0) expect(result.raw).toBe(raw);
      }),
      { numRuns: 300 },
    );
  });
});

/** The reference: the drop done on the parsed body. */
function withoutUnsigned(body: { messages: Array<{ content: unknown }> } & Record<string, unknown>): {
  body: { messages: Array<{ content: unknown }> } & Record<string, unknown>;
  dropped: number;
} {
  let dropped = 0;
  const unsigned = (b: unknown): boolean => {
    const block = b as { type?: unknown; signature?: unknown };
    return block.type === "thinking" && (block.signature ?? "") === "";
  };
  const messages = body.messages.flatMap((m) => {
    if (!Array.isArray(m.content)) return [m];
    const content = m.content.filter((b) => !unsigned(b));
    dropped += m.content.length - content.length;
    if (content.length === 0 && m.content.length > 0) return [];
    return [{ ...m, content }];
  });
  return { body: { ...body, messages }, dropped };
}
