// The faults a scripted upstream plays on one request, one small function each, and the table
// from fault name to function. Each names a failure real providers and their load balancers
// produce; the resilience suite scripts them per attempt.
import {
  badGatewayPage,
  type ContextLengthWording,
  contextLengthBody,
  errorBody,
} from "./upstream-answers.js";
import { drop, type Exchange, finish, pause, reset, sendFrames, sendHead } from "./upstream-exchange.js";

/** Each fault's options; a fault whose options are all optional can be named by a bare string. */
export interface FaultOptions {
  /** A correct answer: JSON, or SSE when the request has `stream: true`. */
  ok: Record<never, never>;
  /** The connection reset (RST) once the request is read, before any byte of an answer. */
  reset: Record<never, never>;
  /** The request read, then nothing at all until the caller gives up. */
  hang: Record<never, never>;
  /** 200 and the answer's headers, then silence. */
  "headers-then-stall": Record<never, never>;
  /** The preamble only (message_start / a role-only chunk; nothing for JSON), then a FIN. */
  "preamble-then-drop": Record<never, never>;
  /** The preamble and `steps` content steps (default 2), then silence. */
  "stream-then-stall": { steps?: number };
  /** The preamble and `steps` content steps (default 2), then an RST. */
  "stream-then-reset": { steps?: number };
  /** An error status; the body defaults to the kind's error JSON for that status. */
  status: { status: number; body?: unknown; headers?: Record<string, string> };
  /** A load balancer's HTML 502 page. */
  "html-502": Record<never, never>;
  /** 400 for a prompt over the context window, in the kind's wording unless told. */
  "context-length": { wording?: ContextLengthWording };
  /** The preamble at once, the first content after `delayMs`, then the rest. */
  "slow-first-token": { delayMs: number };
}

/** The name of a fault. */
export type FaultName = keyof FaultOptions;

/** A fault with its options. */
export type FaultOf<K extends FaultName> = { type: K } & FaultOptions[K];

type BareFaultName = {
  [K in FaultName]: Record<never, never> extends FaultOptions[K] ? K : never;
}[FaultName];

/** Any fault with its options. */
export type FaultSpec = { [K in FaultName]: FaultOf<K> }[FaultName];

/** A fault as a script names it: with its options, or by name alone when it needs none. */
export type Fault = FaultSpec | BareFaultName;

/** The fault spelled out as an object. */
export function faultSpec(fault: Fault): FaultSpec {
  return typeof fault === "string" ? { type: fault } : fault;
}

/** Content steps sent before a stall or reset: real text reached the client, the answer is unfinished. */
const CONTENT_STEPS = 2;
/**
 * An RST that overtakes bytes the client has not read yet makes Linux report a plain EOF
 * instead of ECONNRESET (and real resets come after the data was read): give the client a
 * moment, which in-process is a turn of the shared event loop, before resetting.
 */
const RESET_AFTER_READ_MS = 25;

async function ok(x: Exchange): Promise<void> {
  sendHead(x, 200, x.answer.contentType);
  await sendFrames(x, [...x.answer.preamble, ...x.answer.content, ...x.answer.end]);
  finish(x);
}

function hang(): void {
  // Nothing to do: the exchange stays open until the caller hangs up or the upstream closes.
}

function headersThenStall(x: Exchange): void {
  sendHead(x, 200, x.answer.contentType);
}

async function preambleThenDrop(x: Exchange): Promise<void> {
  sendHead(x, 200, x.answer.contentType);
  await sendFrames(x, x.answer.preamble);
  drop(x);
}

async function streamThenStall(x: Exchange, fault: FaultOf<"stream-then-stall">): Promise<void> {
  sendHead(x, 200, x.answer.contentType);
  await sendFrames(x, [...x.answer.preamble, ...x.answer.content.slice(0, fault.steps ?? CONTENT_STEPS)]);
}

async function streamThenReset(x: Exchange, fault: FaultOf<"stream-then-reset">): Promise<void> {
  await streamThenStall(x, { type: "stream-then-stall", steps: fault.steps });
  await pause(x, RESET_AFTER_READ_MS);
  reset(x);
}

function status(x: Exchange, fault: FaultOf<"status">): void {
  const body = fault.body ?? errorBody(x.kind, fault.status);
  const text = typeof body === "string" ? body : JSON.stringify(body);
  sendHead(x, fault.status, typeof body === "string" ? "text/plain" : "application/json", fault.headers);
  finish(x, text);
}

function htmlBadGateway(x: Exchange): void {
  sendHead(x, 502, "text/html");
  finish(x, badGatewayPage(x.kind));
}

function contextLength(x: Exchange, fault: FaultOf<"context-length">): void {
  sendHead(x, 400, "application/json");
  finish(x, JSON.stringify(contextLengthBody(fault.wording ?? x.kind)));
}

async function slowFirstToken(x: Exchange, fault: FaultOf<"slow-first-token">): Promise<void> {
  sendHead(x, 200, x.answer.contentType);
  await sendFrames(x, x.answer.preamble);
  await pause(x, fault.delayMs);
  await sendFrames(x, [...x.answer.content, ...x.answer.end]);
  finish(x);
}

const FAULTS: { [K in FaultName]: (x: Exchange, fault: FaultOf<K>) => void | Promise<void> } = {
  ok,
  reset: (x) => reset(x),
  hang,
  "headers-then-stall": headersThenStall,
  "preamble-then-drop": preambleThenDrop,
  "stream-then-stall": streamThenStall,
  "stream-then-reset": streamThenReset,
  status,
  "html-502": htmlBadGateway,
  "context-length": contextLength,
  "slow-first-token": slowFirstToken,
};

/** Plays a fault on one exchange; resolves once the fault has made its last move. */
export function playFault<K extends FaultName>(x: Exchange, fault: FaultOf<K>): void | Promise<void> {
  return FAULTS[fault.type](x, fault);
}
