import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agentConversation } from "../../../bench/conversations.js";
import { heldPathsFor } from "../../../src/dataplane/held-paths.js";
import { byteView, checkedStringEnd, findHeldSpans } from "../../../src/dataplane/held-scan.js";
import {
  copiedCheckedStringEnd,
  copiedContainerEnd,
  copiedStringEnd,
  SCAN_COPY_MIN_BYTES,
  scanMemoryBytes,
  withoutScanCopy,
  withScanCopy,
} from "../../../src/dataplane/json-scan.js";
import { containerEndByBytes, stringEnd, valueEnd } from "../../../src/dataplane/json-spans.js";
import { validateModelRequest } from "../../../src/dataplane/request-validation.js";
import { scanTopLevelMembers } from "../../../src/dataplane/top-level-members.js";

/**
 * Tails that steer the scans: runs of backslashes (odd and even, before quotes and other
 * bytes), escapes good and bad, brackets, control bytes, and plain runs long enough for
 * strings to cross the module's blocks (16 and 64 bytes).
 */
const piece = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.constantFrom('"', "n", "u", "x", "\\"))
      .map(([n, c]) => "\\".repeat(n) + c),
  },
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9 ]{1,24}$/) },
  { weight: 1, arbitrary: fc.constantFrom('"', "{", "}", "[", "]", ",", ":") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "\\u00e9",
      "\\u12",
      "\\uZZZZ",
      "\\b",
      "\\f",
      "\\/",
      "\n",
      "\u0001",
      "\u007f",
      "é",
    ),
  },
);
const tails = fc
  .array(piece, { minLength: 1, maxLength: 40 })
  .map((pieces) => [...Buffer.from(pieces.join(""))]);

/** A body large enough to be copied, whose last bytes are the tail under test. */
function bodyEndingWith(tail: number[]): { body: Buffer; tailStart: number } {
  const lead = Buffer.alloc(SCAN_COPY_MIN_BYTES, 0x20);
  return { body: Buffer.concat([lead, Buffer.from(tail)]), tailStart: lead.length };
}

/**
 * Whether a backslash stands outside every string from `start` up to the end of the module's
 * block after `end` (the container's end, or -1): the only text the module may leave undecided.
 */
/** The bytes container_end takes a step. */
const CONTAINER_BLOCK = 64;

function backslashOutsideStrings(body: Buffer, start: number, end: number): boolean {
  const limit = end < 0 ? body.length : Math.min(body.length, end + CONTAINER_BLOCK);
  let inString = false;
  for (let i = start; i < limit; i++) {
    const b = body[i];
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5c) return true;
  }
  return false;
}

