// Finds the package root from any module, so files shipped beside the code (migrations)
// are found the same way from `src/` under the test runner and from `dist/` in production.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The nearest folder above this module that holds a package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("package.json not found above the running module");
    dir = parent;
  }
  return dir;
}
