// `parley chains create|list|get|update|delete`: a fallback chain is an ordered list of
// provider/model targets, given as repeated --target flags in the order they are tried.
import { create } from "@bufbuild/protobuf";
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
import type { CommandGroup } from "../command.js";
import { UsageError } from "../errors.js";
import { type FlagInput, type FromFlags, resourceCommands } from "../resource-commands.js";
import { parseTarget } from "../target.js";
import { CHAIN_HEADERS, chainFields, chainRow } from "../views/chain-view.js";

const FIELD_OPTIONS = {
  target: { type: "string", multiple: true },
  description: { type: "string" },
} as const;

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
function chainFromFlags({ id, values }: FlagInput<typeof FIELD_OPTIONS>): FromFlags<FallbackChain> {
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
  return { resource: chain, paths };
}

/** The `parley chains` commands. */
export const chainsCommands: CommandGroup = resourceCommands({
  noun: "chain",
  usage: USAGE,
  fieldOptions: FIELD_OPTIONS,
  field: "fallbackChain",
  forCreate(input) {
    if (input.values.target === undefined)
      throw new UsageError("at least one --target provider/model is required");
    return chainFromFlags(input).resource;
  },
  forUpdate: chainFromFlags,
  nothingToUpdate: "nothing to update: give --target or --description",
  view: { headers: CHAIN_HEADERS, row: chainRow, fields: chainFields },
  rpc: {
    create: {
      schema: CreateFallbackChainResponseSchema,
      call: (admin, fallbackChain) => admin.chains.createFallbackChain({ fallbackChain }),
    },
    list: {
      schema: ListFallbackChainsResponseSchema,
      async page(admin, pageToken) {
        const page = await admin.chains.listFallbackChains({ pageToken });
        return { items: page.fallbackChains, nextPageToken: page.nextPageToken };
      },
      response: (fallbackChains) => create(ListFallbackChainsResponseSchema, { fallbackChains }),
    },
    get: {
      schema: GetFallbackChainResponseSchema,
      call: (admin, id) => admin.chains.getFallbackChain({ id }),
    },
    update: {
      schema: UpdateFallbackChainResponseSchema,
      call: (admin, { resource, updateMask }) =>
        admin.chains.updateFallbackChain({ fallbackChain: resource, updateMask }),
    },
    delete: {
      schema: DeleteFallbackChainResponseSchema,
      call: (admin, id) => admin.chains.deleteFallbackChain({ id }),
    },
  },
});
