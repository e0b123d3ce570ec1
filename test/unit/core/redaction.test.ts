import { describe, expect, it } from "vitest";
import { isSecretHeaderName, Redactor } from "../../../src/core/redaction.js";

const KEY = "sk-live-0123456789";

function streamed(redactor: Redactor, parts: string[]): string {
  const stream = redactor.stream();
  const out = parts.map((p) => stream.push(Buffer.from(p)).toString());
  return out.join("") + stream.end().toString();
}

describe("Redactor", () => {
  it("replaces every occurrence of every secret, longest first", () => {
    const r = new Redactor([KEY, `${KEY}-longer`, null, ""]);
    expect(r.text(`a ${KEY}-longer b ${KEY} c`)).toBe("a [redacted] b [redacted] c");
  });

  it("ignores secrets too short to tell from ordinary text", () => {
    const r = new Redactor(["abc"]);
    expect(r.active).toBe(false);
    expect(r.text("abc")).toBe("abc");
  });

  it.each([
    ["split in the middle", ["data: Bearer sk-live-01", "23456789 ok\n\n"]],
    ["split one byte in", ["data: s", "k-live-0123456789\n\n"]],
    ["split over three chunks", ["x sk-li", "ve-0123", "456789 y"]],
    ["split before the last byte", ["sk-live-012345678", "9"]],
  ])("finds a secret %s across chunks", (_name, parts) => {
    const out = streamed(new Redactor([KEY]), parts);
    expect(out).not.toContain(KEY);
    expect(out).toContain("[redacted]");
    expect(out.replace("[redacted]", KEY)).toBe(parts.join(""));
  });

  it("holds back a tail that only looks like a secret's start, then releases it unchanged", () => {
    const stream = new Redactor([KEY]).stream();
    expect(stream.push(Buffer.from("abc sk-li")).toString()).toBe("abc ");
    expect(stream.push(Buffer.from("ne\n\n")).toString()).toBe("sk-line\n\n");
    expect(stream.end().length).toBe(0);
  });

  it("passes a chunk without secrets through as the same buffer", () => {
    const chunk = Buffer.from("data: {}\n\n");
    expect(new Redactor([KEY]).stream().push(chunk)).toBe(chunk);
    expect(Redactor.none.stream().push(chunk)).toBe(chunk);
  });
});

describe("isSecretHeaderName", () => {
  it.each(["api-key", "X-Api-Key", "x-auth-token", "openai-secret", "authorization", "x-goog-api-key"])(
    "%s carries a credential",
    (name) => expect(isSecretHeaderName(name)).toBe(true),
  );
  it.each(["http-referer", "x-title", "openai-organization", "anthropic-beta"])("%s does not", (name) =>
    expect(isSecretHeaderName(name)).toBe(false),
  );
});

describe("Redactor.bytes", () => {
  const redactor = new Redactor(["sk-provider-secret-1"]);

  it("returns the very buffer when no secret is in it", () => {
    const clean = Buffer.from('{"ok":true}');
    expect(redactor.bytes(clean)).toBe(clean);
  });

  it("replaces every occurrence, multi-byte text around it kept", () => {
    const dirty = Buffer.from('{"e":"é sk-provider-secret-1 and sk-provider-secret-1"}');
    expect(redactor.bytes(dirty).toString()).toBe('{"e":"é [redacted] and [redacted]"}');
  });
});
