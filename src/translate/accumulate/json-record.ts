// Reading upstream JSON without trusting its shape: a record check, and the merge rule
// streams use for fields repeated on every event (the latest value wins, null never erases).

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Copies every field of `source` that is neither null nor undefined onto `target`, except `skip`. */
export function assignPresent(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  skip: ReadonlySet<string> = new Set(),
): void {
  // Object.keys, not Object.entries: this runs on every chunk, and entries allocates a pair per field.
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value !== null && value !== undefined && !skip.has(key)) target[key] = value;
  }
}
