// Glob aliases (`claude-*`, `*haiku*`, `*`): compiled once per snapshot, matched
// case-insensitively, ranked so the most specific pattern wins.

/** A compiled glob with the keys that rank it. */
export interface CompiledGlob {
  readonly pattern: string;
  readonly regex: RegExp;
  /** Length of the literal text before the first wildcard. */
  readonly literalPrefix: number;
  /** Characters that must match literally, anywhere in the pattern. */
  readonly literals: number;
  readonly wildcards: number;
}

/** Whether an alias is a glob rather than an exact name. */
export function isGlob(alias: string): boolean {
  return /[*?]/.test(alias);
}

/** Compiles a glob: `*` matches any run of characters, `?` one character. */
export function compileGlob(pattern: string): CompiledGlob {
  const source = pattern
    .split("")
    .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  const firstWildcard = pattern.search(/[*?]/);
  return {
    pattern,
    regex: new RegExp(`^${source}$`, "is"),
    literalPrefix: firstWildcard === -1 ? pattern.length : firstWildcard,
    literals: pattern.replace(/[*?]/g, "").length,
    wildcards: (pattern.match(/[*?]/g) ?? []).length,
  };
}

/**
 * Orders globs most specific first: longest literal prefix, then most literal characters
 * (so `claude-*haiku*` beats `claude-*`, and `*haiku*` beats `*`), then fewest wildcards.
 */
export function bySpecificity(a: CompiledGlob, b: CompiledGlob): number {
  return (
    b.literalPrefix - a.literalPrefix ||
    b.literals - a.literals ||
    a.wildcards - b.wildcards ||
    b.pattern.length - a.pattern.length ||
    a.pattern.localeCompare(b.pattern)
  );
}
