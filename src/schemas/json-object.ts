// A field that must hold a JSON object (tool inputs, tool schemas) but whose contents are
// free-form: checked for being an object only, never copied or walked.
import { z } from "zod";
import { received } from "./issue-text.js";

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON object (not an array, not null) whose contents are not checked. */
export const jsonObject = z.custom<Record<string, unknown>>(isJsonObject, {
  error: (issue) => `expected an object, got ${received(issue.input)}`,
});
