// Sends one fuzz case and reports what came back: whole bodies with fetch, cut-off and
// abandoned chunked uploads on a raw socket (fetch cannot lie about content-length).
// Every wait is bounded, so a hang becomes an outcome instead of a stuck suite.
import { connect, type Socket } from "node:net";
import type { FuzzCase } from "./fuzz-case.js";

/** What a delivery ended in. */
export type Outcome =
  | { kind: "answer"; status: number; contentType: string; body: Buffer }
  | { kind: "timeout" }
  | { kind: "transport-error"; message: string }
  /** The server closed a cut-off upload without answering: fine. */
  | { kind: "closed" }
  /** The client destroyed the socket itself: nothing to wait for. */
  | { kind: "abandoned" };

/** Where and how long. */
export interface DeliveryTarget {
  url: string;
  requestId: string;
  timeoutMs: number;
}

function headersFor(fuzz: FuzzCase, requestId: string): Record<string, string> {
  const headers: Record<string, string> = { "x-request-id": requestId };
  if (fuzz.spec.contentType !== null) headers["content-type"] = fuzz.spec.contentType;
  if (fuzz.dialect === "anthropic") headers["anthropic-version"] = "2023-06-01";
  return headers;
}

/** Sends the case as its delivery says. */
export function deliver(fuzz: FuzzCase, target: DeliveryTarget): Promise<Outcome> {
  return fuzz.spec.delivery.kind === "whole" ? deliverWhole(fuzz, target) : deliverRaw(fuzz, target);
}

async function deliverWhole(fuzz: FuzzCase, target: DeliveryTarget): Promise<Outcome> {
  const signal = AbortSignal.timeout(target.timeoutMs);
  try {
    const res = await fetch(`${target.url}${fuzz.spec.endpoint}`, {
      method: "POST",
      headers: headersFor(fuzz, target.requestId),
      body: fuzz.body(),
      signal,
    });
    const body = Buffer.from(await res.arrayBuffer());
    return { kind: "answer", status: res.status, contentType: res.headers.get("content-type") ?? "", body };
  } catch (error) {
    if (signal.aborted) return { kind: "timeout" };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: "transport-error", message: cause?.code ?? cause?.message ?? String(error) };
  }
}

/** The request head and the bytes that follow it, for a delivery that never completes. */
function rawRequest(fuzz: FuzzCase, host: string, requestId: string): Buffer[] {
  const body = fuzz.body();
  const delivery = fuzz.spec.delivery;
  const lines = [`POST ${fuzz.spec.endpoint} HTTP/1.1`, `host: ${host}`];
  for (const [name, value] of Object.entries(headersFor(fuzz, requestId))) lines.push(`${name}: ${value}`);
  if (delivery.kind === "cut-off") {
    lines.push(`content-length: ${body.length}`);
    const kept = body.subarray(0, Math.floor((body.length * delivery.keep) / 1000));
    return [Buffer.from(`${lines.join("\r\n")}\r\n\r\n`), kept];
  }
  lines.push("transfer-encoding: chunked");
  const size = Math.max(1, Math.ceil(body.length / 5));
  const chunks: Buffer[] = [];
  const count = delivery.kind === "chunked-abort" ? delivery.chunks : 0;
  for (let i = 0; i < count; i++) {
    const chunk = body.subarray(i * size, (i + 1) * size);
    if (chunk.length > 0)
      chunks.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n"));
  }
  return [Buffer.from(`${lines.join("\r\n")}\r\n\r\n`), ...chunks];
}

async function deliverRaw(fuzz: FuzzCase, target: DeliveryTarget): Promise<Outcome> {
  const { hostname, port } = new URL(target.url);
  const socket: Socket = connect(Number(port), hostname);
  const received: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => received.push(chunk));
  const closed = new Promise<boolean>((resolve) => {
    socket.once("close", () => resolve(true));
    setTimeout(() => resolve(false), target.timeoutMs).unref();
  });
  let failure: string | undefined;
  socket.on("error", (error: NodeJS.ErrnoException) => {
    // A reset after the server gave up on the upload is one of the allowed endings; only a
    // failure to connect at all is reported.
    failure ??= error.code ?? error.message;
  });
  const connected = await new Promise<boolean>((resolve) => {
    socket.once("connect", () => resolve(true));
    socket.once("close", () => resolve(false));
  });
  if (!connected) return { kind: "transport-error", message: failure ?? "could not connect" };
  for (const part of rawRequest(fuzz, `${hostname}:${port}`, target.requestId)) socket.write(part);
  const delivery = fuzz.spec.delivery as { ending: "end" | "destroy" };
  if (delivery.ending === "destroy") {
    socket.destroy();
    return { kind: "abandoned" };
  }
  socket.end();
  if (!(await closed)) {
    socket.destroy();
    return { kind: "timeout" };
  }
  return received.length === 0 ? { kind: "closed" } : parseRaw(Buffer.concat(received));
}

/** Status, content-type and body of a raw HTTP/1.1 answer. */
function parseRaw(bytes: Buffer): Outcome {
  const end = bytes.indexOf("\r\n\r\n");
  const head = bytes.subarray(0, end === -1 ? bytes.length : end).toString("latin1");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
  if (!Number.isInteger(status))
    return { kind: "transport-error", message: `not an HTTP answer: ${head.slice(0, 80)}` };
  const contentType = /^content-type:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? "";
  const length = Number(/^content-length:\s*(\d+)$/im.exec(head)?.[1]);
  const rest = end === -1 ? Buffer.alloc(0) : bytes.subarray(end + 4);
  return {
    kind: "answer",
    status,
    contentType,
    body: Number.isInteger(length) ? rest.subarray(0, length) : rest,
  };
}
