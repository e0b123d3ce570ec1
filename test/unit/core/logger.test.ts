// The request line writer must write what pino itself would, and the line batch must hand
// lines on in order, a batch at a time, losing none at a flush.
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { LineBatch, requestLineWriter } from "../../../src/core/logger.js";

/** A pino logger whose lines land in `written`. */
function capturing(level: string) {
  const written: string[] = [];
  const logger = pino(
    { level, base: { service: "parley" } },
    { write: (line: string) => written.push(line) },
  );
  return { logger, written };
}

const withoutTime = (line: string) => line.replace(/"time":\d+/, '"time":0');

describe("requestLineWriter", () => {
  it("writes the line logger.info would write, byte for byte but the time", () => {
    const { logger, written } = capturing("info");
    const fields = {
      request_id: "r-1",
      path: "/v1/messages",
      model: 'claude "quoted" \u00e9 \n',
      stream: false,
      status: 200,
      duration_ms: 3,
      input_tokens: undefined,
    };
    logger.info(fields, "request completed");
    requestLineWriter(logger)(fields, "request completed");
    expect(written).toHaveLength(2);
    expect(withoutTime(written[1]!)).toBe(withoutTime(written[0]!));
    expect(JSON.parse(written[1]!)).toMatchObject({ level: 30, service: "parley", model: fields.model });
  });

  it("escapes a lone surrogate from a client's model name, so the line stays valid UTF-8", () => {
    const { logger, written } = capturing("info");
    requestLineWriter(logger)({ model: "bad \ud800" }, "request completed");
    expect(written[0]).toContain('"model":"bad \\ud800"');
    expect(JSON.parse(written[0]!).model).toBe("bad \ud800");
  });

  it("writes nothing when the logger's level is above info", () => {
    const { logger, written } = capturing("warn");
    requestLineWriter(logger)({ request_id: "r-1" }, "request completed");
    expect(written).toEqual([]);
  });
});

describe("LineBatch", () => {
  function batchInto(batchChars: number) {
    const writes: string[] = [];
    let syncFlushes = 0;
    const batch = new LineBatch(
      { write: (text: string) => writes.push(text), flushSync: () => syncFlushes++ },
      batchChars,
    );
    return { batch, writes, syncFlushes: () => syncFlushes };
  }

  it("holds lines until a batch is full, then hands them on as one write, in order", () => {
    const { batch, writes } = batchInto(10);
    batch.write("abcd\n");
    batch.write("efg\n");
    expect(writes).toEqual([]);
    batch.write("hij\n");
    expect(writes).toEqual(["abcd\nefg\nhij\n"]);
    batch.write("k\n");
    expect(writes).toHaveLength(1);
  });

  it("hands on what it holds at a flush, and writes nothing when it holds nothing", () => {
    const { batch, writes } = batchInto(1024);
    batch.flush();
    expect(writes).toEqual([]);
    batch.write("one\n");
    batch.write("two\n");
    batch.flush();
    batch.flush();
    expect(writes).toEqual(["one\ntwo\n"]);
  });

  it("writes what it holds before the destination's synchronous flush", () => {
    const { batch, writes, syncFlushes } = batchInto(1024);
    batch.write("last\n");
    batch.flushSync();
    expect(writes).toEqual(["last\n"]);
    expect(syncFlushes()).toBe(1);
  });
});