describe("the WebAssembly copy of a large body", () => {
  it("finds the same string ends as the byte loop, from every quote", () => {
    fc.assert(
      fc.property(tails, (tail) => {
        const { body, tailStart } = bodyEndingWith(tail);
        withScanCopy(body, () => {
          for (let i = tailStart; i < body.length; i++) {
            if (body[i] !== 0x22) continue;
            const copied = copiedStringEnd(body, i + 1);
            const expected = withoutScanCopy(() => stringEnd(body, i));
            expect(copied === -1 ? -1 : copied! + 1).toBe(expected);
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it("finds the same checked string ends as the word-at-a-time loop, from every offset", () => {
    fc.assert(
      fc.property(tails, (tail) => {
        const { body, tailStart } = bodyEndingWith(tail);
        const view = byteView(body);
        withScanCopy(body, () => {
          for (let i = tailStart; i <= body.length; i++) {
            expect(copiedCheckedStringEnd(body, i)).toBe(checkedStringEnd(view, i));
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it("finds the same container ends as the byte loop, or leaves the text to it", () => {
    fc.assert(
      fc.property(tails, (tail) => {
        const { body, tailStart } = bodyEndingWith(tail);
        withScanCopy(body, () => {
          for (let i = tailStart; i < body.length; i++) {
            if (body[i] !== 0x7b && body[i] !== 0x5b) continue;
            const copied = copiedContainerEnd(body, i);
            const expected = withoutScanCopy(() => containerEndByBytes(body, i));
            if (copied === undefined) {
              // Only a backslash outside every string, which is not JSON, leaves it undecided.
              expect(backslashOutsideStrings(body, i, expected)).toBe(true);
            } else {
              expect(copied).toBe(expected);
            }
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it("agrees where a run of backslashes meets a block boundary, at every alignment", () => {
    for (let pad = 0; pad < CONTAINER_BLOCK + 8; pad++) {
      for (let run = 1; run <= 5; run++) {
        for (const after of ['"', "n", "u00e9", "u0", "\\x", "}", "\u0001"]) {
          // The first string runs on for blocks, so its run meets a boundary inside the
          // module's string loop; the others meet one in the block their container starts in.
          const long = `"${"e".repeat(pad + 2 * CONTAINER_BLOCK)}${"\\".repeat(run)}${after}"`;
          const text = `[${long}, {"${"a".repeat(pad)}${"\\".repeat(run)}${after}":"b"}, "${"c".repeat(pad)}${"\\".repeat(run)}${after}"]`;
          const { body, tailStart: start } = bodyEndingWith([...Buffer.from(text)]);
          const view = byteView(body);
          withScanCopy(body, () => {
            for (const at of [start, start + 1]) {
              const copied = copiedContainerEnd(body, at);
              const expected = withoutScanCopy(() => containerEndByBytes(body, at));
              if (copied !== undefined || !backslashOutsideStrings(body, at, expected))
                expect(copied).toBe(expected);
            }
            for (let i = start; i < body.length; i++) {
              if (body[i] === 0x22) {
                const copied = copiedStringEnd(body, i + 1);
                expect(copied === -1 ? -1 : copied! + 1).toBe(withoutScanCopy(() => stringEnd(body, i)));
              }
              expect(copiedCheckedStringEnd(body, i)).toBe(checkedStringEnd(view, i));
            }
          });
        }
      }
    }
  });

  it("takes exactly JSON's escapes, whatever byte follows a backslash, wherever it falls in a block", () => {
    for (let byte = 0; byte < 256; byte++) {
      for (const lead of [0, 14, 15, 31, 62, 63]) {
        const text = [...Buffer.from(`"${"a".repeat(lead)}\\`), byte, ...Buffer.from('bcd0 tail"')];
        const { body, tailStart } = bodyEndingWith(text);
        const expected = checkedStringEnd(byteView(body), tailStart + 1);
        expect(withScanCopy(body, () => copiedCheckedStringEnd(body, tailStart + 1))).toBe(expected);
      }
    }
  });

  it("agrees on whole JSON documents, escapes and all", () => {
    const big = fc.string({
      unit: "binary",
      minLength: SCAN_COPY_MIN_BYTES,
      maxLength: SCAN_COPY_MIN_BYTES + 64,
    });
    fc.assert(
      fc.property(fc.jsonValue(), big, (value, filler) => {
        const body = Buffer.from(JSON.stringify([filler, value, { k: [filler.slice(0, 40)] }]));
        const copied = withScanCopy(body, () => valueEnd(body, 0));
        expect(copied).toBe(body.length);
        expect(copied).toBe(withoutScanCopy(() => valueEnd(body, 0)));
        // The filler's contents are valid string contents; their end is the closing quote.
        const filled = withScanCopy(body, () => copiedCheckedStringEnd(body, 2));
        expect(filled).toBe(checkedStringEnd(byteView(body), 2));
      }),
      { numRuns: 60 },
    );
  });

  it("answers only for the body being scanned, and only while its scan runs", () => {
    const { body } = bodyEndingWith([...Buffer.from('"abc"')]);
    const quote = body.length - 5;
    expect(copiedStringEnd(body, quote + 1)).toBeUndefined();
    const other = Buffer.from(body);
    withScanCopy(body, () => {
      expect(copiedStringEnd(body, quote + 1)).toBe(body.length - 1);
      expect(copiedStringEnd(other, quote + 1)).toBeUndefined();
    });
    expect(copiedStringEnd(body, quote + 1)).toBeUndefined();
    // A small body is never copied.
    const small = Buffer.from('"abc"');
    withScanCopy(small, () => expect(copiedStringEnd(small, 1)).toBeUndefined());
  });

  it("validates a large agent conversation as the byte loops do", () => {
    for (const dialect of ["anthropic", "openai"] as const) {
      const body = Buffer.from(agentConversation({ dialect, model: "m", bytes: 512 * 1024 }));
      const fast = validateModelRequest(body, { requireMessages: true });
      const slow = withoutScanCopy(() => validateModelRequest(body, { requireMessages: true }));
      expect(fast.conversationLength).toBe(JSON.parse(body.toString()).messages.length);
      expect({ ...fast, body: undefined }).toEqual({ ...slow, body: undefined });
    }
  });

  it("judges a conversation with bytes changed anywhere as the byte loops do", () => {
    const base = Buffer.from(agentConversation({ dialect: "anthropic", model: "m", bytes: 96 * 1024 }));
    const paths = heldPathsFor("anthropic", "openai");
    if (paths === undefined) throw new Error("anthropic-to-openai holds no paths");
    const held = { paths, minBytes: 256, maxDepth: 64 };
    /** What validation says of a body: its findings, or the error it throws. */
    const verdict = (body: Buffer) => {
      try {
        const { body: _parsed, ...found } = validateModelRequest(body, { requireMessages: true });
        return found;
      } catch (error) {
        return (error as Error).message;
      }
    };
    // Each edit writes one of the steering pieces over the body somewhere: a run of
    // backslashes, a quote, a bracket, an escape good or bad.
    const edit = fc.record({ at: fc.nat({ max: base.length - 1 }), piece });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        const body = Buffer.from(base);
        for (const { at, piece: text } of edits) body.write(text, at);
        const fast = withScanCopy(body, () => ({ verdict: verdict(body), spans: findHeldSpans(body, held) }));
        const slow = withoutScanCopy(() => ({ verdict: verdict(body), spans: findHeldSpans(body, held) }));
        expect(fast).toEqual(slow);
      }),
      { numRuns: 150 },
    );
  });

  it("finds a large body's top-level members for the edits as the byte loops do", () => {
    const conversation = agentConversation({ dialect: "openai", model: "m", bytes: 256 * 1024 });
    const body = Buffer.from(`{"user":"u",${conversation.slice(1, -1)},"mod\\u0065l":"x"}`);
    expect(() => scanTopLevelMembers(body)).toThrow(/"model" twice/);
    const once = Buffer.from(`{"user":"u",${conversation.slice(1)}`);
    const members = scanTopLevelMembers(once);
    expect([...members.keys()]).toEqual(Object.keys(JSON.parse(once.toString())));
    expect(members).toEqual(withoutScanCopy(() => scanTopLevelMembers(once)));
  });

  it("holds the same strings of a large conversation as the byte loops do", () => {
    const body = Buffer.from(agentConversation({ dialect: "anthropic", model: "m", bytes: 512 * 1024 }));
    const paths = heldPathsFor("anthropic", "openai");
    if (paths === undefined) throw new Error("anthropic-to-openai holds no paths");
    const options = { paths, minBytes: 256, maxDepth: 64 };
    const fast = findHeldSpans(body, options);
    expect(fast?.length).toBeGreaterThan(10);
    expect(fast).toEqual(withoutScanCopy(() => findHeldSpans(body, options)));
  });

  it("keeps memory for a body up to 16 MiB between scans, and lets a larger body's go", () => {
    const stringBody = (bytes: number) => {
      const body = Buffer.alloc(bytes, 0x61);
      body[0] = 0x22;
      body[body.length - 1] = 0x22;
      return body;
    };
    const kept = stringBody(1024 * 1024);
    expect(withScanCopy(kept, () => copiedStringEnd(kept, 1))).toBe(kept.length - 1);
    expect(scanMemoryBytes()).toBeGreaterThanOrEqual(kept.length);
    const large = stringBody(20 * 1024 * 1024);
    expect(withScanCopy(large, () => copiedStringEnd(large, 1))).toBe(large.length - 1);
    expect(scanMemoryBytes()).toBe(0);
    // The next copy works in a fresh module.
    const { body: next } = bodyEndingWith([...Buffer.from('"x"')]);
    expect(withScanCopy(next, () => copiedStringEnd(next, next.length - 2))).toBe(next.length - 1);
  });
});
