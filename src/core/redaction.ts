// Replaces secrets (provider keys, credential headers) in text that came from an upstream
// before it reaches a client or a log line: upstreams and their proxies sometimes echo the
// request's Authorization header back in an error body, an HTML page or an SSE event.

/** What a secret becomes. */
export const REDACTED = "[redacted]";

/** Secrets shorter than this are not looked for: they would match ordinary text. */
const MIN_SECRET_LENGTH = 8;

/** Whether a header name says it carries a credential (`api-key`, `x-auth-token`, …). */
export function isSecretHeaderName(name: string): boolean {
  return /key|token|secret|auth/i.test(name);
}

/** Replaces a fixed set of secrets in text, whole bodies or a stream of chunks. */
export class Redactor {
  /** A redactor that finds nothing; costs one length check per call. */
  static readonly none = new Redactor([]);

  /** Longest first, so a key that contains another key is replaced whole. */
  private readonly secrets: readonly string[];
  /** The same secrets as UTF-8 bytes, for streams. */
  readonly secretBytes: readonly Buffer[];

  constructor(secrets: Iterable<string | null | undefined>) {
    const kept = new Set<string>();
    for (const secret of secrets) if (secret && secret.length >= MIN_SECRET_LENGTH) kept.add(secret);
    this.secrets = [...kept].sort((a, b) => b.length - a.length);
    this.secretBytes = this.secrets.map((s) => Buffer.from(s, "utf8"));
  }

  /** Whether there is anything to look for. */
  get active(): boolean {
    return this.secrets.length > 0;
  }

  /** The text with every secret replaced. */
  text(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    return out;
  }

  /** Whole bytes with every secret replaced: the same buffer, not copied, when none is there. */
  bytes(bytes: Buffer): Buffer {
    let out = bytes;
    for (const secret of this.secretBytes) out = replaceAll(out, secret);
    return out;
  }

  /** A redactor for a byte stream whose chunks may split a secret between them. */
  stream(): StreamRedactor {
    return new StreamRedactor(this.secretBytes);
  }
}

const REDACTED_BYTES = Buffer.from(REDACTED);
const EMPTY = Buffer.alloc(0);

/**
 * Redacts a chunked stream: the end of a chunk that could be the start of a secret is held
 * back until the next chunk shows whether it is. Chunks without secrets pass unchanged, and
 * the search is Buffer.indexOf, so a clean chunk costs a native scan and no copy.
 */
export class StreamRedactor {
  private carry: Buffer = EMPTY;

  constructor(private readonly secrets: readonly Buffer[]) {}

  /** The bytes to send for this chunk (possibly fewer: a possible secret's start is held). */
  push(chunk: Buffer): Buffer {
    if (this.secrets.length === 0) return chunk;
    let bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    for (const secret of this.secrets) bytes = replaceAll(bytes, secret);
    const hold = this.heldTail(bytes);
    this.carry = hold > 0 ? Buffer.from(bytes.subarray(bytes.length - hold)) : EMPTY;
    return hold > 0 ? bytes.subarray(0, bytes.length - hold) : bytes;
  }

  /** What is still held at the end of the stream. */
  end(): Buffer {
    const rest = this.carry;
    this.carry = EMPTY;
    return rest;
  }

  /** The length of the longest suffix of `bytes` that is a proper prefix of a secret. */
  private heldTail(bytes: Buffer): number {
    let best = 0;
    for (const secret of this.secrets) {
      const from = Math.max(0, bytes.length - secret.length + 1);
      for (let p = bytes.indexOf(secret[0]!, from); p !== -1; p = bytes.indexOf(secret[0]!, p + 1)) {
        const n = bytes.length - p;
        if (n <= best) break;
        if (secret.subarray(0, n).equals(bytes.subarray(p))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}

function replaceAll(bytes: Buffer, secret: Buffer): Buffer {
  let at = bytes.indexOf(secret);
  if (at === -1) return bytes;
  const parts: Buffer[] = [];
  let from = 0;
  while (at !== -1) {
    parts.push(bytes.subarray(from, at), REDACTED_BYTES);
    from = at + secret.length;
    at = bytes.indexOf(secret, from);
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}
