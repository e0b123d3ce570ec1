// A `function_call` item's `arguments` (a JSON string) → the object Anthropic's tool_use
// block takes as `input`. Codex echoes the model's arguments back verbatim, so JSON that
// does not parse is the client's mistake, refused with the item named.
import { InvalidRequestError } from "../../core/errors.js";

/** The arguments as an object: empty arguments mean `{}`; anything else must be a JSON object. */
export function parseArguments(args: unknown, path: string): Record<string, unknown> {
  if (args === undefined || args === null) return {};
  if (typeof args !== "string") {
    throw new InvalidRequestError({ message: `${path} must be a JSON string`, param: path });
  }
  if (args.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidRequestError({
      message: `${path} is not valid JSON (${reason}); send the arguments exactly as the model produced them`,
      param: path,
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InvalidRequestError({ message: `${path} must encode a JSON object`, param: path });
  }
  return parsed as Record<string, unknown>;
}
