// One generated request: which endpoint and provider kind it aims at, the valid request it
// started from, what was broken in its tree, in its bytes and in its delivery, and what
// any correct server must answer to it. Renders itself readably for fast-check reports.
import fc from "fast-check";
import { encodeTree, type Tree } from "./json-tree.js";
import { applyMutation, type Mutation } from "./mutations.js";
import { type ProviderKind, routeOf } from "./valid-requests.js";

/** The data-plane endpoints under test. */
export type Endpoint = "/v1/messages" | "/v1/messages/count_tokens" | "/v1/chat/completions";

/** The dialect each endpoint speaks, for its errors. */
export function dialectOf(endpoint: Endpoint): ProviderKind {
  return endpoint === "/v1/chat/completions" ? "openai" : "anthropic";
}

/** What happens to the bytes after the tree is written. */
export type Framing =
  | { kind: "intact" }
  /** Cut at `at` modulo the length, so never complete. */
  | { kind: "truncated"; at: number }
  | { kind: "invalid-utf8"; at: number; bytes: number[] }
  | { kind: "empty" }
  | { kind: "bom" }
  | { kind: "trailing"; text: string }
  /** Padded with spaces past the body limit. */
  | { kind: "oversize" };

/** How the bytes go over the wire. */
export type Delivery =
  | { kind: "whole" }
  /** content-length says the full size; only `keep`‰ of the bytes are sent before the socket ends or is destroyed. */
  | { kind: "cut-off"; keep: number; ending: "end" | "destroy" }
  /** Chunked transfer encoding, abandoned after `chunks` chunks without the final empty one. */
  | { kind: "chunked-abort"; chunks: number; ending: "end" | "destroy" };

/** Everything a case is generated from. */
export interface CaseSpec {
  endpoint: Endpoint;
  /** The provider kind the unmutated model routes to. */
  target: ProviderKind;
  request: Tree;
  mutations: Mutation[];
  framing: Framing;
  /** The content-type header, or null to send none. */
  contentType: string | null;
  delivery: Delivery;
}

/** What any correct server answers, beyond "below 500, in the caller's dialect". */
export type Expectation = "any" | "client-error" | "too-large";

/**
 * Above DESIGN §4's default PARLEY_MAX_BODY_BYTES (32 MiB, Anthropic's own request limit),
 * so a 413 is due whatever the limit is set to today.
 */
export const OVERSIZE_BYTES = 33 * 1024 * 1024;

/** A generated request, ready to send. */
export class FuzzCase {
  /** The request tree after the mutations. */
  readonly tree: Tree;
  /** One line per mutation, saying what it did. */
  readonly changes: string[];

  constructor(readonly spec: CaseSpec) {
    let tree = spec.request;
    const changes: string[] = [];
    for (const mutation of spec.mutations) {
      const applied = applyMutation(tree, mutation);
      tree = applied.tree;
      changes.push(applied.description);
    }
    this.tree = tree;
    this.changes = changes;
  }

  /** The dialect the endpoint speaks. */
  get dialect(): ProviderKind {
    return dialectOf(this.spec.endpoint);
  }

  /**
   * The provider kind the server routes this body to: a mutation may have changed the model
   * (a repeated "model" key counts as JSON.parse reads it, the last one wins).
   */
  get routedTarget(): ProviderKind {
    let model: unknown;
    try {
      model = (JSON.parse(this.body().toString("utf8")) as { model?: unknown } | null)?.model;
    } catch {
      return this.spec.target;
    }
    return typeof model === "string" ? routeOf(model) : this.spec.target;
  }

  /** The route, as "openai (translated)". */
  get route(): string {
    const target = this.routedTarget;
    return `${target} (${target === this.dialect ? "passthrough" : "translated"})`;
  }

  /** The request body bytes. */
  body(): Buffer {
    const json = encodeTree(this.tree);
    const framing = this.spec.framing;
    switch (framing.kind) {
      case "intact":
        return json;
      case "truncated":
        return json.subarray(0, framing.at % json.length);
      case "invalid-utf8": {
        const at = framing.at % (json.length + 1);
        return Buffer.concat([json.subarray(0, at), Buffer.from(framing.bytes), json.subarray(at)]);
      }
      case "empty":
        return Buffer.alloc(0);
      case "bom":
        return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]);
      case "trailing":
        return Buffer.concat([json, Buffer.from(framing.text)]);
      case "oversize":
        return Buffer.concat([json, Buffer.alloc(Math.max(0, OVERSIZE_BYTES - json.length), 0x20)]);
    }
  }

  /** What the answer must be, from the framing alone. */
  get expectation(): Expectation {
    const { framing, delivery } = this.spec;
    if (delivery.kind !== "whole") return "any";
    if (framing.kind === "oversize") return "too-large";
    // A strict prefix of a JSON text, nothing at all, or garbage after it is never valid JSON.
    if (framing.kind === "truncated" || framing.kind === "empty" || framing.kind === "trailing")
      return "client-error";
    return "any";
  }

  /** Endpoint, route, what was broken and the first bytes of the body. */
  describe(prefixBytes = 300): string {
    const { endpoint, framing, contentType, delivery } = this.spec;
    const body = this.body();
    return [
      `POST ${endpoint} → ${this.route}; content-type: ${contentType ?? "(none)"}; delivery: ${JSON.stringify(delivery)}`,
      `changes: ${this.changes.length > 0 ? this.changes.join("; ") : "(none: a valid request)"}`,
      `framing: ${JSON.stringify(framing)}`,
      `body (${body.length} bytes): ${printable(body.subarray(0, prefixBytes))}${body.length > prefixBytes ? "…" : ""}`,
    ].join("\n  ");
  }

  [fc.toStringMethod](): string {
    return `\n  ${this.describe()}\n`;
  }
}

/** Text as is when it is valid UTF-8 (a character cut at the end allowed); otherwise ASCII with every other byte as \xNN. */
export function printable(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return [...bytes]
      .map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`))
      .join("");
  }
}
