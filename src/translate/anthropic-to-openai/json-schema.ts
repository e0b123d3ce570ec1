// Tool input schemas, cleaned for strict OpenAI-compatible backends: `$schema`,
// `propertyNames` and uncommon `format` values are rejected by some of them. The walk
// knows which keywords hold subschemas, so a property that happens to be named "format"
// or a `default` value that contains one is left alone.

/** The `format` values every strict backend accepts. */
const SAFE_FORMATS = new Set(["date-time", "date", "time", "email", "uri", "uuid"]);
const DROPPED_KEYWORDS = new Set(["$schema", "propertyNames"]);
/** Keywords whose value is one subschema. */
const SCHEMA_KEYWORDS = new Set([
  "items",
  "additionalProperties",
  "additionalItems",
  "unevaluatedProperties",
  "unevaluatedItems",
  "contains",
  "not",
  "if",
  "then",
  "else",
]);
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LIST_KEYWORDS = new Set(["anyOf", "oneOf", "allOf", "prefixItems"]);
/** Keywords whose value maps names to subschemas. */
const SCHEMA_MAP_KEYWORDS = new Set([
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function cleanMap(value: unknown): unknown {
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, cleanSchema(schema)]));
}

/** A copy of a JSON schema without the keywords strict backends reject; the rest is kept. */
export function cleanSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(cleanSchema);
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key)) continue;
    if (key === "format" && typeof value === "string" && !SAFE_FORMATS.has(value)) continue;
    if (SCHEMA_KEYWORDS.has(key)) out[key] = cleanSchema(value);
    else if (SCHEMA_LIST_KEYWORDS.has(key)) out[key] = Array.isArray(value) ? value.map(cleanSchema) : value;
    else if (SCHEMA_MAP_KEYWORDS.has(key)) out[key] = cleanMap(value);
    else out[key] = value;
  }
  return out;
}

/** The `parameters` of a function: a cleaned object schema, with `properties` always present. */
export function toolParameters(inputSchema: unknown): Record<string, unknown> {
  const cleaned = cleanSchema(inputSchema);
  const schema: Record<string, unknown> = isObject(cleaned) ? cleaned : {};
  // Some backends reject an object schema without `properties`; Anthropic allows it.
  if ((schema.type ?? "object") === "object" && schema.properties === undefined) {
    return { type: "object", ...schema, properties: {} };
  }
  return schema;
}
