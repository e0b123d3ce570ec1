// Objects told apart by their `type` (content blocks, parts, sources), checked leniently:
// every one needs a string `type`, the types a translator reads must have their fields,
// and any other type passes untouched, because the APIs keep adding block types that a
// proxy must forward rather than refuse.
import { z } from "zod";
import { firstIssue, wireErrorMap } from "./issue-text.js";

/** Options of `byType`. */
export interface ByTypeOptions {
  /** The schema each known `type` must also match (unknown keys always pass). */
  known: Record<string, z.ZodType>;
}

const PARSE_OPTIONS = { error: wireErrorMap };

/** An object with a string `type`, held to the schema registered for that type, if any. */
export function byType(options: ByTypeOptions) {
  // A Map, so that a `type` such as "constructor" never finds an inherited property.
  const known = new Map(Object.entries(options.known));
  return z.looseObject({ type: z.string() }).superRefine(function checkKnownType(value, ctx) {
    const schema = known.get(value.type);
    if (schema === undefined) return;
    const result = schema.safeParse(value, PARSE_OPTIONS);
    if (result.success) return;
    const issue = firstIssue(result.error.issues);
    if (issue !== undefined) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  });
}
