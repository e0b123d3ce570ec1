// What an SSE decoder keeps while it waits for the next read: thousands of streams sit in that
// wait at once, so a decoder that held its last chunk would cost each open stream a read buffer.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { decodeSse } from "../../../src/sse/decode.js";

setFlagsFromString("--expose-gc");
/** A full collection (the flag above makes `gc` visible in contexts created after it). */
const collect = runInNewContext("gc") as () => void;

/** A source whose second read stays pending until `release` is called; it keeps nothing it gave out. */
function stallingSource(first: Buffer): { body: AsyncIterable<Buffer>; release(): void } {
  const queue = [first];
  let release = () => {};
  const body: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => ({
      next: () => {
        const value = queue.pop();
        if (value) return Promise.resolve({ value, done: false });
        return new Promise<IteratorResult<Buffer>>((resolve) => {
          release = () => resolve({ value: undefined, done: true });
        });
      },
    }),
  };
  return { body, release: () => release() };
}

describe("decodeSse while waiting for the next read", () => {
  it("keeps no reference to the chunk it has already decoded", async () => {
    let chunk: Buffer | undefined = Buffer.from(`data: ${"x".repeat(64 * 1024)}\n\n`);
    const seen = new WeakRef(chunk);
    const source = stallingSource(chunk);
    chunk = undefined;
    const events = decodeSse(source.body);
    const first = await events.next();
    expect(first.value?.data.length).toBe(64 * 1024);
    // The decoder now waits on the stalled second read.
    const second = events.next();
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    expect(seen.deref()).toBeUndefined();
    source.release();
    expect((await second).done).toBe(true);
  });

  it("releases its source when the reader stops early", async () => {
    let returned = false;
    const source: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ value: "data: 1\n\ndata: 2\n\n", done: false }),
        return: async () => {
          returned = true;
          return { value: undefined, done: true };
        },
      }),
    };
    for await (const event of decodeSse(source)) {
      expect(event.data).toBe("1");
      break;
    }
    expect(returned).toBe(true);
  });
});
