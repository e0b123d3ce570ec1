// OpenAI `response_format` → an instruction appended to Anthropic's system prompt.
// Anthropic's native structured output (`output_config.format`) exists only on some
// models and accepts a narrower JSON Schema dialect, so a request that works with one
// mapped model would fail with another; an instruction works with every Claude model,
// and Claude follows it reliably. The trade-off: the output is asked for, not enforced.

/** The `response_format` of an OpenAI request, typed loosely. */
interface LooseResponseFormat {
  type?: unknown;
  json_schema?: { name?: unknown; description?: unknown; schema?: unknown };
}

const JSON_ONLY = "Reply with JSON only: no prose before or after it and no Markdown code fences.";

/** The system instruction a `response_format` asks for, or undefined for plain text. */
export function responseFormatInstruction(format: unknown): string | undefined {
  if (typeof format !== "object" || format === null) return undefined;
  const f = format as LooseResponseFormat;
  if (f.type === "json_object") return `Your entire reply must be one valid JSON object. ${JSON_ONLY}`;
  if (f.type !== "json_schema") return undefined;
  const spec = f.json_schema ?? {};
  const name = typeof spec.name === "string" ? ` "${spec.name}"` : "";
  const description = typeof spec.description === "string" ? ` (${spec.description})` : "";
  const schema = spec.schema === undefined ? "" : `\n\n${JSON.stringify(spec.schema, null, 2)}`;
  return `Your entire reply must be one JSON value that conforms to the JSON schema${name}${description} below. ${JSON_ONLY}${schema}`;
}
