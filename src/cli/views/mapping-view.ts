// How a model mapping reads in a table row and in `parley mappings get`.
import type { ModelMapping } from "../../gen/parley/admin/v1/model_mapping_pb.js";
import { formatTime } from "../output.js";
import { formatTarget } from "../target.js";

/** Column headers of the mappings table. */
export const MAPPING_HEADERS = ["id", "alias", "routes to", "max output tokens"];

/** Where a mapping sends requests: "provider/model" or "chain <id>". */
export function destinationText(mapping: ModelMapping): string {
  switch (mapping.destination.case) {
    case "target":
      return formatTarget(mapping.destination.value);
    case "fallbackChainId":
      return `chain ${mapping.destination.value}`;
    default:
      return "-";
  }
}

/** One row of the mappings table. */
export function mappingRow(mapping: ModelMapping): string[] {
  return [mapping.id, mapping.alias, destinationText(mapping), String(mapping.maxOutputTokens ?? "-")];
}

/** Every field of a mapping, as `parley mappings get` shows it. */
export function mappingFields(mapping: ModelMapping): [string, string][] {
  return [
    ["id", mapping.id],
    ["alias", mapping.alias],
    ["routes_to", destinationText(mapping)],
    [
      "max_output_tokens",
      mapping.maxOutputTokens === undefined ? "no limit" : String(mapping.maxOutputTokens),
    ],
    ["created", formatTime(mapping.createTime)],
    ["updated", formatTime(mapping.updateTime)],
  ];
}
