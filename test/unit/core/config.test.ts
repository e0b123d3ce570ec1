import { describe, expect, it } from "vitest";
import { ConfigError, isLoopback, loadConfig } from "../../../src/core/config.js";

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: "127.0.0.1",
      port: 8080,
      adminPort: 8081,
      dbPath: "./parley.db",
      clientKeys: [],
    });
    expect(c.timeouts).toEqual({
      connectMs: 10_000,
      headersMs: 300_000,
      idleMs: 300_000,
      requestMs: 600_000,
    });
  });

  it("reads durations in seconds with decimals", () => {
    expect(loadConfig({ PARLEY_HEADERS_TIMEOUT: "2.5" }).timeouts.headersMs).toBe(2500);
  });

  it("splits client keys and drops blanks", () => {
    expect(loadConfig({ PARLEY_CLIENT_KEYS: "a, b,,c" }).clientKeys).toEqual(["a", "b", "c"]);
  });

  const bad: Array<[string, string]> = [
    ["PORT", "http"],
    ["PORT", "70000"],
    ["PARLEY_HEADERS_TIMEOUT", "-1"],
    ["PARLEY_IDLE_TIMEOUT", "5m"],
    ["PARLEY_REQUEST_TIMEOUT", "3000000"],
    ["PARLEY_ALLOW_UNAUTHENTICATED", "maybe"],
  ];
  for (const [name, value] of bad) {
    it(`names ${name} when it is "${value}"`, () => {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(name);
    });
  }
});

describe("isLoopback", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["localhost", true],
    ["::1", true],
    ["0.0.0.0", false],
    ["10.0.0.5", false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});
