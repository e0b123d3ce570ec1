import { readFileSync } from "node:fs";
import { join } from "node:path";
import { countTokens, encode } from "gpt-tokenizer";
import { describe, expect, it } from "vitest";
import { MAX_PIECE_LENGTH, tokenPieces } from "../../../src/dataplane/token-pieces.js";

// With the u flag a surrogate range matches only halves that lost their pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
const count = (text: string) => countTokens(text, PLAIN_TEXT);
const countInPieces = (text: string, maxLength?: number) =>
  [...tokenPieces(text, { maxLength })].reduce((sum, piece) => sum + count(piece), 0);

const prose =
  "It's the proxy's job to answer quickly. We'll count what you'd send, and they've said they're fine " +
  "with an estimate — «même en français», auf Deutsch, 日本語の文章も。数字 1234567 and 3.14159.\n\n";
const code = `export async function countTokens(ex: Exchange, route: Route): Promise<void> {
    const target = route.targets[0]!;
\tif (target.provider.kind === "openai") return sendJson(ex.req, ex.res, 200, { input_tokens: 42 });
    // camelCase, snake_case, SCREAMING_CASE, kebab-case and HTTPServerError all split differently
}\n`;
const json = JSON.stringify({
  tools: [{ name: "read_file", input_schema: { type: "object", properties: { path: { type: "string" } } } }],
  values: [1, 22, 333, 4444, -5.5e10, true, null],
});
const longUrl =
  "https://example.com/api/v1/search?query=token%20counting%20for%20long%20prompts&session=" +
  "a8f3c2d19e7b4f60a5c3e2d1b0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1" +
  "&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcallback%3Fstate%3Dxyz&utm_source=newsletter" +
  "&utm_medium=email&utm_campaign=spring_launch_2025&filters[]=lang:en&filters[]=type:article#section-7";
const captured = readFileSync(
  join(import.meta.dirname, "../../fixtures/anthropic/claude-code-request.json"),
  "utf8",
);

/** mulberry32: the same "random" text on every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe("tokenPieces", () => {
  const shapes: Array<{ name: string; text: string }> = [
    { name: "empty text", text: "" },
    { name: "text shorter than a piece", text: "hello world" },
    { name: "one repeated character", text: "a".repeat(10_000) },
    { name: "a run of spaces", text: " ".repeat(5_000) },
    { name: "emoji, whose surrogate pairs must stay whole", text: "😀".repeat(3_001) },
    { name: "CJK without spaces", text: "日本語の文章".repeat(2_000) },
    { name: "mixed text", text: (prose + code + json + longUrl).repeat(20) },
  ];
  for (const { name, text } of shapes) {
    it(`cuts ${name} into short pieces that add up to it`, () => {
      const pieces = [...tokenPieces(text)];
      expect(pieces.join("")).toBe(text);
      for (const piece of pieces) {
        expect(piece.length).toBeGreaterThan(0);
        expect(piece.length).toBeLessThanOrEqual(MAX_PIECE_LENGTH);
        expect(piece).not.toMatch(LONE_SURROGATE);
      }
    });
  }

  it("keeps the count of realistic text exactly", () => {
    const texts = [
      prose.repeat(40),
      code.repeat(40),
      json.repeat(40),
      longUrl,
      captured,
      prose + code + json + longUrl,
    ];
    for (const text of texts) expect(countInPieces(text)).toBe(count(text));
  });

  it("keeps the count of a run it must cut mid-word within 1%", () => {
    // Short enough for the tokenizer to count whole in a test's time.
    for (const text of [
      "a".repeat(8_192),
      "日本語の文章".repeat(700),
      "=".repeat(8_192),
      "😀".repeat(2_000),
    ]) {
      const whole = count(text);
      expect(Math.abs(countInPieces(text) - whole)).toBeLessThanOrEqual(whole * 0.01);
    }
  });

  it("never changes the tokens where it cuts at a word boundary", () => {
    // Short pieces over text dense in every kind of boundary the cuts rely on.
    const atoms = [
      ...["a", "Z", "é", "e\u0301", "ǅ", "ʰ", "aB", "ABC", "中", "。", "😀"],
      ...["'", "'s", "'ll", "'ve", "'x", "’"],
      ...[" ", "  ", "\t", "\n", "\r\n", "\u00a0"],
      ...["1", "23", "4567", ".", ",", "/", "(", '"', "<|endoftext|>"],
    ];
    const random = seededRandom(7);
    const maxLength = 16;
    let checked = 0;
    for (let i = 0; i < 2_000; i++) {
      let text = "";
      for (let n = 10 + Math.floor(random() * 60); n > 0; n--)
        text += atoms[Math.floor(random() * atoms.length)];
      let at = 0;
      for (const piece of tokenPieces(text, { maxLength })) {
        at += piece.length;
        // A piece as long as the cap may have been cut mid-word; only boundary cuts promise exactness.
        if (piece.length >= maxLength - 1 || at === text.length) continue;
        // Tokens, not just their number: a wrong cut can change tokens and keep the count.
        const halves = [text.slice(0, at), text.slice(at)];
        const apart = halves.flatMap((half) => encode(half, PLAIN_TEXT));
        expect(apart, JSON.stringify(halves)).toEqual(encode(text, PLAIN_TEXT));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1_000);
  });
});
