// Field checks shared by the admin services. Each throws `invalid_argument` naming the
// field (`provider.base_url: …`) and says what a valid value looks like, so a caller can
// fix the request from the message alone.
import type { Duration } from "@bufbuild/protobuf/wkt";
import { invalidArgument } from "./connect-errors.js";
import { metadataEndpointReason } from "./metadata-endpoints.js";

/** Resource ids: a lowercase slug, 1-63 characters, starting with a letter. */
export const SLUG = /^[a-z][a-z0-9-]{0,62}$/;

/** Checks a new resource id. */
export function checkSlug(field: string, value: string): string {
  if (value === "") throw invalidArgument(field, "is required");
  if (!SLUG.test(value)) {
    throw invalidArgument(
      field,
      `${JSON.stringify(value)} is not a valid id: use 1-63 lowercase letters, digits and '-', starting with a letter`,
    );
  }
  return value;
}

/** Checks the id of a lookup (Get, Update, Delete): required, and no longer than any id can be. */
export function checkLookupId(field: string, value: string): string {
  if (value === "") throw invalidArgument(field, "is required");
  if (value.length > 200) throw invalidArgument(field, "is longer than any id (200 characters)");
  return value;
}

/**
 * Checks an http(s) URL with a host, without credentials, query or fragment, and not at a
 * cloud metadata endpoint; returns it unchanged.
 */
