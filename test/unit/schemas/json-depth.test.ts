// The nesting-depth walk that runs before anything recursive touches a translated body.
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, nestsDeeperThan, pathBeyondDepth } from "../../../src/schemas/json-depth.js";

/** `levels` arrays within each other: `[[[]]]` is 3. */
const arrays = (levels: number) => JSON.parse(`${"[".repeat(levels)}${"]".repeat(levels)}`);

describe("nestsDeeperThan", () => {
  const cases: Array<[string, unknown, number, boolean]> = [
    ["a scalar", "text", 1, false],
    ["an empty object at level 1", {}, 1, false],
    ["an object in an object past a limit of 1", { a: {} }, 1, true],
    ["arrays exactly at the limit", arrays(MAX_JSON_DEPTH), MAX_JSON_DEPTH, false],
    ["arrays one past the limit", arrays(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH, true],
    ["a wide but shallow body", { messages: Array.from({ length: 10_000 }, (_, i) => ({ i })) }, 3, false],
    ["a deep branch after many shallow ones", [...Array.from({ length: 100 }, () => [1]), [[[[]]]]], 4, true],
    ["strings that look like nesting", { a: "[[[[[[[[[[" }, 1, false],
  ];
  for (const [name, value, limit, expected] of cases) {
    it(`${name}: ${expected ? "too deep" : "fine"}`, () => {
      expect(nestsDeeperThan(value, limit)).toBe(expected);
    });
  }

  it("walks a million levels without overflowing the stack", () => {
    expect(nestsDeeperThan(arrays(1_000_000), MAX_JSON_DEPTH)).toBe(true);
  });
});

describe("pathBeyondDepth", () => {
  it("names the keys and indices down to the first value past the limit", () => {
    const body = {
      ok: [{ a: 1 }],
      tools: [{ name: "x" }, { input_schema: { properties: { p: { q: {} } } } }],
    };
    expect(pathBeyondDepth(body, 5)).toEqual(["tools", 1, "input_schema", "properties", "p"]);
  });

  it("finds nothing in a body within the limit", () => {
    expect(pathBeyondDepth({ a: [{ b: [] }] }, 4)).toBeUndefined();
  });
});
