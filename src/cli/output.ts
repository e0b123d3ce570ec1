// How results reach the terminal: aligned tables and key/value blocks for people, proto
// JSON (via toJson) for scripts. Everything goes through here so the formats stay uniform.
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { toJson } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampDate } from "@bufbuild/protobuf/wkt";

/** Writes one line to stdout. */
export function printLine(text = ""): void {
  process.stdout.write(`${text}\n`);
}

/** Proto JSON of a message, with implicit defaults present so scripts can rely on every key. */
export function messageJson<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): unknown {
  return toJson(schema, message, { alwaysEmitImplicit: true });
}

/** Prints a message as indented proto JSON. */
export function printJson<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): void {
  printLine(JSON.stringify(messageJson(schema, message), null, 2));
}

/** Prints a message as proto JSON on one line (for streams: one message per line). */
export function printJsonLine<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): void {
  printLine(JSON.stringify(messageJson(schema, message)));
}

/** Lays out rows under upper-case headers, columns padded to their widest cell. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join("\n");
}

/** Prints a table, or a short note when there are no rows. */
export function printTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  empty: string,
): void {
  printLine(rows.length === 0 ? empty : renderTable(headers, rows));
}

/** Prints `key  value` pairs with the values aligned, one per line. */
export function printFields(fields: readonly (readonly [string, string])[]): void {
  const width = Math.max(...fields.map(([key]) => key.length));
  for (const [key, value] of fields) printLine(`${key.padEnd(width)}  ${value}`.trimEnd());
}

/** A timestamp as ISO-8601 UTC to the second, or "-" when unset. */
export function formatTime(timestamp: Timestamp | undefined): string {
  if (timestamp === undefined) return "-";
  return timestampDate(timestamp)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
}
