import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { validateModelRequest } from "../../../src/dataplane/request-validation.js";

const MESSAGES = '"messages":[{"role":"user","content":"hi"}]';

/** The error `validateModelRequest` throws for `raw`. */
function refusal(raw: string): InvalidRequestError {
  try {
    validateModelRequest(Buffer.from(raw), { requireMessages: true });
  } catch (error) {
    return error as InvalidRequestError;
  }
  throw new Error(`expected ${raw} to be refused`);
}

describe("validateModelRequest", () => {
  const duplicates: Array<{ name: string; raw: string; key: string }> = [
    { name: "model twice", raw: `{"model":"claude-x",${MESSAGES},"model":"claude-opus"}`, key: "model" },
    {
      name: "model twice, once escaped",
      raw: `{"model":"claude-x","mod\\u0065l":"o",${MESSAGES}}`,
      key: "model",
    },
    { name: "stream twice", raw: `{"model":"m","stream":false,${MESSAGES},"stream":true}`, key: "stream" },
    { name: "messages twice", raw: `{"model":"m",${MESSAGES},${MESSAGES}}`, key: "messages" },
  ];
  for (const d of duplicates) {
    it(`refuses ${d.name} with a 400 naming the key`, () => {
      const error = refusal(d.raw);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.status).toBe(400);
      expect(error.param).toBe(d.key);
      expect(error.message).toContain(`"${d.key}" twice`);
    });
  }

  it("routes on a model key spelled with escapes and reports its span", () => {
    const raw = `{${MESSAGES},"mod\\u0065l":"claude-x"}`;
    const validated = validateModelRequest(Buffer.from(raw), { requireMessages: true });
    expect(validated.model).toBe("claude-x");
    const { keyStart, keyEnd, keyEscaped, valueStart, valueEnd } = validated.modelSpan;
    expect(raw.slice(keyStart, keyEnd)).toBe('"mod\\u0065l"');
    expect(keyEscaped).toBe(true);
    expect(raw.slice(valueStart, valueEnd)).toBe('"claude-x"');
  });

  it("still reports invalid JSON before looking at keys", () => {
    expect(refusal('{"model":"a","model":').message).toContain("not valid JSON");
  });

  it("still requires a string model", () => {
    expect(refusal(`{"model":7,${MESSAGES}}`).param).toBe("model");
  });
});

describe("validateModelRequest without parsing", () => {
  it.each([
    ["truncated", '{"model":"m",'],
    ["garbage after the object", `{"model":"m",${MESSAGES}}x`],
    ["a second object after it", `{"model":"m",${MESSAGES}}{}`],
    ["an unterminated string", `{"model":"m",${MESSAGES},"x":"abc}`],
    ["a messages array left open", '{"model":"m","messages":[{"role":"user","content":"hi"}'],
    ["empty", ""],
    ["a byte-order mark", `\uFEFF{"model":"m",${MESSAGES}}`],
  ])("refuses %s as not valid JSON", (_name, raw) => {
    expect(refusal(raw).message).toMatch(/^the request body is not valid JSON/);
  });

  it("says a JSON array is not an object", () => {
    expect(refusal(`[{"model":"m",${MESSAGES}}]`).message).toBe("the request body must be a JSON object");
  });

  it.each([
    ["a number", "[1]", "messages[0]"],
    ["a message without a role", '[{"content":"hi"}]', "messages[0]"],
    ["a numeric role", '[{"role":"user"},{"role":7}]', "messages[1]"],
    ["an empty array", "[]", "messages"],
    ["a string", '"hi"', "messages"],
  ])("names the messages problem: %s", (_name, messages, param) => {
    expect(refusal(`{"model":"m","messages":${messages}}`).param).toBe(param);
  });

  it("counts messages against the limit", () => {
    const raw = `{"model":"m","messages":[${Array.from({ length: 4 }, () => '{"role":"user"}').join(",")}]}`;
    expect(() => validateModelRequest(Buffer.from(raw), { requireMessages: true, maxMessages: 3 })).toThrow(
      /has 4 entries; at most 3/,
    );
    expect(
      validateModelRequest(Buffer.from(raw), { requireMessages: true, maxMessages: 4 }).conversationLength,
    ).toBe(4);
  });

  it("reads stream as a literal and refuses anything else", () => {
    const body = (stream: string) => Buffer.from(`{"model":"m",${MESSAGES},"stream":${stream}}`);
    expect(validateModelRequest(body("true"), { requireMessages: true }).stream).toBe(true);
    expect(validateModelRequest(body("false"), { requireMessages: true }).stream).toBe(false);
    expect(() => validateModelRequest(body('"true"'), { requireMessages: true })).toThrow(
      /`stream` must be true or false/,
    );
  });

  it("decodes a non-ASCII model from its UTF-8 bytes", () => {
    const validated = validateModelRequest(Buffer.from(`{"model":"modèle-€",${MESSAGES}}`), {
      requireMessages: true,
    });
    expect(validated.model).toBe("modèle-€");
  });

  it("refuses a duplicate key written once in UTF-8 and once escaped", () => {
    const error = refusal(`{"model":"m",${MESSAGES},"é":1,"\\u00e9":2}`);
    expect(error.message).toContain('"é" twice');
  });

  it("counts Responses input items, and a string input as one", () => {
    const items = validateModelRequest(
      Buffer.from('{"model":"m","input":[{"role":"user","content":"a"},{"type":"x"}]}'),
      {
        requireMessages: false,
      },
    );
    expect(items.conversationLength).toBe(2);
    const text = validateModelRequest(Buffer.from('{"model":"m","input":"hello"}'), {
      requireMessages: false,
    });
    expect(text.conversationLength).toBe(1);
  });

  it("leaves the body unparsed until something reads it", () => {
    const validated = validateModelRequest(Buffer.from(`{"model":"m",${MESSAGES},"x":[1,,2]}`), {
      requireMessages: true,
    });
    expect(() => validated.body.parsed).toThrow(/not valid JSON/);
  });
});
