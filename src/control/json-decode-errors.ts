// Finds where a Connect JSON request fails to decode, so the error can name the field
// (`provider.health_check_interval: …`) instead of repeating protobuf-es's own message,
// which names a type (`google.protobuf.Duration`) or nothing at all ("Invalid count value:
// -1" for a duration with ten decimals). Durations are also held to the JSON mapping's
// exact form, which protobuf-es only checks the start of (it accepts "30sec" as 30 s).
import {
  type DescField,
  type DescMessage,
  fromJson,
  type JsonObject,
  type JsonValue,
} from "@bufbuild/protobuf";
import { DurationSchema } from "@bufbuild/protobuf/wkt";

/** The field a request fails to decode at (proto names, as `invalidArgument` takes them) and why. */
export interface JsonDecodeProblem {
  field: string;
  reason: string;
}

/** The JSON mapping of a Duration: seconds with up to 9 decimals and an `s`. */
const DURATION = /^-?(\d+)(?:\.\d{1,9})?s$/;
/** The Duration range of the JSON mapping (±10,000 years). */
const MAX_DURATION_SECONDS = 315_576_000_000;
/** Fields whose values may be credentials: an error about them never quotes the value. */
const SECRET_FIELDS = new Set(["api_key", "headers"]);

const isObject = (json: JsonValue): json is JsonObject =>
  typeof json === "object" && json !== null && !Array.isArray(json);

function durationProblem(json: JsonValue, field: string): JsonDecodeProblem | undefined {
  const match = typeof json === "string" ? DURATION.exec(json) : null;
  if (match !== null && Number(match[1]) <= MAX_DURATION_SECONDS) return undefined;
  return {
    field,
    reason: `${JSON.stringify(json)} is not a duration: write seconds with an "s" suffix and at most 9 decimals, e.g. "30s" or "0.5s"`,
  };
}

/** What protobuf-es says about one field, without its prefix naming the type. */
function decodeProblem(
  parent: DescMessage,
  desc: DescField,
  key: string,
  json: JsonValue,
  field: string,
): JsonDecodeProblem | undefined {
  try {
    fromJson(parent, { [key]: json });
    return undefined;
  } catch (error) {
    // protobuf-es quotes the value ("expected string, got 1234…"), which may be a key.
    if (SECRET_FIELDS.has(desc.name)) {
      const expected = desc.fieldKind === "map" ? "an object of strings" : "a string";
      return { field, reason: `must be ${expected} (the value is not repeated: it may be a secret)` };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { field, reason: message.replace(/^cannot decode (?:message|field) \S+ from JSON: /, "") };
  }
}

/** A problem inside one value of a message type (a field's value, or a list or map entry). */
function messageValueProblem(message: DescMessage, json: JsonValue, field: string) {
  if (message.typeName === DurationSchema.typeName) return durationProblem(json, field);
  // Other well-known types have their own JSON forms; decodeProblem on the parent covers them.
  if (message.typeName.startsWith("google.protobuf.")) return undefined;
  return messageProblem(message, json, field);
}

function entriesProblem(
  message: DescMessage,
  entries: [string, JsonValue][],
  field: string,
): JsonDecodeProblem | undefined {
  for (const [at, json] of entries) {
    const problem = messageValueProblem(message, json, `${field}[${at}]`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function fieldProblem(parent: DescMessage, desc: DescField, key: string, json: JsonValue, field: string) {
  let deeper: JsonDecodeProblem | undefined;
  if (desc.fieldKind === "message") deeper = messageValueProblem(desc.message, json, field);
  else if (desc.fieldKind === "list" && desc.listKind === "message" && Array.isArray(json)) {
    deeper = entriesProblem(
      desc.message,
      json.map((item, i) => [String(i), item]),
      field,
    );
  } else if (desc.fieldKind === "map" && desc.mapKind === "message" && isObject(json)) {
    deeper = entriesProblem(
      desc.message,
      Object.entries(json).map(([name, value]) => [JSON.stringify(name), value]),
      field,
    );
  }
  return deeper ?? decodeProblem(parent, desc, key, json, field);
}

function messageProblem(schema: DescMessage, json: JsonValue, path: string): JsonDecodeProblem | undefined {
  // Not an object: the caller's own decode of this field reports it.
  if (!isObject(json)) return undefined;
  for (const [key, value] of Object.entries(json)) {
    const desc = schema.fields.find((f) => f.jsonName === key || f.name === key);
    // Unknown keys are reported by the decode of the enclosing field; null means unset.
    if (desc === undefined || value === null) continue;
    const problem = fieldProblem(schema, desc, key, value, path === "" ? desc.name : `${path}.${desc.name}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * The first field of a JSON request that does not decode as `schema` (or holds a duration
 * in anything but its exact JSON form); undefined when the request decodes.
 */
export function findJsonDecodeProblem(schema: DescMessage, json: JsonValue): JsonDecodeProblem | undefined {
  return messageProblem(schema, json, "");
}
