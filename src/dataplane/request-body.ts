// A model request's body as Parley holds it: the bytes as received, the same bytes as latin1
// text (one character per byte, so scans and splices work in byte offsets and leave every
// other byte as it was), and the parsed value, made only when something reads it.
// Passthrough never does: it is checked by a scan and sent as bytes.
import { InvalidRequestError } from "../core/errors.js";
import type { MemberSpan } from "./top-level-members.js";

/** A request body; `members` are its top-level members as the validating scan found them. */
export class RequestBody {
  /** The bytes as latin1 text: one character per byte. */
  readonly wire: string;
  private parsedValue: Record<string, unknown> | undefined;

  /** `wire`, when given, is `bytes` as latin1 already (a scan made it). */
  constructor(
    readonly bytes: Buffer,
    readonly members: ReadonlyMap<string, MemberSpan> = new Map(),
    wire?: string,
  ) {
    this.wire = wire ?? bytes.toString("latin1");
  }

  /** The body parsed, on first use; a body that is not a JSON object is a 400. */
  get parsed(): Record<string, unknown> {
    if (this.parsedValue === undefined) {
      let value: unknown;
      try {
        value = JSON.parse(this.bytes.toString("utf8"));
      } catch (error) {
        throw new InvalidRequestError({
          message: `the request body is not valid JSON (${(error as Error).message}); send a JSON object`,
        });
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new InvalidRequestError({ message: "the request body must be a JSON object" });
      }
      this.parsedValue = value as Record<string, unknown>;
    }
    return this.parsedValue;
  }

  /** One top-level member's value, parsed on its own (undefined when absent or not JSON). */
  member(key: string): unknown {
    if (this.parsedValue !== undefined) return this.parsedValue[key];
    const span = this.members.get(key);
    if (span === undefined) return undefined;
    try {
      return JSON.parse(this.bytes.toString("utf8", span.valueStart, span.valueEnd));
    } catch {
      return undefined;
    }
  }
}

/** Text as the latin1 form of its UTF-8 bytes, to be spliced into a body's `wire` text. */
export function wireText(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return Buffer.from(text, "utf8").toString("latin1");
  }
  return text;
}
