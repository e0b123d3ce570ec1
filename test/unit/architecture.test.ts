// The dependency direction of DESIGN/STYLE as a checked rule: each layer may import only
// the layers below it, undici only from upstream/, drizzle only from control/db/.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve("src");

/** Which top-level areas of src/ each area may import. */
const ALLOWED: Record<string, string[]> = {
  core: ["core"],
  schemas: ["core", "schemas"],
  sse: ["core", "schemas", "sse"],
  translate: ["core", "schemas", "sse", "translate"],
  routing: ["core", "routing"],
  upstream: ["core", "routing", "upstream"],
  resilience: ["core", "routing", "upstream", "resilience"],
  dataplane: ["core", "schemas", "sse", "translate", "routing", "upstream", "resilience", "dataplane"],
  control: ["core", "routing", "upstream", "control", "gen"],
  cli: ["core", "cli", "gen", "main.ts"],
  gen: ["gen"],
};

/** Packages only one area may import. */
const OWNED_PACKAGES: Record<string, string> = {
  undici: "upstream",
  "drizzle-orm": "control/db",
  "better-sqlite3": "control/db",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "gen" ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [
    ...text.matchAll(/(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => (m[1] ?? m[2])!);
}

function areaOf(path: string): string {
  const rel = relative(SRC, path).replace(/\.js$/, ".ts");
  return rel.includes("/") ? rel.split("/")[0]! : rel;
}

describe("dependency direction", () => {
  const files = sourceFiles(SRC);

  it("finds the source tree", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  for (const file of files) {
    const area = areaOf(file);
    const rel = relative(SRC, file);
    it(`${rel} imports only what its layer may`, () => {
      const violations: string[] = [];
      for (const spec of importsOf(file)) {
        if (spec.startsWith(".")) {
          const target = areaOf(resolve(dirname(file), spec));
          if (area !== "main.ts" && !(ALLOWED[area] ?? []).includes(target)) violations.push(spec);
          if (target === "control" && area === "dataplane") violations.push(spec);
        } else {
          const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
          const owner = OWNED_PACKAGES[pkg];
          if (owner && !rel.startsWith(`${owner}/`)) violations.push(spec);
          if (area === "translate" && /^(node:)?(http|https|net|fs)$/.test(spec)) violations.push(spec);
        }
      }
      expect(violations).toEqual([]);
    });
  }
});
