// What a client reads when its request has the wrong shape: the first problem only, said
// as "expected a string, got null". Zod reports every branch of a union; the branch that
// got furthest into the value (past its outer type) is the one the client meant.
import type { z } from "zod";

/** A problem found in a request: where (path segments) and what was expected. */
export interface WireIssue {
  path: PropertyKey[];
  message: string;
}

const EXPECTED: Record<string, string> = {
  object: "an object",
  record: "an object",
  array: "an array",
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
  null: "null",
};

/** A value's kind as an error message names it: "null", "a string", "nothing" (absent). */
export function received(input: unknown): string {
  if (input === undefined) return "nothing";
  if (input === null) return "null";
  if (Array.isArray(input)) return "an array";
  return EXPECTED[typeof input] ?? typeof input;
}

/** The messages Parley gives zod's issues; schemas that know better set their own. */
export const wireErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === "invalid_type") {
    return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${received(issue.input)}`;
  }
  if (issue.code === "invalid_value") {
    return `expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}`;
  }
  return undefined;
};

/** The message of a schema (a union, say) that names what it takes as a whole: "expected `what`, got …". */
export function expecting(what: string): z.core.$ZodErrorMap {
  return (issue) => `expected ${what}, got ${received(issue.input)}`;
}

/** An issue resolved through unions, and whether it lies inside the value its branch started at. */
interface Resolved extends WireIssue {
  inside: boolean;
}

/**
 * The branch of a union that got past the value's outer type (its problem lies inside
 * the value) is the one the client meant; a discriminated union that knows no such
 * `type` did not get anywhere, although zod puts its complaint at `type`.
 */
function resolve(issue: z.core.$ZodIssue): Resolved {
  const here = { path: [...issue.path], message: issue.message };
  if (issue.code !== "invalid_union") return { ...here, inside: here.path.length > 0 };
  if (issue.errors.length === 0) return { ...here, inside: false };
  for (const branch of issue.errors) {
    const inner = branch[0] === undefined ? undefined : resolve(branch[0]);
    if (inner?.inside) return { path: [...here.path, ...inner.path], message: inner.message, inside: true };
  }
  return { ...here, inside: here.path.length > 0 };
}

/** The first problem of a failed parse, looking inside unions for the branch that was meant. */
export function firstIssue(issues: readonly z.core.$ZodIssue[]): WireIssue | undefined {
  const issue = issues[0];
  if (issue === undefined) return undefined;
  const { path, message } = resolve(issue);
  return { path, message };
}
