// The bench's --baseline flag: it must point at a built checkout, and says what to run when it
// does not.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseOptions } from "../../../bench/options.js";

function builtCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), "parley-baseline-"));
  mkdirSync(join(dir, "dist", "src", "cli"), { recursive: true });
  writeFileSync(join(dir, "dist", "src", "cli", "main.js"), "");
  return dir;
}

describe("bench --baseline", () => {
  it("names the built entry point of the checkout, from the flag or BENCH_BASELINE", () => {
    const dir = builtCheckout();
    const entry = join(dir, "dist", "src", "cli", "main.js");
    expect(parseOptions(["--baseline", dir], {}).baseline).toBe(entry);
    expect(parseOptions([], { BENCH_BASELINE: dir }).baseline).toBe(entry);
    expect(parseOptions([], {}).baseline).toBeUndefined();
  });

  it("refuses a checkout that was not built, naming the flag and what to run", () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-unbuilt-"));
    expect(() => parseOptions(["--baseline", dir], {})).toThrow(/--baseline: .*npm run build/);
  });
});
