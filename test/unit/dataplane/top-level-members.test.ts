import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { scanTopLevelMembers as scanBytes } from "../../../src/dataplane/top-level-members.js";

/** The scan of a body's bytes. */
function scanTopLevelMembers(text: string | Buffer) {
  return scanBytes(typeof text === "string" ? Buffer.from(text) : text);
}

/** The members as [key, raw value text], for readable expectations. */
function members(text: string): Array<[string, string]> {
  const bytes = Buffer.from(text);
  return [...scanBytes(bytes)].map(([key, span]) => [
    key,
    bytes.toString("utf8", span.valueStart, span.valueEnd),
  ]);
}

/** The error `scanTopLevelMembers` throws for `text`. */
function refusal(text: string): InvalidRequestError {
  try {
    scanTopLevelMembers(text);
  } catch (error) {
    return error as InvalidRequestError;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe("scanTopLevelMembers", () => {
  it("finds every top-level member with its raw value", () => {
    const text =
      ' {\n "model" : "m", "n": -1.5e3, "ok":true, "none":null, "o":{"a":[1,{"b":"}"}]}, "s":"]"\n} ';
    expect(members(text)).toEqual([
      ["model", '"m"'],
      ["n", "-1.5e3"],
      ["ok", "true"],
      ["none", "null"],
      ["o", '{"a":[1,{"b":"}"}]}'],
      ["s", '"]"'],
    ]);
  });

  const keys: Array<{ name: string; written: string; decoded: string }> = [
    { name: "a \\u escape", written: '"mod\\u0065l"', decoded: "model" },
    { name: "upper-case hex digits", written: '"\\u006D\\u006F\\u0064\\u0065\\u006C"', decoded: "model" },
    { name: "a surrogate pair", written: '"\\ud83c\\udf0d"', decoded: "🌍" },
    { name: "an escaped quote", written: '"a\\"b"', decoded: 'a"b' },
    { name: "an escaped backslash before the closing quote", written: '"a\\\\"', decoded: "a\\" },
    { name: "an escaped solidus", written: '"a\\/b"', decoded: "a/b" },
    { name: "control escapes", written: '"\\b\\f\\n\\r\\t"', decoded: "\b\f\n\r\t" },
  ];
  for (const k of keys) {
    it(`decodes a key written with ${k.name}`, () => {
      const text = `{${k.written}:1,"after":2}`;
      expect(members(text)).toEqual([
        [k.decoded, "1"],
        ["after", "2"],
      ]);
      expect(scanTopLevelMembers(text).get(k.decoded)!.keyEscaped).toBe(true);
    });
  }

  it("skips strings whose contents look like keys, braces or escaped quotes", () => {
    const text = '{"a":"\\"model\\": \\"x\\", }{","b":["\\\\",{"model":"nested"}],"model":"top"}';
    expect(members(text)).toEqual([
      ["a", '"\\"model\\": \\"x\\", }{"'],
      ["b", '["\\\\",{"model":"nested"}]'],
      ["model", '"top"'],
    ]);
  });

  const duplicates: Array<{ name: string; text: string; key: string }> = [
    { name: "the same key twice", text: '{"model":"a","model":"b"}', key: "model" },
    { name: "a plain and an escaped spelling", text: '{"model":"a","mod\\u0065l":"b"}', key: "model" },
    { name: "two escaped spellings", text: '{"\\u006dodel":"a","mo\\u0064el":"b"}', key: "model" },
    { name: "a key other than model", text: '{"model":"a","stream":true,"stream":false}', key: "stream" },
    { name: "a literal and an escaped astral character", text: '{"🌍":1,"\\ud83c\\udf0d":2}', key: "🌍" },
  ];
  for (const d of duplicates) {
    it(`refuses ${d.name}, naming the key`, () => {
      const error = refusal(d.text);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.status).toBe(400);
      expect(error.param).toBe(d.key);
      expect(error.message).toBe(`the request body has the key ${JSON.stringify(d.key)} twice; send it once`);
    });
  }

  it("leaves duplicate keys inside nested values alone", () => {
    const text = '{"metadata":{"user_id":"a","user_id":"b"},"messages":[{"role":"user","role":"x"}]}';
    expect(members(text).map(([key]) => key)).toEqual(["metadata", "messages"]);
  });

  it("agrees with JSON.parse on keys and values of a body's bytes", () => {
    const text = JSON.stringify({
      "mo\u0000del": "nul",
      "\u2028": ["line separator"],
      'q"uote\\': { deep: [[[{ x: '"}]' }]]] },
      big: 1,
      empty: "",
      emptyObject: {},
      emptyArray: [],
      text: 'héllo 🌍 \\ " / \n',
    });
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const bytes = Buffer.from(text);
    const scanned = scanBytes(bytes);
    expect([...scanned.keys()]).toEqual(Object.keys(parsed));
    for (const [key, span] of scanned) {
      expect(JSON.parse(bytes.toString("utf8", span.valueStart, span.valueEnd))).toEqual(parsed[key]);
    }
  });

  const malformed = ["", "[]", '"model"', "{", '{"model"', '{"model":', '{"model":"x', '{"a":[1,2', "{,}"];
  for (const text of malformed) {
    it(`ends early without throwing on ${JSON.stringify(text)}`, () => {
      expect(members(text)).toEqual([]);
    });
  }
});