export function checkHttpUrl(field: string, value: string): string {
  if (value === "") throw invalidArgument(field, "is required");
  if (value.length > 2048) throw invalidArgument(field, "is longer than 2048 characters");
  // WHATWG parsing drops whitespace and control characters and reads `http:///x` as host
  // "x"; the stored text is what the data plane uses, so it must already be clean.
  if (/[\s\p{Cc}]/u.test(value)) {
    throw invalidArgument(field, "must not contain whitespace or control characters");
  }
  if (/^https?:/i.test(value) && !/^https?:\/\/[^/\\?#]/i.test(value)) {
    throw invalidArgument(field, `${JSON.stringify(value)} has no host: write it as https://host/path`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidArgument(field, `${JSON.stringify(value)} is not a URL (e.g. https://api.openai.com/v1)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalidArgument(field, `must be an http or https URL, not ${url.protocol}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw invalidArgument(field, "must not contain credentials: put the key in api_key");
  }
  if (url.search !== "" || url.hash !== "") {
    throw invalidArgument(field, "must not have a query or a fragment: request paths are appended to it");
  }
  const metadata = metadataEndpointReason(url.hostname);
  if (metadata !== undefined) {
    throw invalidArgument(
      field,
      `host ${url.hostname} ${metadata}; an upstream must be a model API (private addresses are allowed)`,
    );
  }
  return value;
}

/** Checks an integer lies in [min, max]. */
export function checkIntRange(field: string, value: number, range: { min: number; max: number }): number {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalidArgument(field, `must be between ${range.min} and ${range.max}, got ${value}`);
  }
  return value;
}

/** Checks free text: a length cap and no control characters other than newlines and tabs. */
export function checkText(field: string, value: string, maxLength: number): string {
  if (value.length > maxLength) throw invalidArgument(field, `is longer than ${maxLength} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(value))
    throw invalidArgument(field, "contains control characters");
  return value;
}

/** Checks an upstream model name; empty means "the name the client sent" and becomes null. */
export function checkUpstreamModel(field: string, value: string): string | null {
  if (value === "") return null;
  if (value.length > 256) throw invalidArgument(field, "is longer than 256 characters");
  if (/\s/.test(value) || /\p{Cc}/u.test(value)) {
    throw invalidArgument(field, `${JSON.stringify(value)} contains whitespace or control characters`);
  }
  return value;
}

/**
 * Checks a model alias: exact or a glob whose only wildcards are `*` and `?`. Aliases are
 * printable ASCII so that SQLite's `lower()` (the unique index) and the router agree on case.
 */
export function checkAlias(field: string, value: string): string {
  if (value === "") throw invalidArgument(field, "is required");
  if (value.length > 200) throw invalidArgument(field, "is longer than 200 characters");
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw invalidArgument(field, `${JSON.stringify(value)} may hold only printable ASCII without whitespace`);
  }
  if (/[[\]{}\\]/.test(value)) {
    throw invalidArgument(field, `${JSON.stringify(value)} is not a valid glob: only * and ? are wildcards`);
  }
  return value;
}

/** Bounds of a duration field, in milliseconds; `allowZero` admits 0 as "off". */
export interface DurationBounds {
  maxMs: number;
  /** The shortest value accepted; default 1 ms. */
  minMs?: number;
  allowZero?: boolean;
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

/** A Duration in its JSON spelling ("-5s", "0.001s"), to quote it back exactly. */
function formatDurationValue(seconds: bigint, nanos: number): string {
  const negative = seconds < 0n || nanos < 0;
  const whole = (seconds < 0n ? -seconds : seconds).toString();
  const fraction = Math.abs(nanos).toString().padStart(9, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}s`;
}

/** Converts a Duration to whole milliseconds within bounds; unset (and allowed zero) is null. */
export function checkDuration(
  field: string,
  value: Duration | undefined,
  bounds: DurationBounds,
): number | null {
  if (value === undefined) return null;
  const { seconds, nanos } = value;
  if (nanos <= -1e9 || nanos >= 1e9 || (seconds > 0n && nanos < 0) || (seconds < 0n && nanos > 0)) {
    throw invalidArgument(
      field,
      "is not a valid duration: nanos must be within ±999,999,999 and share the sign of seconds",
    );
  }
  if (seconds === 0n && nanos === 0 && bounds.allowZero) return null;
  const exactMs = Number(seconds) * 1000 + nanos / 1e6;
  const minMs = bounds.minMs ?? 1;
  if (exactMs < minMs) {
    const off = bounds.allowZero ? " (0 turns it off)" : "";
    throw invalidArgument(
      field,
      `must be at least ${formatMs(minMs)}${off}, got ${formatDurationValue(seconds, nanos)}`,
    );
  }
  const ms = Math.round(exactMs);
  if (ms > bounds.maxMs) throw invalidArgument(field, `must be at most ${formatMs(bounds.maxMs)}`);
  return ms;
}

/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Header values: visible ASCII, spaces, tabs and obs-text; never CR, LF or NUL. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Credentials belong in api_key, which is write-only; these would be returned in clear. */
const CREDENTIAL_HEADERS = new Set(["authorization", "x-api-key", "proxy-authorization"]);
/** Headers Parley sets itself for every request; overriding them breaks the HTTP framing. */
const FRAMING_HEADERS = new Set([
  "host",
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
]);

/** Checks extra upstream headers: valid names, no credentials, no framing headers, no duplicates by case. */
export function checkHeaders(field: string, headers: Record<string, string>): Record<string, string> {
  const entries = Object.entries(headers);
  if (entries.length > 64) throw invalidArgument(field, "has more than 64 entries");
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name))
      throw invalidArgument(field, `${JSON.stringify(name)} is not a valid header name`);
    if (CREDENTIAL_HEADERS.has(lower)) {
      throw invalidArgument(
        `${field}[${JSON.stringify(name)}]`,
        "credentials go in api_key, which is never returned",
      );
    }
    if (FRAMING_HEADERS.has(lower)) {
      throw invalidArgument(`${field}[${JSON.stringify(name)}]`, "is set by Parley and cannot be overridden");
    }
    if (seen.has(lower))
      throw invalidArgument(field, `${JSON.stringify(name)} is given twice (names ignore case)`);
    seen.add(lower);
    if (value.length > 4096 || !HEADER_VALUE.test(value)) {
      throw invalidArgument(
        `${field}[${JSON.stringify(name)}]`,
        "value must be at most 4096 characters with no line breaks or control characters",
      );
    }
  }
  return Object.fromEntries(entries);
}
