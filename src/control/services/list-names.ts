// Names in error messages: quoted, comma-separated, and capped so a message about a
// provider used by hundreds of mappings stays one readable line.

/** `"a", "b", "c" and 7 more`. */
export function listNames(names: readonly string[], max = 10): string {
  const shown = names.slice(0, max).map((n) => JSON.stringify(n));
  const rest = names.length - shown.length;
  return rest > 0 ? `${shown.join(", ")} and ${rest} more` : shown.join(", ");
}
