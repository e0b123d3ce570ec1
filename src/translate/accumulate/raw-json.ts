// Writes a JSON body in which some values are already JSON text — a tool input exactly as
// the upstream streamed it — spliced in verbatim. Parsing that text would round integers
// above 2^53, and Node 20 has no JSON.rawJSON, so the body is assembled from pieces.
import { isRecord } from "./json-record.js";

/** JSON text that is written into the body as it is; the caller has checked that it parses. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify, except that each RawJson is written as its own text. */
export function stringifyWithRaw(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  // Only the path down to a RawJson is assembled by hand; everything else (long texts,
  // search results) goes to JSON.stringify whole, which is several times faster.
  if (!containsRaw(value)) return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    // JSON.stringify writes undefined array slots as null; so does this.
    return `[${value.map((item) => (item === undefined ? "null" : stringifyWithRaw(item))).join(",")}]`;
  }
  const members: string[] = [];
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${stringifyWithRaw(member)}`);
  }
  return `{${members.join(",")}}`;
}

function containsRaw(value: unknown): boolean {
  if (value instanceof RawJson) return true;
  if (Array.isArray(value)) return value.some(containsRaw);
  return isRecord(value) && Object.values(value).some(containsRaw);
}
