// `parley chains create|list|get|update|delete`: a fallback chain is an ordered list of
// provider/model targets, given as repeated --target flags in the order they are tried.
import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import {
  CreateFallbackChainResponseSchema,
  DeleteFallbackChainResponseSchema,
  type FallbackChain,
  FallbackChainSchema,
  GetFallbackChainResponseSchema,
  ListFallbackChainsResponseSchema,
  UpdateFallbackChainResponseSchema,
} from "../../gen/parley/admin/v1/fallback_chain_pb.js";
import type { Target } from "../../gen/parley/admin/v1/target_pb.js";
import { expectPositionals, globalSettings, parseCommand } from "../args.js";
import { connectAdmin, listAll } from "../client.js";
import type { CommandGroup, CommandInput } from "../command.js";
import { UsageError } from "../errors.js";
import { printFields, printJson, printLine, printTable } from "../output.js";
import { parseTarget } from "../target.js";
import { CHAIN_HEADERS, chainFields, chainRow } from "../views/chain-view.js";

const FIELD_OPTIONS = {
  target: { type: "string", multiple: true },
  description: { type: "string" },
} as const;

type FieldValues = ReturnType<typeof parseCommand<typeof FIELD_OPTIONS>>["values"];

const USAGE = `usage: parley chains <command> [flags]

  create <id> --target P/M [--target P/M ...] [--description TEXT]
  list
  get <id>
  update <id> [--target P/M ...] [--description TEXT]   only the fields given change
  delete <id>

field flags:
  --target P/M          provider P asked for model M, tried in the order given (repeatable; on update
                        the list replaces the stored one). "P" alone keeps the client's model name.
  --description TEXT    free text for operators
`;

function targetsFromFlags(texts: readonly string[]): Target[] {
  return texts.map((text) => {
    const target = parseTarget(text);
    if (target === undefined) throw new UsageError(`--target: expected provider/model, got "${text}"`);
    return target;
  });
}

/** Builds the chain the flags describe and the update_mask paths they name. */
function chainFromFlags(id: string, values: FieldValues): { chain: FallbackChain; paths: string[] } {
  const chain = create(FallbackChainSchema, { id });
  const paths: string[] = [];
  if (values.description !== undefined) {
    chain.description = values.description;
    paths.push("description");
  }
  if (values.target !== undefined) {
    chain.targets = targetsFromFlags(values.target);
    paths.push("targets");
  }
  return { chain, paths };
}

async function createChain({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, FIELD_OPTIONS);
  const settings = globalSettings(values, env);
  const [id = ""] = expectPositionals(positionals.slice(2), ["id"]);
  if (values.target === undefined) throw new UsageError("at least one --target provider/model is required");
  const { chain } = chainFromFlags(id, values);
  const response = await connectAdmin(settings).chains.createFallbackChain({ fallbackChain: chain });
  if (settings.json) printJson(CreateFallbackChainResponseSchema, response);
  else if (response.fallbackChain !== undefined) printFields(chainFields(response.fallbackChain));
  return 0;
}

async function listChains({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {});
  const settings = globalSettings(values, env);
  expectPositionals(positionals.slice(2), []);
  const client = connectAdmin(settings).chains;
  const fallbackChains = await listAll(async (pageToken) => {
    const page = await client.listFallbackChains({ pageToken });
    return { items: page.fallbackChains, nextPageToken: page.nextPageToken };
  });
  if (settings.json) {
    printJson(ListFallbackChainsResponseSchema, create(ListFallbackChainsResponseSchema, { fallbackChains }));
  } else {
    printTable(CHAIN_HEADERS, fallbackChains.map(chainRow), "no chains");
  }
  return 0;
}

async function getChain({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {});
  const settings = globalSettings(values, env);
  const [id = ""] = expectPositionals(positionals.slice(2), ["id"]);
  const response = await connectAdmin(settings).chains.getFallbackChain({ id });
  if (settings.json) printJson(GetFallbackChainResponseSchema, response);
  else if (response.fallbackChain !== undefined) printFields(chainFields(response.fallbackChain));
  return 0;
}

async function updateChain({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, FIELD_OPTIONS);
  const settings = globalSettings(values, env);
  const [id = ""] = expectPositionals(positionals.slice(2), ["id"]);
  const { chain, paths } = chainFromFlags(id, values);
  // An empty mask means "every field" to the server: never send one by accident.
  if (paths.length === 0) throw new UsageError("nothing to update: give --target or --description");
  const response = await connectAdmin(settings).chains.updateFallbackChain({
    fallbackChain: chain,
    updateMask: create(FieldMaskSchema, { paths }),
  });
  if (settings.json) printJson(UpdateFallbackChainResponseSchema, response);
  else if (response.fallbackChain !== undefined) printFields(chainFields(response.fallbackChain));
  return 0;
}

async function deleteChain({ argv, env }: CommandInput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {});
  const settings = globalSettings(values, env);
  const [id = ""] = expectPositionals(positionals.slice(2), ["id"]);
  const response = await connectAdmin(settings).chains.deleteFallbackChain({ id });
  if (settings.json) printJson(DeleteFallbackChainResponseSchema, response);
  else printLine(`deleted chain ${id}`);
  return 0;
}

/** The `parley chains` commands. */
export const chainsCommands: CommandGroup = {
  usage: USAGE,
  verbs: {
    create: createChain,
    list: listChains,
    get: getChain,
    update: updateChain,
    delete: deleteChain,
  },
};
