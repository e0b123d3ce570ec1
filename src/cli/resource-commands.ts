// The create/list/get/update/delete verbs every admin resource shares (providers, mappings,
// chains), built from a per-resource description: its flags, how they become a message, its RPCs
// and its views. Each resource file keeps only what is specific to it.
import { create, type DescMessage, type Message } from "@bufbuild/protobuf";
import { type FieldMask, FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { type FlagValues, type OptionsConfig, parseVerb } from "./args.js";
import { type AdminClients, connectAdmin, listAll } from "./client.js";
import type { CommandGroup, CommandInput, Env } from "./command.js";
import { UsageError } from "./errors.js";
import { printFields, printJson, printLine, printTable } from "./output.js";

/** What a resource's flag reader gets: the id on the command line and the parsed flags. */
export interface FlagInput<O extends OptionsConfig> {
  id: string;
  values: FlagValues<O>;
  env: Env;
}

/** The message the flags describe and the update_mask paths they name. */
export interface FromFlags<R> {
  resource: R;
  paths: string[];
}

/** A Get/Create/Update response: the resource sits in field K. */
export type SingleResponse<K extends string, R> = Message & { [F in K]?: R };

/** One RPC of a resource: the call, and the schema --json prints its response with. */
export interface Rpc<In, Out extends Message> {
  schema: DescMessage;
  call(admin: AdminClients, input: In): Promise<Out>;
}

/** The List RPC: one page at a time, and the response --json prints for all pages together. */
export interface ListRpc<R> {
  schema: DescMessage;
  page(admin: AdminClients, pageToken: string): Promise<{ items: R[]; nextPageToken: string }>;
  response(items: R[]): Message;
}

/** Everything the shared verbs need to know about one resource. */
export interface ResourceSpec<O extends OptionsConfig, R, K extends string> {
  /** The resource in messages: "deleted chain x", "no chains". */
  noun: string;
  usage: string;
  /** The field flags create and update accept. */
  fieldOptions: O;
  /** The field holding the resource in Get/Create/Update responses. */
  field: K;
  /** The message create sends; throws a UsageError when a required flag is missing. */
  forCreate(input: FlagInput<O>): R | Promise<R>;
  /** The message update sends and the mask paths its flags name. */
  forUpdate(input: FlagInput<O>): FromFlags<R> | Promise<FromFlags<R>>;
  /** The error when update is given no field flag. */
  nothingToUpdate: string;
  view: {
    headers: readonly string[];
    row(resource: R): string[];
    fields(resource: R): [string, string][];
  };
  rpc: {
    create: Rpc<R, SingleResponse<K, R>>;
    list: ListRpc<R>;
    get: Rpc<string, SingleResponse<K, R>>;
    update: Rpc<{ resource: R; updateMask: FieldMask }, SingleResponse<K, R>>;
    delete: Rpc<string, Message>;
  };
}

/** The five verbs of a resource, under its usage text. */
export function resourceCommands<const O extends OptionsConfig, R, K extends string>(
  spec: ResourceSpec<O, R, K>,
): CommandGroup {
  const { rpc, view } = spec;

  /** Prints a single-resource response: proto JSON, or the resource's fields. */
  function printOne(json: boolean, schema: DescMessage, response: SingleResponse<K, R>): void {
    const resource = response[spec.field];
    if (json) printJson(schema, response);
    else if (resource !== undefined) printFields(view.fields(resource));
  }

  async function createVerb(input: CommandInput): Promise<number> {
    const { values, settings, args } = parseVerb(input, spec.fieldOptions, ["id"]);
    const [id = ""] = args;
    const resource = await spec.forCreate({ id, values, env: input.env });
    const response = await rpc.create.call(connectAdmin(settings), resource);
    printOne(settings.json, rpc.create.schema, response);
    return 0;
  }

  async function listVerb(input: CommandInput): Promise<number> {
    const { settings } = parseVerb(input, {}, []);
    const admin = connectAdmin(settings);
    const items = await listAll((pageToken) => rpc.list.page(admin, pageToken));
    if (settings.json) printJson(rpc.list.schema, rpc.list.response(items));
    else printTable(view.headers, items.map(view.row), `no ${spec.noun}s`);
    return 0;
  }

  async function getVerb(input: CommandInput): Promise<number> {
    const { settings, args } = parseVerb(input, {}, ["id"]);
    const [id = ""] = args;
    const response = await rpc.get.call(connectAdmin(settings), id);
    printOne(settings.json, rpc.get.schema, response);
    return 0;
  }

  async function updateVerb(input: CommandInput): Promise<number> {
    const { values, settings, args } = parseVerb(input, spec.fieldOptions, ["id"]);
    const [id = ""] = args;
    const { resource, paths } = await spec.forUpdate({ id, values, env: input.env });
    // An empty mask means "every field" to the server: never send one by accident.
    if (paths.length === 0) throw new UsageError(spec.nothingToUpdate);
    const updateMask = create(FieldMaskSchema, { paths });
    const response = await rpc.update.call(connectAdmin(settings), { resource, updateMask });
    printOne(settings.json, rpc.update.schema, response);
    return 0;
  }

  async function deleteVerb(input: CommandInput): Promise<number> {
    const { settings, args } = parseVerb(input, {}, ["id"]);
    const [id = ""] = args;
    const response = await rpc.delete.call(connectAdmin(settings), id);
    if (settings.json) printJson(rpc.delete.schema, response);
    else printLine(`deleted ${spec.noun} ${id}`);
    return 0;
  }

  return {
    usage: spec.usage,
    verbs: { create: createVerb, list: listVerb, get: getVerb, update: updateVerb, delete: deleteVerb },
  };
}
