// readBody over a real socket: a body that came in one read is returned as Node gave it (memory
// of its own, no copy into a shared slab); one that came in many reads is joined byte for byte.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { BodyBuffers } from "../../../src/core/body-buffers.js";
import { BodyDeadlines, readBody } from "../../../src/dataplane/http-io.js";

let server: Server | undefined;
const deadlines = new BodyDeadlines();
afterAll(() => deadlines.stop());
afterEach(async () => {
  await new Promise((r) => server?.close(r) ?? r(null));
  server = undefined;
});

/** Sends `parts` as one request's body, each in its own write; resolves with what readBody returned. */
async function received(parts: string[]): Promise<Buffer> {
  let got: Promise<Buffer> | undefined;
  server = createServer((req, res) => {
    got = readBody(
      req,
      { maxBodyBytes: 10 * 1024 * 1024, bodyTimeoutMs: 5_000 },
      deadlines,
      new BodyBuffers(),
    );
    got.then(
      () => res.end("ok"),
      () => res.end("no"),
    );
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    const req = request({ port, method: "POST", headers: { "transfer-encoding": "chunked" } }, (res) => {
      res.resume().on("end", resolve);
    });
    req.on("error", reject);
    const next = (i: number) => {
      if (i === parts.length) return req.end();
      req.write(parts[i]);
      setTimeout(() => next(i + 1), 20); // separate reads on the server's side
    };
    next(0);
  });
  if (!got) throw new Error("the server saw no request");
  return got;
}

describe("readBody", () => {
  it("returns a body that arrived in one read in memory of its own", async () => {
    const body = await received(['{"model":"m","messages":[{"role":"user","content":"é"}]}']);
    expect(body.toString()).toBe('{"model":"m","messages":[{"role":"user","content":"é"}]}');
    expect(body.byteOffset).toBe(0);
    expect(body.buffer.byteLength).toBe(body.length);
  });

  it("joins a body that arrived in several reads, byte for byte", async () => {
    const parts = ['{"model":"m",', '"messages":[{"role":"user",', '"content":"', "x".repeat(70_000), '"}]}'];
    const body = await received(parts);
    expect(body.toString()).toBe(parts.join(""));
  });
});

describe("BodyDeadlines", () => {
  it("refuses each read past its deadline once, at a sweep, and never one that ended", async () => {
    const watched = new BodyDeadlines();
    const sweeps = (n: number) => new Promise((r) => setTimeout(r, n * 250 + 150));
    try {
      const refused: string[] = [];
      const past = Date.now() - 1;
      const reads = ["first", "middle", "last"].map((name) => watched.add(past, () => refused.push(name)));
      watched.add(Date.now() + 60_000, () => refused.push("later"));
      watched.delete(reads[1]!);
      watched.delete(reads[1]!); // a read that ends twice is still gone once
      await sweeps(2);
      expect(refused.sort()).toEqual(["first", "last"]);
      // Ending a refused read leaves the list whole: a read added after it is still refused.
      watched.delete(reads[0]!);
      watched.add(Date.now() - 1, () => refused.push("next"));
      await sweeps(1);
      expect(refused.sort()).toEqual(["first", "last", "next"]);
    } finally {
      watched.stop();
    }
  });
});
