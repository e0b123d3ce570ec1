// The byte scan that holds long strings: what it holds, what it leaves, that restore puts the
// raw bytes back verbatim, and that malformed or hostile bodies hold nothing and never throw.
import { describe, expect, it } from "vitest";
import { compileHeldPaths, type HeldPathList } from "../../../src/dataplane/held-paths.js";
import { HeldStringLeakError, holdStrings } from "../../../src/dataplane/held-strings.js";

const PATHS: HeldPathList = {
  a: [],
  "list.*.text": [],
  "deep.x.y.z": [],
  blank: ["notBlank"],
  trailing: ["noTrailingSpace"],
  billing: ["notBillingHeader"],
};
const paths = compileHeldPaths(PATHS);

function hold(text: string, minBytes = 1) {
  return holdStrings(Buffer.from(text, "utf8"), { paths, minBytes });
}

/** What an untouched translation sends: the parsed body serialized again, then restored. */
function roundTrip(text: string): Buffer {
  const held = hold(text);
  return held.restore(JSON.stringify(held.parse()));
}

describe("holdStrings", () => {
  it("holds values at allowed paths only, and restore gives the raw literal bytes back", () => {
    const raw = String.raw`{"a":"caf\u00e9 \"q\" \\ \/ \ud83d\ude00 ü","b":"not allowed","list":[{"text":"one"},{"text":"two","a":"x"}]}`;
    const held = hold(raw);
    expect(held.held).toBe(3);
    const parsed = held.parse() as { a: string; b: string; list: Array<{ text: string; a?: string }> };
    expect(parsed.b).toBe("not allowed");
    expect(parsed.list[1]?.a).toBe("x");
    expect(parsed.a).not.toContain("caf");
    // The raw escapes survive as written (`\u00e9`, `\/`), not as JSON.stringify would write them.
    const out = held.restore(JSON.stringify(parsed)).toString("utf8");
    expect(out).toContain(String.raw`"caf\u00e9 \"q\" \\ \/ \ud83d\ude00 ü"`);
    expect(JSON.parse(out)).toEqual(JSON.parse(raw));
  });

  it("restores a placeholder inside a longer string, as when a translator joins texts", () => {
    const raw = '{"list":[{"text":"first é"},{"text":"second \\"two\\""}]}';
    const held = hold(raw);
    const parsed = held.parse() as { list: Array<{ text: string }> };
    const joined = {
      system: parsed.list.map((b) => b.text).join("\n\n"),
      again: `Error: ${parsed.list[0]?.text}`,
    };
    expect(JSON.parse(held.restore(JSON.stringify(joined)).toString())).toEqual({
      system: 'first é\n\nsecond "two"',
      again: "Error: first é",
    });
  });

  it("holds values with every JSON escape, \\b and \\f among them", () => {
    for (const sequence of ["\\b", "\\f", "\\n", "\\r", "\\t", "\\/", "\\\\", '\\"', "\\u00e9"]) {
      const raw = `{"a":"before ${sequence} after"}`;
      const held = hold(raw);
      expect(held.held, sequence).toBe(1);
      expect(JSON.parse(held.restore(JSON.stringify(held.parse())).toString())).toEqual(JSON.parse(raw));
    }
    // Not a JSON escape: nothing is held, and the body is JSON.parse's to refuse.
    expect(hold('{"a":"bad \\x escape"}').held).toBe(0);
  });

  it("holds only values at least minBytes long, and never empty strings", () => {
    expect(hold('{"a":""}').held).toBe(0);
    expect(hold('{"a":"short"}', 1024).held).toBe(0);
    expect(hold(`{"a":"${"x".repeat(1024)}"}`, 1024).held).toBe(1);
    expect(hold('{"a":""}', 0).held).toBe(0);
  });

  it("follows paths through nesting and leaves keys, numbers and literals alone", () => {
    const raw =
      ' { "deep" : { "x" : { "y" : { "z" : "held" , "n" : -1.5e3 } , "t" : true } } , "a" : null } ';
    const held = hold(raw);
    expect(held.held).toBe(1);
    expect(JSON.parse(roundTrip(raw).toString())).toEqual(JSON.parse(raw));
  });

  it("does not follow escaped keys (JSON decodes them, the scan does not)", () => {
    expect(hold('{"\\u0061":"value"}').held).toBe(0);
  });

  it("follows keys by their whole bytes: a longer, shorter or differing key, or a key named `*`, is off every path", () => {
    expect(hold('{"aa":"value"}').held).toBe(0);
    expect(hold('{"":"value"}').held).toBe(0);
    expect(hold('{"list":[{"texts":"value","tex":"value","test":"value"}]}').held).toBe(0);
    // `*` stands for an array element in a path, never for an object's key.
    expect(hold('{"list":{"*":{"text":"value"}}}').held).toBe(0);
    expect(hold('{"list":[{"text":"value"}]}').held).toBe(1);
  });

  it("a value that is not a string at an allowed path is left alone", () => {
    const raw = '{"a":{"a":"x"},"list":[{"text":["y"]}]}';
    expect(hold(raw).held).toBe(0);
  });

  it("guards: blank text, trailing whitespace and the billing line are not held", () => {
    expect(hold('{"blank":"   \\n\\t  "}').held).toBe(0);
    expect(hold('{"blank":"\\u00a0nbsp first"}').held).toBe(0);
    expect(hold('{"blank":"     1\\tcode"}').held).toBe(1);
    expect(hold('{"trailing":"ends in newline\\n"}').held).toBe(0);
    expect(hold('{"trailing":"ends in space "}').held).toBe(0);
    expect(hold('{"trailing":"ends in \\u0041"}').held).toBe(0);
    expect(hold('{"trailing":"ends plainly."}').held).toBe(1);
    expect(hold('{"billing":"x-anthropic-billing-header: cc_version=1"}').held).toBe(0);
    expect(hold('{"billing":"\\u0078-anthropic-billing-header: cc_version=1"}').held).toBe(0);
    expect(hold('{"billing":"You are Claude Code"}').held).toBe(1);
  });

  it("a body nested 10,000 deep holds nothing and does not throw", () => {
    const raw = `${'{"a":['.repeat(10_000)}"x"${"]}".repeat(10_000)}`;
    const held = hold(raw);
    expect(held.held).toBe(0);
    expect(held.text).toBe(raw);
  });

  it("strings deep inside allowed nesting are held at their path only", () => {
    const raw = `{"list":[${'{"text":"t"},'.repeat(500)}{"text":"last"}],"x":[[[[[{"text":"no"}]]]]]}`;
    expect(hold(raw).held).toBe(501);
  });

  it("stays linear in a body of many short keys and no backslash at all", () => {
    const raw = `{"list":[${'{"text":"ab","other":"cd"},'.repeat(40_000)}{"text":"end"}],"a":"${"A".repeat(3_000_000)}"}`;
    const started = performance.now();
    expect(hold(raw).held).toBe(40_002);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  const malformed: Array<[string, string]> = [
    ["an unterminated string", '{"a":"never closed'],
    ["a truncated body", '{"a":"x","list":[{"text":"y"}'],
    ["a missing colon", '{"a" "x"}'],
    ["a trailing comma", '{"a":"x",}'],
    ["trailing garbage", '{"a":"x"} {"a":"y"}'],
    ["a raw control character in a held value", '{"a":"tab\there"}'],
    ["a raw newline in a held value", '{"a":"line\nbreak"}'],
    ["an invalid escape in a held value", '{"a":"bad \\x escape"}'],
    ["a short unicode escape in a held value", '{"a":"bad \\u12 escape"}'],
    ["an empty body", ""],
    ["only whitespace", "  \n "],
  ];
  for (const [what, raw] of malformed) {
    it(`${what}: holds nothing, and parse reports the body's own error`, () => {
      const held = hold(raw);
      expect(held.held).toBe(0);
      expect(held.text).toBe(raw);
      let expected: unknown;
      try {
        JSON.parse(raw);
      } catch (error) {
        expected = error;
      }
      expect(expected).toBeInstanceOf(SyntaxError);
      expect(() => held.parse()).toThrow((expected as Error).message);
    });
  }

  it("every truncation and one-byte change of a body: never throws, parses as the body would", () => {
    const body = Buffer.from(
      '{"a":"caf\\u00e9 \\"q\\" é","list":[{"text":"one\\n"},{"text":"\\ud83d\\ude00","n":[1,-2.5e3,true,null]}],"deep":{"x":{"y":{"z":"zz"}}},"blank":" x","trailing":"t.","billing":"b"}',
    );
    expect(() => JSON.parse(body.toString())).not.toThrow();
    expect(holdStrings(body, { paths, minBytes: 1 }).held).toBe(7);
    const variants: Buffer[] = [];
    for (let i = 0; i <= body.length; i++) variants.push(body.subarray(0, i));
    for (let i = 0; i < body.length; i++) {
      for (const b of [0x22, 0x5c, 0x0a, 0x7b, 0x5d, 0x2c, 0x3a, 0x20, 0x75, 0xff]) {
        const changed = Buffer.from(body);
        changed[i] = b;
        variants.push(changed);
      }
    }
    for (const raw of variants) {
      const held = holdStrings(raw, { paths, minBytes: 1 });
      let expected: unknown;
      let error: unknown;
      try {
        expected = JSON.parse(raw.toString("utf8"));
      } catch (e) {
        error = e;
      }
      if (error !== undefined) {
        expect(() => held.parse(), raw.toString()).toThrow((error as Error).message);
      } else {
        const out = held.restore(JSON.stringify(held.parse())).toString("utf8");
        expect(JSON.parse(out), raw.toString()).toEqual(expected);
      }
    }
  });

  it("a held value that is not valid UTF-8 is left for JSON.parse, which replaces it the usual way", () => {
    const raw = Buffer.concat([
      Buffer.from('{"a":"ok","list":[{"text":"bad '),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}]}'),
    ]);
    const held = holdStrings(raw, { paths, minBytes: 1 });
    expect(held.held).toBe(1);
    expect(held.restore(JSON.stringify(held.parse())).toString()).toBe(
      JSON.stringify(JSON.parse(raw.toString())),
    );
  });

  it("a client string that looks like a placeholder is sent as written", () => {
    const raw =
      '{"a":"held value","b":"\\u0000000000000000000000000000\\u0000","list":[{"text":"\\u00000\\u0000"}]}';
    const held = hold(raw);
    const out = held.restore(JSON.stringify(held.parse()));
    expect(JSON.parse(out.toString())).toEqual(JSON.parse(raw));
  });

  it("a placeholder escaped twice (a value JSON.stringify'd into a string) is refused, not sent", () => {
    const held = hold('{"a":"value"}');
    const parsed = held.parse() as { a: string };
    expect(() => held.restore(JSON.stringify({ arguments: JSON.stringify({ content: parsed.a }) }))).toThrow(
      HeldStringLeakError,
    );
  });

  it("a placeholder cut short is refused, not sent", () => {
    const held = hold('{"a":"value"}');
    const parsed = held.parse() as { a: string };
    expect(() => held.restore(JSON.stringify({ text: parsed.a.slice(0, 16) }))).toThrow(HeldStringLeakError);
  });

  it("countIn finds placeholders in client-bound text, and each body has its own", () => {
    const one = hold('{"a":"value"}');
    const two = hold('{"a":"value"}');
    const body = JSON.stringify({ echoed: (one.parse() as { a: string }).a });
    expect(one.countIn(body)).toBe(1);
    expect(two.countIn(body)).toBe(0);
    expect(two.countIn(JSON.stringify(two.parse()))).toBe(1);
  });

  it("a restored body equals the raw body for every allowed value, byte for byte", () => {
    const raw = '{"a":"caf\\u00E9","list":[{"text":"\\ud83d\\ude00 and 😀"}],"deep":{"x":{"y":{"z":"\\/"}}}}';
    expect(roundTrip(raw).toString("utf8")).toBe(raw);
  });
});
