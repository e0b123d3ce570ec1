// Objects told apart by their `type` (content blocks, parts, sources), checked leniently:
// every one needs a string `type`, the types a translator reads must have their fields,
// and any other type passes untouched, because the APIs keep adding block types that a
// proxy must forward rather than refuse.
import { z } from "zod";
import { expecting } from "./issue-text.js";

/** Options of `byType`. */
export interface ByTypeOptions {
  /** The fields each known `type` must have (unknown keys always pass). */
  known: Record<string, z.ZodRawShape>;
}

/**
 * An object with a string `type`, held to the fields registered for that type, if any.
 * Known types go through zod's discriminated union (one map lookup); only a type it does
 * not know falls through to the catch-all, which refuses the known types so that a
 * broken text block can never pass as "some other block".
 */
export function byType(options: ByTypeOptions) {
  const types = Object.keys(options.known);
  const knownTypes = new Set(types);
  const known = types.map((type) => z.looseObject({ ...options.known[type], type: z.literal(type) }));
  const other = z.looseObject({
    type: z.string().refine((type) => !knownTypes.has(type), { abort: true }),
  });
  const [first, ...rest] = known;
  if (first === undefined) return other;
  return z.union([z.discriminatedUnion("type", [first, ...rest]), other], {
    error: expecting("an object"),
  });
}
