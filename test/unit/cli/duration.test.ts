// The CLI's human durations: what parses, what is refused, and how stored values print.
import { describe, expect, it } from "vitest";
import { formatMs, parseDurationMs } from "../../../src/cli/duration.js";

describe("parseDurationMs", () => {
  it.each([
    ["30s", 30_000],
    ["1.5s", 1_500],
    ["500ms", 500],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["1h30m", 5_400_000],
    ["0", 0],
    [" 10s ", 10_000],
  ])("%j is %i ms", (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(["10", "s", "1.0005s", "-1s", "1d", "1.5", "ten seconds", ""])("%j is refused", (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });
});

describe("formatMs", () => {
  it.each([
    [30_000, "30s"],
    [1_500, "1.5s"],
    [250, "250ms"],
    [120_000, "2m"],
    [90_000, "1m30s"],
    [3_600_000, "1h"],
    [0, "0"],
  ])("%i ms prints as %j and parses back", (ms, text) => {
    expect(formatMs(ms)).toBe(text);
    expect(parseDurationMs(text)).toBe(ms);
  });
});
