import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/core/errors.js";
import { validateModelRequest } from "../../../src/dataplane/request-validation.js";

const MESSAGES = '"messages":[{"role":"user","content":"hi"}]';

/** The error `validateModelRequest` throws for `raw`. */
function refusal(raw: string): InvalidRequestError {
  try {
    validateModelRequest(raw, { requireMessages: true });
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
    const validated = validateModelRequest(raw, { requireMessages: true });
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
