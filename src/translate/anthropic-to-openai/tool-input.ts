// A complete OpenAI `arguments` string → an Anthropic `input` object. Anthropic requires
// an object; empty, broken or non-object arguments become `{}` (edge 3).

/** The tool input for a complete arguments string. */
export function toolInput(args: string | null | undefined): Record<string, unknown> {
  if (!args || args.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
