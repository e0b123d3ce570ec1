import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import * as splice from "../../../src/dataplane/model-splice.js";
import { validateModelRequest } from "../../../src/dataplane/request-validation.js";
import type { MemberSpan } from "../../../src/dataplane/top-level-members.js";

// The edits work on a body's bytes; these read them back as text.
const spliceModel = (body: string, model: string, span?: MemberSpan) =>
  splice.spliceModel(Buffer.from(body), model, span).toString("utf8");
const setTopLevelMember = (body: string, key: string, value: string) =>
  splice.setTopLevelMember(Buffer.from(body), key, value).toString("utf8");
const removeTopLevelMember = (body: string, key: string) =>
  splice.removeTopLevelMember(Buffer.from(body), key).toString("utf8");

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
    {
      name: "rewrites a model key spelled with escapes to plain model",
      body: '{"max_tokens":1,"mod\\u0065l" : "claude-opus","x":"\\u0065"}',
      expected: '{"max_tokens":1,"model" : "gpt-4.1","x":"\\u0065"}',
    },
    {
      name: "replaces a model value written with escapes",
      body: '{"model":"claude-\\u006fpus\\\\","stream":false}',
      expected: '{"model":"gpt-4.1","stream":false}',
    },
    {
      name: "replaces a model value that is not a string",
      body: '{"model":{"name":"claude-opus"},"n":1}',
      expected: '{"model":"gpt-4.1","n":1}',
    },
    {
      name: "skips a nested value holding a backslash before its closing quote",
      body: '{"system":[{"text":"C:\\\\"}],"model":"m"}',
      expected: '{"system":[{"text":"C:\\\\"}],"model":"gpt-4.1"}',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(spliceModel(c.body, "gpt-4.1")).toBe(c.expected);
    });
  }

  it("refuses a body with two top-level model keys instead of guessing", () => {
    expect(() => spliceModel('{"model":"claude-x","model":"claude-opus"}', "gpt-4.1")).toThrow(
      InvalidRequestError,
    );
  });

  it("splices at the span validation found, with the same result as a fresh scan", () => {
    const body =
      '{"messages":[{"role":"user","content":"hi"}],"mod\\u0065l":"claude-x","n":12345678901234567890}';
    const { modelSpan } = validateModelRequest(Buffer.from(body), { requireMessages: true });
    expect(spliceModel(body, "gpt-4.1", modelSpan)).toBe(spliceModel(body, "gpt-4.1"));
    expect(spliceModel(body, "gpt-4.1", modelSpan)).toBe(
      '{"messages":[{"role":"user","content":"hi"}],"model":"gpt-4.1","n":12345678901234567890}',
    );
  });

  it("scans again when the span does not belong to the body", () => {
    const { modelSpan } = validateModelRequest(Buffer.from('{"messages":[{"role":"user"}],"model":"a"}'), {
      requireMessages: true,
    });
    expect(spliceModel('{"model":"b"}', "gpt-4.1", modelSpan)).toBe('{"model":"gpt-4.1"}');
  });
});

describe("setTopLevelMember and removeTopLevelMember", () => {
  it.each([
    [
      '{"model":"m","stream":false,"n":12345678901234567890}',
      '{"model":"m","stream":true,"n":12345678901234567890}',
    ],
    ['{"model":"m"}', '{"stream":true,"model":"m"}'],
    ["{ }", '{"stream":true }'],
  ])("sets stream in %s", (body, expected) => {
    expect(setTopLevelMember(body, "stream", "true")).toBe(expected);
  });

  it.each([
    ['{"a":1,"stream_options":{"include_usage":true},"b":2}', '{"a":1,"b":2}'],
    ['{"a":1, "stream_options": {}}', '{"a":1}'],
    ['{"stream_options":{}, "a":1}', '{"a":1}'],
    ['{"a":1}', '{"a":1}'],
  ])("removes stream_options from %s", (body, expected) => {
    expect(removeTopLevelMember(body, "stream_options")).toBe(expected);
    expect(() => JSON.parse(removeTopLevelMember(body, "stream_options"))).not.toThrow();
  });
});
