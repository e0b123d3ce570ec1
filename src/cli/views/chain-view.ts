// How a fallback chain reads in a table row and in `parley chains get`.
import type { FallbackChain } from "../../gen/parley/admin/v1/fallback_chain_pb.js";
import { formatTime } from "../output.js";
import { formatTarget } from "../target.js";

/** Column headers of the chains table. */
export const CHAIN_HEADERS = ["id", "targets", "description"];

/** The chain's targets in the order they are tried. */
export function targetsText(chain: FallbackChain): string {
  return chain.targets.map(formatTarget).join(" -> ");
}

/** One row of the chains table. */
export function chainRow(chain: FallbackChain): string[] {
  return [chain.id, targetsText(chain), chain.description];
}

/** Every field of a chain, as `parley chains get` shows it. */
export function chainFields(chain: FallbackChain): [string, string][] {
  return [
    ["id", chain.id],
    ["description", chain.description === "" ? "-" : chain.description],
    ...chain.targets.map((target, index): [string, string] => [`target ${index + 1}`, formatTarget(target)]),
    ["created", formatTime(chain.createTime)],
    ["updated", formatTime(chain.updateTime)],
  ];
}
