// Byte sizes on the command line and in setup files: a whole number of bytes, or one with a
// binary unit ("64KiB", "32MiB", "1GiB"), so a body limit reads as the providers state theirs.
// Decimal units (MB) are refused rather than guessed at: 32MB and 32MiB differ by 1.5 MiB.

const UNIT_BYTES: Record<string, number> = { "": 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
const SIZE = /^(\d+)\s*(KiB|MiB|GiB)?$/;

/** Parses "4096", "64KiB", "32MiB" or "1GiB" into bytes; undefined when malformed. */
export function parseByteSize(text: string): number | undefined {
  const match = SIZE.exec(text.trim());
  if (match === null) return undefined;
  const bytes = Number(match[1]) * (UNIT_BYTES[match[2] ?? ""] ?? Number.NaN);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Formats bytes the way they are typed: "32MiB" when a unit divides them, else the number. */
export function formatByteSize(bytes: number): string {
  for (const unit of ["GiB", "MiB", "KiB"] as const) {
    const size = UNIT_BYTES[unit] ?? 1;
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}
