import { describe, expect, it } from "vitest";
import { spliceModel } from "../../../src/dataplane/model-splice.js";

describe("spliceModel", () => {
  const cases: Array<{ name: string; body: string; expected: string }> = [
    {
      name: "replaces the top-level model and keeps every other byte",
      body: '{"model":"claude-x","max_tokens":12345678901234567890,"messages":[]}',
      expected: '{"model":"gpt-4.1","max_tokens":12345678901234567890,"messages":[]}',
    },
    {
      name: "ignores a nested model key that comes first",
      body: '{"metadata":{"model":"inner"},  "model" : "outer", "x": 1.50}',
      expected: '{"metadata":{"model":"inner"},  "model" : "gpt-4.1", "x": 1.50}',
    },
    {
      name: "ignores a model string inside a value",
      body: '{"messages":[{"content":"\\"model\\": \\"no\\""}],"model":"m"}',
      expected: '{"messages":[{"content":"\\"model\\": \\"no\\""}],"model":"gpt-4.1"}',
    },
    {
      name: "handles escaped quotes in the old model name",
      body: '{"model":"we\\"ird","stream":true}',
      expected: '{"model":"gpt-4.1","stream":true}',
    },
    {
      name: "leaves a body without a model unchanged",
      body: '{"messages":[{"model":"x"}]}',
      expected: '{"messages":[{"model":"x"}]}',
    },
    {
      name: "keeps multi-byte text and whitespace intact",
      body: '{\n  "messages": [{"content": "héllo 🌍"}],\n  "model": "a"\n}',
      expected: '{\n  "messages": [{"content": "héllo 🌍"}],\n  "model": "gpt-4.1"\n}',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(spliceModel(c.body, "gpt-4.1")).toBe(c.expected);
    });
  }
});
