// How deeply a parsed JSON body nests, measured with an explicit stack: a body nested
// thousands of levels deep must be refused before anything recursive (the schema parse,
// tool-schema cleaning, JSON.stringify of the upstream body) walks it and overflows.

/**
 * The deepest nesting of objects and arrays a translated request may have (the body
 * itself is level 1). A real Claude Code request nests 10 levels, its tool schemas 8,
 * and hand-written schemas stay under 20 schema levels (about 40 JSON levels with their
 * `properties` maps); 128 leaves three times that, is the default limit of common JSON
 * parsers such as Rust's serde_json, and keeps every recursive walk far from the stack limit.
 */
export const MAX_JSON_DEPTH = 128;

/** Whether `value` nests objects and arrays deeper than `maxDepth` levels. */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  // Two parallel stacks with a manual top: no frame object is allocated per node and
  // slots are reused as the walk goes (a few microseconds per 100 KB of request).
  const nodes: unknown[] = [value];
  const depths: number[] = [1];
  let top = 1;
  while (top > 0) {
    top--;
    const node = nodes[top];
    const depth = depths[top] ?? 0;
    if (typeof node !== "object" || node === null) continue;
    if (depth > maxDepth) return true;
    // Arrays by index: for…in would make a string key of every index.
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (typeof child !== "object" || child === null) continue;
        nodes[top] = child;
        depths[top++] = depth + 1;
      }
    } else {
      for (const key in node) {
        const child: unknown = (node as Record<string, unknown>)[key];
        if (typeof child !== "object" || child === null) continue;
        nodes[top] = child;
        depths[top++] = depth + 1;
      }
    }
  }
  return false;
}

/** One object or array met by the walk, linked to its parent so its path can be rebuilt. */
interface Frame {
  node: unknown;
  depth: number;
  key: string | number;
  parent: Frame | undefined;
}

/** The path (keys and indices) to the first object or array nested deeper than `maxDepth`. */
export function pathBeyondDepth(value: unknown, maxDepth: number): Array<string | number> | undefined {
  // Parent links are built only on this slow path, once a body is known to be too deep.
  const stack: Frame[] = [{ node: value, depth: 1, key: "", parent: undefined }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    if (frame.depth > maxDepth) return pathOf(frame);
    const node = frame.node as Record<string, unknown>;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const key of keys.reverse()) {
      const child = node[key];
      if (typeof child === "object" && child !== null) {
        stack.push({ node: child, depth: frame.depth + 1, key, parent: frame });
      }
    }
  }
  return undefined;
}

function pathOf(frame: Frame): Array<string | number> {
  const path: Array<string | number> = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) path.push(f.key);
  return path.reverse();
}
