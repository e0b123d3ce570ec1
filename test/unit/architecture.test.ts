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
  dataplane: ["core", "schemas", "sse", "translate", "routing", "upstream", "resilience", "dataplane", "gen"],
  control: ["core", "routing", "upstream", "control", "gen"],
  cli: ["core", "cli", "gen", "main.ts"],
  gen: ["gen"],
};

/** Packages only one area may import. */
const OWNED_PACKAGES: Record<string, string> = {
  undici: "upstream",
  "drizzle-orm": "control/db",
  "better-sqlite3": "control/db",
  // Wire validation happens once, at the edge of translation: nobody else builds schemas.
  zod: "schemas",
};

/** The SDKs lend their wire types; their runtime code (HTTP clients) has no place below the edge. */
const TYPE_ONLY_PACKAGES = new Set(["@anthropic-ai/sdk", "openai"]);

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
    ...text.matchAll(
      /(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g,
    ),
  ].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

function areaOf(path: string): string {
  const rel = relative(SRC, path).replace(/\.js$/, ".ts");
  return rel.includes("/") ? rel.split("/")[0]! : rel;
}

function isTypeOnlyImport(text: string, spec: string): boolean {
  const quoted = spec.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`(?:import|export)\\s+type\\s[^;]*from\\s+["']${quoted}["']`).test(text);
}

function packageOf(spec: string): string {
  return spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
}

describe("dependency direction", () => {
  const files = sourceFiles(SRC);

  it("finds the source tree", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it("keeps src/schemas on core alone: zod and SDK types are its only other imports", () => {
    const schemaFiles = files.filter((file) => areaOf(file) === "schemas");
    expect(schemaFiles.length).toBeGreaterThan(0);
    const violations = schemaFiles.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return importsOf(file)
        .filter((spec) => {
          if (spec.startsWith("."))
            return !["core", "schemas"].includes(areaOf(resolve(dirname(file), spec)));
          const pkg = packageOf(spec);
          if (pkg === "zod") return false;
          // Only `import type`/`export type … from "<sdk>"`: erased at build, so no SDK code runs here.
          return !(TYPE_ONLY_PACKAGES.has(pkg) && isTypeOnlyImport(text, spec));
        })
        .map((spec) => `${relative(SRC, file)} → ${spec}`);
    });
    expect(violations).toEqual([]);
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
          const pkg = packageOf(spec);
          const owner = OWNED_PACKAGES[pkg];
          if (owner && !rel.startsWith(`${owner}/`)) violations.push(spec);
          if (area === "translate" && /^(node:)?(http|https|net|fs)$/.test(spec)) violations.push(spec);
        }
      }
      expect(violations).toEqual([]);
    });
  }
});
