// `parley mappings create|list|get|update|delete`: a mapping routes a client model name
// (exact or glob) to one provider/model (--provider, --model) or to a chain (--chain).
import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
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
import { expectPositionals, globalSettings, parseCommand } from "../args.js";
import { connectAdmin, listAll } from "../client.js";
import type { CommandGroup, CommandInput } from "../command.js";
import { UsageError } from "../errors.js";
import { optionalIntegerFlag } from "../flag-values.js";
import { printFields, printJson, printLine, printTable } from "../output.js";
import { MAPPING_HEADERS, mappingFields, mappingRow } from "../views/mapping-view.js";

const FIELD_OPTIONS = {
  alias: { type: "string" },
  provider: { type: "string" },
  model: { type: "string" },
  chain: { type: "string" },
  "max-output-tokens": { type: "string" },
} as const;

type FieldValues = ReturnType<typeof parseCommand<typeof FIELD_OPTIONS>>["values"];

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
function mappingFromFlags(id: string, values: FieldValues): { mapping: ModelMapping; paths: string[] } {
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
  return { mapping, paths };
}

async function createMapping({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, FIELD_OPTIONS);
  const settings = globalSettings(values, env);
  const [id = ""] = expectPositionals(positionals.slice(2), ["id"]);
  if (values.alias === undefined) throw new UsageError("--alias is required");
  if (values.provider === undefined && values.chain === undefined) {
    throw new UsageError("a destination is required: --provider P [--model M], or --chain C");
  }
  const { mapping } = mappingFromFlags(id, values);
  const response = await connectAdmin(settings).mappings.createModelMapping({ modelMapping: mapping });
  if (settings.json) printJson(CreateModelMappingResponseSchema, response);
  else if (response.modelMapping !== undefined) printFields(mappingFields(response.modelMapping));
  return 0;
}

async function listMappings({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {});
  const settings = globalSettings(values, env);
  expectPositionals(positionals.slice(2), []);
  const client = connectAdmin(settings).mappings;
  const modelMappings = await listAll(async (pageToken) => {
    const page = await client.listModelMappings({ pageToken });
    return { items: page.modelMappings, nextPageToken: page.nextPageToken };
  });
  if (settings.json) {
    printJson(ListModelMappingsResponseSchema, create(ListModelMappingsResponseSchema, { modelMappings }));
  } else {
    printTable(MAPPING_HEADERS, modelMappings.map(mappingRow), "no mappings");
  }
  return 0;
}

async function getMapping({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {});
  const settings = globalSettings(values, env);
  const [id = ""] = expectPositionals(positionals.slice(2), ["id"]);
  const response = await connectAdmin(settings).mappings.getModelMapping({ id });
  if (settings.json) printJson(GetModelMappingResponseSchema, response);
  else if (response.modelMapping !== undefined) printFields(mappingFields(response.modelMapping));
  return 0;
}

async function updateMapping({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, FIELD_OPTIONS);
  const settings = globalSettings(values, env);
  const [id = ""] = expectPositionals(positionals.slice(2), ["id"]);
  const { mapping, paths } = mappingFromFlags(id, values);
  // An empty mask means "every field" to the server: never send one by accident.
  if (paths.length === 0) throw new UsageError("nothing to update: give at least one field flag");
  const response = await connectAdmin(settings).mappings.updateModelMapping({
    modelMapping: mapping,
    updateMask: create(FieldMaskSchema, { paths }),
  });
  if (settings.json) printJson(UpdateModelMappingResponseSchema, response);
  else if (response.modelMapping !== undefined) printFields(mappingFields(response.modelMapping));
  return 0;
}

async function deleteMapping({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {});
  const settings = globalSettings(values, env);
  const [id = ""] = expectPositionals(positionals.slice(2), ["id"]);
  const response = await connectAdmin(settings).mappings.deleteModelMapping({ id });
  if (settings.json) printJson(DeleteModelMappingResponseSchema, response);
  else printLine(`deleted mapping ${id}`);
  return 0;
}

/** The `parley mappings` commands. */
export const mappingsCommands: CommandGroup = {
  usage: USAGE,
  verbs: {
    create: createMapping,
    list: listMappings,
    get: getMapping,
    update: updateMapping,
    delete: deleteMapping,
  },
};
