// The pool that large request bodies are read into: memory given back is lent again, memory
// lent twice at once never is, and memory that left for I/O (`forget`) never comes back.
import { describe, expect, it } from "vitest";
import { BodyBuffers, POOLED_KEEP_BYTES, POOLED_MIN_BYTES } from "../../../src/core/body-buffers.js";

const MiB = 1024 * 1024;

describe("BodyBuffers", () => {
  it("lends nothing for bodies too small to be worth keeping memory for, or too large to keep", () => {
    const pool = new BodyBuffers();
    expect(pool.take(POOLED_MIN_BYTES - 1)).toBeUndefined();
    expect(pool.take(POOLED_KEEP_BYTES + 1)).toBeUndefined();
    expect(pool.take(POOLED_MIN_BYTES)?.length).toBe(POOLED_MIN_BYTES);
  });

  it("lends a buffer of exactly the size asked, and lends its memory again once given back", () => {
    const pool = new BodyBuffers();
    const first = pool.take(3 * MiB + 17)!;
    expect(first.length).toBe(3 * MiB + 17);
    pool.give(first);
    expect(pool.spareMemoryBytes()).toBe(4 * MiB);
    const second = pool.take(3 * MiB)!;
    expect(second.length).toBe(3 * MiB);
    expect(second.buffer).toBe(first.buffer);
    expect(pool.spareMemoryBytes()).toBe(0);
  });

  it("never lends the same memory to two bodies at once", () => {
    const pool = new BodyBuffers();
    const a = pool.take(2 * MiB)!;
    const b = pool.take(2 * MiB)!;
    expect(b.buffer).not.toBe(a.buffer);
    pool.give(a);
    pool.give(a);
    expect(pool.spareMemoryBytes()).toBe(2 * MiB);
    const c = pool.take(2 * MiB)!;
    const d = pool.take(2 * MiB)!;
    expect(c.buffer).toBe(a.buffer);
    expect(d.buffer).not.toBe(a.buffer);
    expect(d.buffer).not.toBe(b.buffer);
  });

  it("never takes back memory that was forgotten (handed to I/O), even through a part of it", () => {
    const pool = new BodyBuffers();
    const body = pool.take(2 * MiB)!;
    expect(pool.lends(body)).toBe(true);
    pool.forget(body.subarray(10, 20));
    expect(pool.lends(body)).toBe(false);
    pool.give(body);
    expect(pool.spareMemoryBytes()).toBe(0);
    expect(pool.take(2 * MiB)!.buffer).not.toBe(body.buffer);
  });

  it("ignores buffers it did not lend", () => {
    const pool = new BodyBuffers();
    pool.give(Buffer.alloc(2 * MiB));
    expect(pool.spareMemoryBytes()).toBe(0);
  });

  it("prefers the smallest spare buffer that fits", () => {
    const pool = new BodyBuffers();
    const big = pool.take(6 * MiB)!;
    const small = pool.take(2 * MiB)!;
    pool.give(big);
    pool.give(small);
    expect(pool.take(MiB + 1)!.buffer).toBe(small.buffer);
    expect(pool.take(MiB + 1)!.buffer).toBe(big.buffer);
  });

  it("keeps at most its budget of spare memory, letting the oldest go first", () => {
    const pool = new BodyBuffers(8 * MiB);
    const lent = [pool.take(3 * MiB)!, pool.take(3 * MiB)!, pool.take(3 * MiB)!];
    for (const body of lent) pool.give(body);
    expect(pool.spareMemoryBytes()).toBe(6 * MiB);
    const again = [pool.take(3 * MiB)!, pool.take(3 * MiB)!, pool.take(3 * MiB)!];
    const reused = again.map((body) => lent.findIndex((old) => old.buffer === body.buffer));
    expect(reused.filter((i) => i >= 0).sort()).toEqual([1, 2]);
  });
});
