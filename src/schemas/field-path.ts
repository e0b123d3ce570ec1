// A field of a request named the way its own API names it in errors: Anthropic writes
// `messages.0.content.1`, OpenAI `messages[0].content[1]`. The translators' own messages
// use the same notations, so one client never sees two spellings of one field.

/** How a dialect writes a path into a request body. */
export type PathNotation = "dotted" | "bracketed";

/** The path `segments` as a field name in `notation`; the body itself is `body`. */
export function formatPath(segments: readonly PropertyKey[], notation: PathNotation): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number" && notation === "bracketed") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out === "" ? "body" : out;
}
