// Reassembles OpenAI's streamed tool calls. Arguments arrive in fragments, several calls
// in parallel, each fragment naming its call by `index` (edge 1); some upstreams give
// every call `index: 0` and tell them apart only by a new `id` (edge 2), so a new id
// always means a new call and an id-less fragment belongs to the latest call at its index.
import type { OpenAIToolCallDelta } from "./wire.js";

/** One tool call being assembled. */
export interface ToolCallState {
  /** The upstream's id, when it sent one. */
  upstreamId: string | undefined;
  /** Order of first appearance. */
  ordinal: number;
  /** The upstream's (possibly shortened) function name, once known. */
  name: string | undefined;
  /** Every argument fragment so far, concatenated. */
  args: string;
}

/** Finds the call each fragment belongs to and accumulates its name and arguments. */
export class ToolCallAssembler {
  private readonly calls: ToolCallState[] = [];
  private readonly byId = new Map<string, ToolCallState>();
  private readonly byIndex = new Map<number, ToolCallState>();

  /** Adds one fragment; returns the call it belongs to and the argument text it added. */
  add(delta: OpenAIToolCallDelta): { call: ToolCallState; fragment: string } {
    const id = typeof delta.id === "string" && delta.id !== "" ? delta.id : undefined;
    const index = typeof delta.index === "number" ? delta.index : undefined;
    let call: ToolCallState | undefined;
    if (id !== undefined) call = this.byId.get(id);
    else if (index !== undefined) call = this.byIndex.get(index);
    else call = this.calls.at(-1);
    call ??= this.create(id);
    if (index !== undefined) this.byIndex.set(index, call);
    const name = delta.function?.name;
    // Some upstreams repeat the name on every fragment: the first one counts.
    if (call.name === undefined && typeof name === "string" && name !== "") call.name = name;
    const fragment = typeof delta.function?.arguments === "string" ? delta.function.arguments : "";
    call.args += fragment;
    return { call, fragment };
  }

  /** Every call in order of first appearance. */
  all(): readonly ToolCallState[] {
    return this.calls;
  }

  private create(id: string | undefined): ToolCallState {
    const call: ToolCallState = { upstreamId: id, ordinal: this.calls.length, name: undefined, args: "" };
    this.calls.push(call);
    if (id !== undefined) this.byId.set(id, call);
    return call;
  }
}

/**
 * Whether a call's arguments are a complete JSON value. A complete object cannot grow
 * into a longer valid one, so the call's block may close before the stream ends.
 */
export function argumentsComplete(args: string): boolean {
  if (args.trim() === "") return false;
  try {
    JSON.parse(args);
    return true;
  } catch {
    return false;
  }
}
