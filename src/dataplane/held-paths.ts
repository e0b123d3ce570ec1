// Where a translated request's long strings may be held out of JSON.parse (see held-strings.ts):
// per translation direction, the member paths whose values every translator of that direction only
// copies, concatenates or drops, with the checks a raw value must pass where a translator looks at it.
import type { ClientDialect, Dialect } from "../core/dialect-errors.js";

/**
 * A check on a value's raw bytes that makes a placeholder behave as the value would where a
 * translator looks at it. Each is conservative: a value that fails is simply not held.
 * - `notBlank`: after leading spaces (and `\n`, `\t`, `\r` escapes) comes printable ASCII, so
 *   `trim() === ""` is false for it as for the placeholder (the Anthropic-bound translators drop
 *   whitespace-only text).
 * - `noTrailingSpace`: the last character is printable ASCII, so `trimEnd()` (of a final assistant
 *   prefill, for Anthropic) leaves it as it leaves the placeholder.
 * - `notBillingHeader`: the first character is not `x`, so Claude Code's per-session billing line,
 *   which the Chat translator filters out of system text by its prefix, is never held.
 */
export type HeldGuard = "notBlank" | "noTrailingSpace" | "notBillingHeader";

/** Dotted member paths (`*` = any array element) whose string values may be held, with their guards. */
export type HeldPathList = Readonly<Record<string, readonly HeldGuard[]>>;

/** One step of a compiled path set: the guards of a value here (if it may be held) and the steps below. */
export interface HeldPathNode {
  readonly guards: readonly HeldGuard[] | undefined;
  /** The step into any element of an array here (`*`), if a path takes it. */
  readonly element: HeldPathNode | null;
  /** The steps into an object's members, each with its key's UTF-8 bytes. */
  readonly keys: ReadonlyArray<{ readonly bytes: Buffer; readonly node: HeldPathNode }>;
}

interface MutableNode {
  guards: readonly HeldGuard[] | undefined;
  children: Map<string, MutableNode>;
}

/** Compiles a path list into the tree the scan walks as it descends the body. */
export function compileHeldPaths(list: HeldPathList): HeldPathNode {
  const root: MutableNode = { guards: undefined, children: new Map() };
  for (const [path, guards] of Object.entries(list)) {
    let node = root;
    for (const segment of path.split(".")) {
      let next = node.children.get(segment);
      if (next === undefined) {
        next = { guards: undefined, children: new Map() };
        node.children.set(segment, next);
      }
      node = next;
    }
    node.guards = guards;
  }
  return finished(root);
}

function finished(node: MutableNode): HeldPathNode {
  const element = node.children.get("*");
  const keys = [...node.children]
    .filter(([segment]) => segment !== "*")
    .map(([segment, child]) => ({ bytes: Buffer.from(segment), node: finished(child) }));
  return { guards: node.guards, element: element === undefined ? null : finished(element), keys };
}

/**
 * Anthropic Messages → Chat Completions. Text is copied or joined (system blocks, text blocks,
 * tool results, thinking as reasoning_content); base64 data becomes a data URL by concatenation;
 * signatures and redacted thinking are dropped. Not held: tool_use `input` (it is JSON.stringify'd
 * into `arguments`, which would escape a placeholder twice), URLs, titles, names and ids.
 */
const ANTHROPIC_TO_CHAT: HeldPathList = {
  "system.*.text": ["notBillingHeader"],
  "messages.*.content": [],
  // A "system" turn's blocks go through the same billing-line filter as `system`.
  "messages.*.content.*.text": ["notBillingHeader"],
  "messages.*.content.*.thinking": [],
  "messages.*.content.*.signature": [],
  "messages.*.content.*.data": [],
  "messages.*.content.*.source.data": [],
  "messages.*.content.*.content": [],
  "messages.*.content.*.content.*.text": [],
  "messages.*.content.*.content.*.source.data": [],
};

/**
 * Chat Completions → Anthropic Messages. Only text: it is dropped when whitespace-only and a final
 * assistant text is trimmed at its end, hence both guards. Not held: `image_url.url` and
 * `file.file_data` (parsed as data URLs), `function.arguments` (JSON.parse'd), `refusal`.
 */
const CHAT_TO_ANTHROPIC: HeldPathList = {
  "messages.*.content": ["notBlank", "noTrailingSpace"],
  "messages.*.content.*.text": ["notBlank", "noTrailingSpace"],
};

/**
 * Responses → Chat Completions. Input text, tool outputs, image URLs and file data are copied
 * or joined; reasoning text goes to reasoning_content; encrypted reasoning is dropped;
 * `arguments` is copied unless blank. Not held: `instructions` and everything else at the top
 * level (the Response echoes them to the client), custom tool `input` (JSON.stringify'd).
 */
const RESPONSES_TO_CHAT: HeldPathList = {
  input: [],
  "input.*.content": [],
  "input.*.content.*.text": [],
  "input.*.content.*.image_url": [],
  "input.*.content.*.file_data": [],
  "input.*.summary.*.text": [],
  "input.*.encrypted_content": [],
  "input.*.arguments": ["notBlank"],
  "input.*.output": [],
  "input.*.output.*.text": [],
  "input.*.output.*.image_url": [],
  "input.*.output.*.file_data": [],
};

/**
 * Responses → Anthropic Messages. Text as for Chat → Anthropic (blank text dropped, a final
 * assistant text trimmed); tool outputs dropped only when blank; a custom tool's `input` is
 * copied into `{input}`; reasoning items are dropped whole. Not held: `instructions` (echoed),
 * `arguments` (JSON.parse'd), `image_url` and `file_data` (parsed as data URLs).
 */
const RESPONSES_TO_ANTHROPIC: HeldPathList = {
  input: ["notBlank"],
  "input.*.content": ["notBlank", "noTrailingSpace"],
  "input.*.content.*.text": ["notBlank", "noTrailingSpace"],
  "input.*.summary.*.text": [],
  "input.*.encrypted_content": [],
  "input.*.input": [],
  "input.*.output": ["notBlank"],
  "input.*.output.*.text": ["notBlank"],
};

/** The path lists as written, by `client->upstream`, for tests and review. */
export const HELD_PATH_LISTS: Readonly<Record<string, HeldPathList>> = {
  "anthropic->openai": ANTHROPIC_TO_CHAT,
  "openai->anthropic": CHAT_TO_ANTHROPIC,
  "responses->openai": RESPONSES_TO_CHAT,
  "responses->anthropic": RESPONSES_TO_ANTHROPIC,
};

const COMPILED: ReadonlyMap<string, HeldPathNode> = new Map(
  Object.entries(HELD_PATH_LISTS).map(([key, list]) => [key, compileHeldPaths(list)]),
);

/** The compiled paths for a client of `client` translated to a provider of kind `upstream`; none for passthrough. */
export function heldPathsFor(client: ClientDialect, upstream: Dialect): HeldPathNode | undefined {
  return COMPILED.get(`${client}->${upstream}`);
}
