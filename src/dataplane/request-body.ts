// A model request's body as Parley holds it: the bytes as received (scans and splices work
// on them in byte offsets and leave every other byte as it was), and the parsed value, made
// only when something reads it. Passthrough never does: it is checked by a scan and sent as bytes.
import { InvalidRequestError } from "../core/errors.js";
import type { MemberSpan } from "./top-level-members.js";

/** A request body; `members` are its top-level members as the validating scan found them. */
export class RequestBody {
  private parsedValue: Record<string, unknown> | undefined;

  constructor(
    readonly bytes: Buffer,
    readonly members: ReadonlyMap<string, MemberSpan> = new Map(),
  ) {}

  /** The body parsed, on first use; a body that is not a JSON object is a 400. */
  get parsed(): Record<string, unknown> {
    this.parsedValue ??= parseObject(this.bytes);
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

/** `bytes` parsed as a JSON object, or the 400 that says what is wrong with them. */
export function parseObject(bytes: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new InvalidRequestError({
      message: `the request body is not valid JSON (${(error as Error).message}); send a JSON object`,
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidRequestError({ message: "the request body must be a JSON object" });
  }
  return value as Record<string, unknown>;
}
