// Ids of a translated response and its items, derived from the upstream's completion and
// tool-call ids: the same answer gets the same ids, streamed or not, and logs on both sides match.
import { randomUUID } from "node:crypto";

function cleaned(id: unknown): string {
  return typeof id === "string" ? id.replace(/[^a-zA-Z0-9_-]/g, "") : "";
}

/** A function call's item id and the `call_id` the client answers with. */
export interface CallIds {
  id: string;
  callId: string;
}

/** Hands out the ids of one response: `resp_…`, `msg_…`, `rs_…`, `fc_…`. */
export class ResponseIds {
  /** The response id. */
  readonly response: string;
  private readonly suffix: string;
  private readonly counts = new Map<string, number>();

  constructor(upstreamId: unknown) {
    this.suffix = cleaned(upstreamId) || randomUUID().replace(/-/g, "");
    this.response = `resp_${this.suffix}`;
  }

  /** The next message or reasoning item id; the first of each kind carries no counter. */
  item(prefix: "msg" | "rs"): string {
    const n = this.counts.get(prefix) ?? 0;
    this.counts.set(prefix, n + 1);
    return n === 0 ? `${prefix}_${this.suffix}` : `${prefix}_${this.suffix}_${n}`;
  }

  /** The ids of the `ordinal`-th tool call: the upstream's call id kept as `call_id`, else numbered ones. */
  call(upstreamCallId: unknown, ordinal: number, kind: "function" | "custom"): CallIds {
    const prefix = kind === "custom" ? "ctc" : "fc";
    const upstream = typeof upstreamCallId === "string" && upstreamCallId !== "" ? upstreamCallId : undefined;
    const own = cleaned(upstream).replace(/^call_/, "");
    if (upstream !== undefined && own !== "") return { id: `${prefix}_${own}`, callId: upstream };
    return {
      id: `${prefix}_${this.suffix}_${ordinal}`,
      callId: upstream ?? `call_${this.suffix}_${ordinal}`,
    };
  }
}
