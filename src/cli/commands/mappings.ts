// `parley mappings create|list|get|update|delete`: a mapping routes a client model name
// (exact or glob) to one provider/model (--provider, --model) or to a chain (--chain).
import { create } from "@bufbuild/protobuf";
import {
  CreateModelMappingResponseSchema,
  DeleteModelMappingResponseSchema,
  GetModelMappingResponseSchema,
  ListModelMappingsResponseSchema,
  type ModelMapping,
  ModelMappingSchema,
  UpdateModelMappingResponseSchema,
} from "../../gen/parley/admin/v1/model_mapping_pb.js";
import { TargetSchema } from "../../gen/parley/admin/v1/target_pb.js";
import type { CommandGroup } from "../command.js";
import { UsageError } from "../errors.js";
import { optionalIntegerFlag } from "../flag-values.js";
import { type FlagInput, type FromFlags, resourceCommands } from "../resource-commands.js";
import { MAPPING_HEADERS, mappingFields, mappingRow } from "../views/mapping-view.js";

const FIELD_OPTIONS = {
  alias: { type: "string" },
  provider: { type: "string" },
  model: { type: "string" },
  chain: { type: "string" },
  "max-output-tokens": { type: "string" },
} as const;

const USAGE = `usage: parley mappings <command> [flags]

  create <id> --alias NAME (--provider P [--model M] | --chain C) [--max-output-tokens N]
  list
  get <id>
  update <id> [field flags]        only the fields given change
  delete <id>

field flags:
  --alias NAME                the client model name: exact ("gpt-4.1") or a glob ("claude-*", "*haiku*")
  --provider P                send matching requests to provider P...
  --model M                   ...asking it for model M (omit to keep the client's model name)
  --chain C                   or try the targets of fallback chain C in order
  --max-output-tokens N       clamp the client's max_tokens to N ("none" removes the clamp)
`;

/** Builds the mapping the flags describe and the update_mask paths they name. */
function mappingFromFlags({ id, values }: FlagInput<typeof FIELD_OPTIONS>): FromFlags<ModelMapping> {
  const mapping = create(ModelMappingSchema, { id });
  const paths: string[] = [];
  if (values.alias !== undefined) {
    mapping.alias = values.alias;
    paths.push("alias");
  }
  if (values.chain !== undefined && (values.provider !== undefined || values.model !== undefined)) {
    throw new UsageError(
      "--chain cannot be combined with --provider or --model: a mapping routes to one of them",
    );
  }
  if (values.provider !== undefined || values.model !== undefined) {
    // Each half of the target is its own mask path: `--model` alone keeps the stored provider.
    mapping.destination = {
      case: "target",
      value: create(TargetSchema, { providerId: values.provider ?? "", upstreamModel: values.model ?? "" }),
    };
    if (values.provider !== undefined) paths.push("target.provider_id");
    if (values.model !== undefined) paths.push("target.upstream_model");
  }
  if (values.chain !== undefined) {
    mapping.destination = { case: "fallbackChainId", value: values.chain };
    paths.push("fallback_chain_id");
  }
  if (values["max-output-tokens"] !== undefined) {
    mapping.maxOutputTokens = optionalIntegerFlag(
      "max-output-tokens",
      values["max-output-tokens"],
      1,
      10_000_000,
    );
    paths.push("max_output_tokens");
  }
  return { resource: mapping, paths };
}

/** The `parley mappings` commands. */
export const mappingsCommands: CommandGroup = resourceCommands({
  noun: "mapping",
  usage: USAGE,
  fieldOptions: FIELD_OPTIONS,
  field: "modelMapping",
  forCreate(input) {
    if (input.values.alias === undefined) throw new UsageError("--alias is required");
    if (input.values.provider === undefined && input.values.chain === undefined) {
      throw new UsageError("a destination is required: --provider P [--model M], or --chain C");
    }
    return mappingFromFlags(input).resource;
  },
  forUpdate: mappingFromFlags,
  nothingToUpdate: "nothing to update: give at least one field flag",
  view: { headers: MAPPING_HEADERS, row: mappingRow, fields: mappingFields },
  rpc: {
    create: {
      schema: CreateModelMappingResponseSchema,
      call: (admin, modelMapping) => admin.mappings.createModelMapping({ modelMapping }),
    },
    list: {
      schema: ListModelMappingsResponseSchema,
      async page(admin, pageToken) {
        const page = await admin.mappings.listModelMappings({ pageToken });
        return { items: page.modelMappings, nextPageToken: page.nextPageToken };
      },
      response: (modelMappings) => create(ListModelMappingsResponseSchema, { modelMappings }),
    },
    get: {
      schema: GetModelMappingResponseSchema,
      call: (admin, id) => admin.mappings.getModelMapping({ id }),
    },
    update: {
      schema: UpdateModelMappingResponseSchema,
      call: (admin, { resource, updateMask }) =>
        admin.mappings.updateModelMapping({ modelMapping: resource, updateMask }),
    },
    delete: {
      schema: DeleteModelMappingResponseSchema,
      call: (admin, id) => admin.mappings.deleteModelMapping({ id }),
    },
  },
});
