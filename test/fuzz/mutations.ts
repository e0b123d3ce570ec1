// How a valid request is broken: a node replaced by a value of another type (or a huge,
// deep, raw or invalid-UTF-8 one), a null pushed into an array, a key repeated, a field
// removed. Nodes are picked by index into the pre-order node list, so shrinking an index
// walks the mutation towards the root.
import fc from "fast-check";
import {
  DuplicateKeys,
  describeValue,
  isObjectNode,
  nodesOf,
  pathText,
  RawJson,
  replaceAt,
  type Tree,
  type TreeNode,
} from "./json-tree.js";

/** One change to a request tree. */
export type Mutation =
  | { kind: "replace"; at: number; value: Tree }
  | { kind: "insert-null"; at: number; position: number }
  | { kind: "duplicate-key"; at: number; key: number; value: Tree }
  | { kind: "delete"; at: number };

/** A literal written byte for byte; `label` is how it reads in a case description. */
function raw(text: string, label = text): RawJson {
  return new RawJson(label, () => Buffer.from(text));
}

/** Byte sequences that are not UTF-8: a stray continuation byte, a lone lead byte, an overlong slash, a UTF-16 surrogate, 0xFF. */
const INVALID_UTF8: readonly number[][] = [[0x80], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff, 0xfe]];

/** A JSON string whose bytes are not valid UTF-8. */
export const invalidUtf8String: fc.Arbitrary<Tree> = fc
  .constantFrom(...INVALID_UTF8)
  .map(
    (bytes) =>
      new RawJson(`"a<${bytes.map((b) => b.toString(16)).join(" ")}>b"`, () =>
        Buffer.concat([Buffer.from('"a'), Buffer.from(bytes), Buffer.from('b"')]),
      ),
  );

/** Arrays or objects nested `depth` levels deep, up to 10,000. */
const deepNesting: fc.Arbitrary<Tree> = fc
  .tuple(
    fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1_000, max: 10_000 })),
    fc.constantFrom("array", "object"),
  )
  .map(
    ([depth, shape]) =>
      new RawJson(`${depth} nested ${shape}s`, () =>
        Buffer.from(
          shape === "array"
            ? "[".repeat(depth) + "]".repeat(depth)
            : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
        ),
      ),
  );

/** A string of 64 KiB to 2 MiB, built only when sent. */
const hugeString: fc.Arbitrary<Tree> = fc
  .integer({ min: 64 * 1024, max: 2 * 1024 * 1024 })
  .map((length) => new RawJson(`"x…" (${length} chars)`, () => Buffer.from(`"${"x".repeat(length)}"`)));

/** Values of every JSON type, and the edge cases of each. */
export const weirdValue: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.constantFrom(0, -1, 1.5, 4096, 2 ** 53 + 2) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      raw("1e308"),
      raw("12345678901234567890123"),
      raw("-0"),
      raw("-1e309"),
      raw("1e-400"),
      raw("9".repeat(400), "a 400-digit integer"),
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom("", "x", "\u0000", "\ud800", "user", "text", "image") },
  { weight: 3, arbitrary: fc.constantFrom<Tree>([], [null], [1, "a"], [[]], [{}]) },
  { weight: 3, arbitrary: fc.constantFrom<Tree>({}, { type: null }, { type: "text" }, { role: "user" }) },
  { weight: 1, arbitrary: invalidUtf8String },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: hugeString },
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: weirdValue }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("insert-null" as const), at: fc.nat(), position: fc.nat() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("duplicate-key" as const),
      // Half of them at the top level, where "model", "stream" and "messages" live.
      at: fc.oneof(fc.constant(0), fc.nat()),
      key: fc.nat(),
      // Models that route like the first one but are not what the mapping sends upstream:
      // the one the server routes by must be the one the upstream reads.
      value: fc.oneof(
        weirdValue,
        fc.constantFrom<Tree>("gpt-4o", "claude-opus-4-1", "an-other", true, false),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }) },
);

/** Zero to three mutations; about one case in seven stays valid. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Mutation[]>([]) },
  { weight: 4, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.array(mutationArb, { minLength: 2, maxLength: 3 }) },
);

/** A tree with one mutation applied, and what was done (or why nothing was). */
export interface Applied {
  tree: Tree;
  description: string;
}

function pick(nodes: TreeNode[], at: number): TreeNode | undefined {
  return nodes.length === 0 ? undefined : nodes[at % nodes.length];
}

/** Applies one mutation to a copy of the tree. */
export function applyMutation(tree: Tree, mutation: Mutation): Applied {
  const nodes = nodesOf(tree);
  switch (mutation.kind) {
    case "replace": {
      const node = pick(nodes, mutation.at)!;
      return {
        tree: replaceAt(tree, node.path, mutation.value) ?? null,
        description: `${pathText(node.path)} ← ${describeValue(mutation.value)}`,
      };
    }
    case "insert-null": {
      const node = pick(
        nodes.filter((n) => Array.isArray(n.value)),
        mutation.at,
      );
      if (!node) return { tree, description: "insert null: no array" };
      const array = node.value as Tree[];
      const position = mutation.position % (array.length + 1);
      const grown = [...array.slice(0, position), null, ...array.slice(position)];
      return {
        tree: replaceAt(tree, node.path, grown) ?? null,
        description: `${pathText(node.path)} gets null at [${position}]`,
      };
    }
    case "duplicate-key": {
      const node = pick(
        nodes.filter((n) => isObjectNode(n.value) && Object.keys(n.value).length > 0),
        mutation.at,
      );
      if (!node) return { tree, description: "duplicate key: no object" };
      const entries = Object.entries(node.value as Record<string, Tree>);
      const key = entries[mutation.key % entries.length]![0];
      return {
        tree: replaceAt(tree, node.path, new DuplicateKeys([...entries, [key, mutation.value]])) ?? null,
        description: `${pathText(node.path)} repeats "${key}": ${describeValue(mutation.value)}`,
      };
    }
    case "delete": {
      const node = pick(
        nodes.filter((n) => typeof n.path.at(-1) === "string"),
        mutation.at,
      );
      if (!node) return { tree, description: "delete: no field" };
      return {
        tree: replaceAt(tree, node.path, undefined) ?? null,
        description: `${pathText(node.path)} removed`,
      };
    }
  }
}
