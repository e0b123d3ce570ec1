// Checks a parsed request body against a dialect's schema once, at the edge of
// translation, so the translators can trust the shapes they read. The nesting depth is
// measured first, without recursion; then the first problem becomes a 400 naming the field.
import { z } from "zod";
import { InvalidRequestError } from "../core/errors.js";
import { formatPath, type PathNotation } from "./field-path.js";
import { firstIssue, wireErrorMap } from "./issue-text.js";
import { MAX_JSON_DEPTH, nestsDeeperThan, pathBeyondDepth } from "./json-depth.js";

/** How one dialect's requests are checked. */
export interface WireValidatorOptions {
  /** The request schema, built once per process (and compiled here, once). */
  schema: z.ZodType;
  /** How the dialect writes field paths in its errors. */
  notation: PathNotation;
  /**
   * Fields that hold free-form JSON (tool schemas, tool inputs): a body nested too deep
   * is reported at the first of these on the way down, which is the field to fix.
   */
  freeFormFields: ReadonlySet<string>;
}

/** Segments named when a too-deep value lies outside every free-form field. */
const DEEP_PATH_SEGMENTS = 4;

const PARSE_OPTIONS = { error: wireErrorMap };

/** A function that throws `InvalidRequestError` (a 400) for a body of the wrong shape. */
export function wireValidator(options: WireValidatorOptions): (body: unknown) => void {
  const { notation } = options;
  // zod compiles the schema to one function for the common case of a valid body; an
  // invalid one falls back to the regular parser, so the issues reported are the same.
  const schema = z.compile(options.schema);
  return function validateWireRequest(body: unknown): void {
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) throw tooDeep(body, options);
    const result = schema.safeParse(body, PARSE_OPTIONS);
    if (result.success) return;
    const issue = firstIssue(result.error.issues) ?? { path: [], message: "the request has the wrong shape" };
    const field = formatPath(issue.path, notation);
    throw new InvalidRequestError({ message: `${field}: ${issue.message}`, param: field });
  };
}

function tooDeep(body: unknown, options: WireValidatorOptions): InvalidRequestError {
  const path = pathBeyondDepth(body, MAX_JSON_DEPTH) ?? [];
  const freeForm = path.findIndex((segment) => options.freeFormFields.has(String(segment)));
  const named = path.slice(0, freeForm >= 0 ? freeForm + 1 : DEEP_PATH_SEGMENTS);
  const field = formatPath(named, options.notation);
  return new InvalidRequestError({
    message: `${field}: nested more than ${MAX_JSON_DEPTH} levels deep (objects and arrays within each other); flatten it`,
    param: field,
  });
}
