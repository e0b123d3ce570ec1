// The commit gate over a real socket: what it writes at the commit point, and what it keeps
// alive while a stream waits for its upstream (thousands of streams wait at once).
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { CommitGate, type StreamFrame } from "../../../src/dataplane/commit-gate.js";

setFlagsFromString("--expose-gc");
/** A full collection (the flag above makes `gc` visible in contexts created after it). */
const collect = runInNewContext("gc") as () => void;

/** Frames handed out once each and kept nowhere; after the last, the next read stalls until `release`. */
function frameSource(frames: StreamFrame[]): { frames: AsyncIterable<StreamFrame>; release(): void } {
  const queue = frames.reverse();
  let release = () => {};
  const source: AsyncIterable<StreamFrame> = {
    [Symbol.asyncIterator]: () => ({
      next: () => {
        const value = queue.pop();
        if (value) return Promise.resolve({ value, done: false });
        return new Promise<IteratorResult<StreamFrame>>((resolve) => {
          release = () => resolve({ value: undefined, done: true });
        });
      },
    }),
  };
  return { frames: source, release: () => release() };
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Serves one streamed response through a gate; `writes` records each res.write the gate made. */
async function serve(
  source: AsyncIterable<StreamFrame>,
): Promise<{ url: string; writes: number[]; done: Promise<void> }> {
  const writes: number[] = [];
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  server = createServer((_req, res: ServerResponse) => {
    const write = res.write.bind(res) as (data: string | Buffer) => boolean;
    res.write = ((data: string | Buffer) => {
      writes.push(data.length);
      return write(data);
    }) as typeof res.write;
    const gate = new CommitGate({
      res,
      dialect: "openai",
      startedAt: Date.now(),
      commitDeadlineMs: 10_000,
      pingIntervalMs: 0,
      signal: new AbortController().signal,
      clock: { waitedMs: 0 },
      onCommit: () => {},
      onLateFailure: () => {},
    });
    void gate
      .open(source, {})
      .then(() => gate.pump())
      .finally(finished);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, writes, done };
}

/** Reads a response body until it has `bytes` bytes. */
async function readAtLeast(reader: ReadableStreamDefaultReader<Uint8Array>, bytes: number): Promise<string> {
  let text = "";
  while (text.length < bytes) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString("latin1");
  }
  return text;
}

describe("CommitGate", () => {
  it("sends the held preamble and the first content in one write", async () => {
    const preamble = 'data: {"choices":[{"delta":{"role":"assistant"}}]}\n\n';
    const content = 'data: {"choices":[{"delta":{"content":"hi"}}]}\n\n';
    const source = frameSource([
      { wire: Buffer.from(preamble), content: false },
      { wire: Buffer.from(content), content: true },
    ]);
    const { url, writes, done } = await serve(source.frames);
    const res = await fetch(url);
    const reader = res.body!.getReader();
    expect(await readAtLeast(reader, preamble.length + content.length)).toBe(preamble + content);
    expect(writes).toEqual([preamble.length + content.length]);
    source.release();
    await reader.cancel();
    await done;
  });

  it("keeps no reference to a frame it has written while it waits for the next", async () => {
    let big: Buffer | undefined = Buffer.alloc(256 * 1024, 0x61);
    const written = new WeakRef(big);
    const source = frameSource([
      { wire: Buffer.from("data: 1\n\n"), content: true },
      { wire: big, content: true },
    ]);
    big = undefined;
    const { url, done } = await serve(source.frames);
    const res = await fetch(url);
    const reader = res.body!.getReader();
    await readAtLeast(reader, 9 + 256 * 1024);
    // The gate now waits on the stalled third frame.
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    expect(written.deref()).toBeUndefined();
    source.release();
    await reader.cancel();
    await done;
  });
});
