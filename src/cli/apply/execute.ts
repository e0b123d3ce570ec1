// Reads the current admin state through the List RPCs and performs a plan's writes one by
// one, each update carrying an update_mask of exactly the fields that differ.
import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { type AdminClients, listAll } from "../client.js";
import type { PlanStep } from "./plan.js";
import {
  chainMessage,
  chainSpecOf,
  mappingMessage,
  mappingSpecOf,
  providerMessage,
  providerSpecOf,
  type SetupSpec,
} from "./resource-specs.js";

/** Everything the admin API holds, in apply's shape. */
export async function fetchCurrentState(clients: AdminClients): Promise<SetupSpec> {
  const [providers, chains, mappings] = await Promise.all([
    listAll(async (pageToken) => {
      const page = await clients.providers.listProviders({ pageToken });
      return { items: page.providers, nextPageToken: page.nextPageToken };
    }),
    listAll(async (pageToken) => {
      const page = await clients.chains.listFallbackChains({ pageToken });
      return { items: page.fallbackChains, nextPageToken: page.nextPageToken };
    }),
    listAll(async (pageToken) => {
      const page = await clients.mappings.listModelMappings({ pageToken });
      return { items: page.modelMappings, nextPageToken: page.nextPageToken };
    }),
  ]);
  return {
    providers: providers.map(providerSpecOf),
    chains: chains.map(chainSpecOf),
    mappings: mappings.map(mappingSpecOf),
  };
}

const mask = (step: { changes: { path: string }[] }) =>
  create(FieldMaskSchema, { paths: [...new Set(step.changes.map((c) => c.path))] });

/** Performs one write of a plan. */
export async function executeStep(clients: AdminClients, step: PlanStep): Promise<void> {
  if (step.action === "delete") {
    if (step.resource === "provider") await clients.providers.deleteProvider({ id: step.id });
    else if (step.resource === "chain") await clients.chains.deleteFallbackChain({ id: step.id });
    else await clients.mappings.deleteModelMapping({ id: step.id });
    return;
  }
  switch (step.resource) {
    case "provider": {
      const provider = providerMessage(step.spec);
      if (step.action === "create") await clients.providers.createProvider({ provider });
      else await clients.providers.updateProvider({ provider, updateMask: mask(step) });
      return;
    }
    case "chain": {
      const fallbackChain = chainMessage(step.spec);
      if (step.action === "create") await clients.chains.createFallbackChain({ fallbackChain });
      else await clients.chains.updateFallbackChain({ fallbackChain, updateMask: mask(step) });
      return;
    }
    case "mapping": {
      const modelMapping = mappingMessage(step.spec);
      if (step.action === "create") await clients.mappings.createModelMapping({ modelMapping });
      else await clients.mappings.updateModelMapping({ modelMapping, updateMask: mask(step) });
      return;
    }
  }
}
