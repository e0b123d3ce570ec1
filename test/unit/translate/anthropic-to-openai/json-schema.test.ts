import { describe, expect, it } from "vitest";
import { cleanSchema, toolParameters } from "../../../../src/translate/anthropic-to-openai/json-schema.js";

describe("tool schema cleaning", () => {
  it.each<[string, unknown, unknown]>([
    [
      "$schema at the top",
      { $schema: "http://json-schema.org/draft-07/schema#", type: "string" },
      { type: "string" },
    ],
    [
      "$schema and propertyNames deep inside properties, items, anyOf and $defs",
      {
        type: "object",
        properties: {
          tags: { type: "array", items: { $schema: "x", type: "object", propertyNames: { pattern: "^a" } } },
          either: { anyOf: [{ $schema: "x", type: "string" }, { type: "null" }] },
        },
        $defs: { thing: { $schema: "x", type: "object", propertyNames: { maxLength: 3 } } },
      },
      {
        type: "object",
        properties: {
          tags: { type: "array", items: { type: "object" } },
          either: { anyOf: [{ type: "string" }, { type: "null" }] },
        },
        $defs: { thing: { type: "object" } },
      },
    ],
    ...["date-time", "date", "time", "email", "uri", "uuid"].map((format): [string, unknown, unknown] => [
      `the common format ${format} is kept`,
      { type: "string", format },
      { type: "string", format },
    ]),
    ...["regex", "uri-reference", "hostname", "ipv4", "int64"].map((format): [string, unknown, unknown] => [
      `the format ${format} is stripped`,
      { type: "string", format, minLength: 1 },
      { type: "string", minLength: 1 },
    ]),
    [
      "a property named format or $schema is a property, not a keyword",
      {
        type: "object",
        properties: { format: { type: "string" }, $schema: { type: "string" } },
        required: ["format"],
      },
      {
        type: "object",
        properties: { format: { type: "string" }, $schema: { type: "string" } },
        required: ["format"],
      },
    ],
    [
      "values inside default, enum and const are data",
      { type: "object", default: { format: "regex", $schema: "x" }, enum: [{ propertyNames: 1 }] },
      { type: "object", default: { format: "regex", $schema: "x" }, enum: [{ propertyNames: 1 }] },
    ],
    [
      "additionalProperties, not and if/then/else are cleaned",
      {
        additionalProperties: { $schema: "x", type: "string", format: "byte" },
        not: { format: "ipv6" },
        if: { format: "email" },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword
        then: { propertyNames: {} },
        else: { type: "number" },
      },
      {
        additionalProperties: { type: "string" },
        not: {},
        if: { format: "email" },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword
        then: {},
        else: { type: "number" },
      },
    ],
  ])("%s", (_name, input, expected) => {
    const before = structuredClone(input);
    expect(cleanSchema(input)).toEqual(expected);
    expect(input).toEqual(before);
  });
});

describe("function parameters", () => {
  it.each([
    [
      "an object schema without properties gets an empty one",
      { type: "object" },
      { type: "object", properties: {} },
    ],
    ["a missing schema becomes an empty object schema", undefined, { type: "object", properties: {} }],
    [
      "a full schema is kept",
      { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
      { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
    ],
  ])("%s", (_name, input, expected) => {
    expect(toolParameters(input)).toEqual(expected);
  });
});
