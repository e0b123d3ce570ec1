// Client keys on the data plane: either header, every configured key, and a key accepted
// once (then looked up without hashing) never lets a different key through.
import { describe, expect, it } from "vitest";
import { ClientAuth } from "../../../src/dataplane/auth.js";

describe("ClientAuth", () => {
  const auth = new ClientAuth(["key-one-1234", "key-two-5678"]);

  it("accepts each configured key, as x-api-key or a bearer token, again and again", () => {
    for (let i = 0; i < 3; i++) {
      expect(auth.allows({ "x-api-key": "key-one-1234" })).toBe(true);
      expect(auth.allows({ authorization: "Bearer key-two-5678" })).toBe(true);
    }
  });

  it("refuses other keys after accepting one, prefixes and case changes included", () => {
    expect(auth.allows({ "x-api-key": "key-one-1234" })).toBe(true);
    for (const wrong of ["key-one-123", "key-one-12345", "KEY-ONE-1234", "", "key-two-5678 x"]) {
      expect(auth.allows({ "x-api-key": wrong })).toBe(false);
    }
    expect(auth.allows({})).toBe(false);
  });

  it("lets everything through when no key is configured", () => {
    expect(new ClientAuth([]).allows({})).toBe(true);
  });
});
