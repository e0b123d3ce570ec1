// JSON values plus the two things JSON.stringify cannot write: raw literals (1e308,
// 12345678901234567890123, -0, invalid UTF-8 inside a string, 10,000 levels of nesting)
// and objects with repeated keys. Fuzz cases are trees of these, mutated by path.

/** Bytes written verbatim where a value goes; built on demand so huge ones cost nothing until sent. */
export class RawJson {
  constructor(
    readonly label: string,
    readonly bytes: () => Buffer,
  ) {}
}

/** An object written entry by entry, so a key can appear twice. */
export class DuplicateKeys {
  constructor(readonly entries: ReadonlyArray<readonly [string, Tree]>) {}
}

/** A JSON value a fuzz case can contain. */
export type Tree =
  | null
  | boolean
  | number
  | string
  | RawJson
  | DuplicateKeys
  | Tree[]
  | { [key: string]: Tree };

/** A step into a tree: an object key or an array index. */
export type PathStep = string | number;

/** One node of a tree and how to reach it. */
export interface TreeNode {
  path: PathStep[];
  value: Tree;
}

/** Whether a value is a plain object node (not an array, raw literal or duplicate-key object). */
export function isObjectNode(value: Tree): value is { [key: string]: Tree } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof RawJson) &&
    !(value instanceof DuplicateKeys)
  );
}

/** Every node in pre-order, the root first; raw literals and duplicate-key objects are leaves. */
export function nodesOf(tree: Tree): TreeNode[] {
  const out: TreeNode[] = [];
  const stack: TreeNode[] = [{ path: [], value: tree }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(node);
    const children: TreeNode[] = Array.isArray(node.value)
      ? node.value.map((value, i) => ({ path: [...node.path, i], value }))
      : isObjectNode(node.value)
        ? Object.entries(node.value).map(([key, value]) => ({ path: [...node.path, key], value }))
        : [];
    stack.push(...children.reverse());
  }
  return out;
}

/** A copy of `tree` with the node at `path` replaced (`undefined` removes it); the original is untouched. */
export function replaceAt(tree: Tree, path: readonly PathStep[], value: Tree | undefined): Tree | undefined {
  if (path.length === 0) return value;
  const [step, ...rest] = path;
  if (Array.isArray(tree) && typeof step === "number") {
    const copy = [...tree];
    const child = replaceAt(copy[step]!, rest, value);
    if (child === undefined) copy.splice(step, 1);
    else copy[step] = child;
    return copy;
  }
  if (isObjectNode(tree) && typeof step === "string") {
    const copy = { ...tree };
    const child = replaceAt(copy[step]!, rest, value);
    if (child === undefined) delete copy[step];
    else copy[step] = child;
    return copy;
  }
  return tree;
}

/** `messages[0].content[1].text`, or `(root)`. */
export function pathText(path: readonly PathStep[]): string {
  if (path.length === 0) return "(root)";
  return path
    .map((step, i) => (typeof step === "number" ? `[${step}]` : i === 0 ? step : `.${step}`))
    .join("");
}

/** The body bytes of a tree. */
export function encodeTree(tree: Tree): Buffer {
  const parts: Buffer[] = [];
  write(tree, parts);
  return Buffer.concat(parts);
}

function write(value: Tree, parts: Buffer[]): void {
  if (value instanceof RawJson) {
    parts.push(value.bytes());
  } else if (value instanceof DuplicateKeys) {
    writeEntries(value.entries, parts);
  } else if (Array.isArray(value)) {
    parts.push(Buffer.from("["));
    value.forEach((item, i) => {
      if (i > 0) parts.push(Buffer.from(","));
      write(item, parts);
    });
    parts.push(Buffer.from("]"));
  } else if (isObjectNode(value)) {
    writeEntries(Object.entries(value), parts);
  } else {
    parts.push(Buffer.from(JSON.stringify(value)));
  }
}

function writeEntries(entries: ReadonlyArray<readonly [string, Tree]>, parts: Buffer[]): void {
  parts.push(Buffer.from("{"));
  entries.forEach(([key, item], i) => {
    parts.push(Buffer.from(`${i > 0 ? "," : ""}${JSON.stringify(key)}:`));
    write(item, parts);
  });
  parts.push(Buffer.from("}"));
}

/** A short human-readable rendering of a replacement value, for case descriptions. */
export function describeValue(value: Tree): string {
  if (value instanceof RawJson) return value.label;
  if (value instanceof DuplicateKeys) return "{…duplicate keys}";
  if (typeof value === "string" && value.length > 40)
    return `"${value.slice(0, 20)}…" (${value.length} chars)`;
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
