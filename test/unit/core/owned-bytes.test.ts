// ownedBytes: data that outlives its moment gets memory exactly its own, never a slab slice.
import { describe, expect, it } from "vitest";
import { ownedBytes } from "../../../src/core/owned-bytes.js";

const isOwn = (bytes: Buffer) => bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length;

describe("ownedBytes", () => {
  it("encodes a string into memory of its own, in the encoding asked for", () => {
    const utf8 = ownedBytes('{"a":"é✓"}');
    expect(isOwn(utf8)).toBe(true);
    expect(utf8.toString("utf8")).toBe('{"a":"é✓"}');
    const latin1 = ownedBytes("data: \u00e9\n\n", "latin1");
    expect(isOwn(latin1)).toBe(true);
    expect([...latin1]).toEqual([...Buffer.from("data: \u00e9\n\n", "latin1")]);
  });

  it("copies a slice of a shared slab out of it", () => {
    const slice = Buffer.from("a small body"); // Buffer.from slices Node's pool
    expect(isOwn(slice)).toBe(false);
    const own = ownedBytes(slice);
    expect(isOwn(own)).toBe(true);
    expect(own.equals(slice)).toBe(true);
    slice.fill(0);
    expect(own.toString()).toBe("a small body");
  });

  it("returns a Buffer that already owns its memory as it is, and handles the empty string", () => {
    const own = Buffer.allocUnsafeSlow(4).fill(1);
    expect(ownedBytes(own)).toBe(own);
    expect(ownedBytes("").length).toBe(0);
  });

  it("leaves a view into a larger buffer of its own (a pooled body) uncopied", () => {
    const pooled = Buffer.allocUnsafeSlow(2 * 1024 * 1024).subarray(0, 1024 * 1024 + 17);
    expect(ownedBytes(pooled)).toBe(pooled);
  });
});
