// The CLI's byte sizes: what parses, what is refused (decimal units among them), and how
// stored values print.
import { describe, expect, it } from "vitest";
import { formatByteSize, parseByteSize } from "../../../src/cli/byte-size.js";

describe("parseByteSize", () => {
  it.each([
    ["4096", 4096],
    ["64KiB", 65_536],
    ["32MiB", 33_554_432],
    ["1GiB", 1_073_741_824],
    ["32 MiB", 33_554_432],
    [" 1024 ", 1024],
  ])("%j is %i bytes", (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(["32MB", "32mib", "1.5MiB", "-1", "KiB", "", "lots", "99999999999GiB"])("%j is refused", (text) => {
    expect(parseByteSize(text)).toBeUndefined();
  });
});

describe("formatByteSize", () => {
  it.each([
    [33_554_432, "32MiB"],
    [65_536, "64KiB"],
    [1_073_741_824, "1GiB"],
    [1536, "1536"],
    [5000, "5000"],
    [1024 * 1024 + 1024, "1025KiB"],
  ])("%i bytes print as %j", (bytes, text) => {
    expect(formatByteSize(bytes)).toBe(text);
  });

  it.each([4096, 65_536, 5000, 33_554_432])("%i bytes parse back from what prints", (bytes) => {
    expect(parseByteSize(formatByteSize(bytes))).toBe(bytes);
  });
});
