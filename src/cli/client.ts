// Connect clients for the admin services, over HTTP/1.1 to the admin URL, with the bearer
// token on every call when one is configured.
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { FallbackChainService } from "../gen/parley/admin/v1/fallback_chain_pb.js";
import { HealthCheckService } from "../gen/parley/admin/v1/health_check_pb.js";
import { ModelMappingService } from "../gen/parley/admin/v1/model_mapping_pb.js";
import { ProviderService } from "../gen/parley/admin/v1/provider_pb.js";
import type { GlobalSettings } from "./args.js";

/** One client per admin service, sharing a transport. */
export interface AdminClients {
  providers: Client<typeof ProviderService>;
  mappings: Client<typeof ModelMappingService>;
  chains: Client<typeof FallbackChainService>;
  health: Client<typeof HealthCheckService>;
}

function bearer(token: string): Interceptor {
  return (next) => (request) => {
    request.header.set("Authorization", `Bearer ${token}`);
    return next(request);
  };
}

/** Connects to the admin API described by the global settings. */
export function connectAdmin(settings: Pick<GlobalSettings, "adminUrl" | "token">): AdminClients {
  const transport = createConnectTransport({
    baseUrl: settings.adminUrl,
    httpVersion: "1.1",
    interceptors: settings.token === undefined ? [] : [bearer(settings.token)],
  });
  return {
    providers: createClient(ProviderService, transport),
    mappings: createClient(ModelMappingService, transport),
    chains: createClient(FallbackChainService, transport),
    health: createClient(HealthCheckService, transport),
  };
}

/** Collects every page of a List RPC, following next_page_token. */
export async function listAll<T>(
  fetchPage: (pageToken: string) => Promise<{ items: T[]; nextPageToken: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let token = "";
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    token = page.nextPageToken;
  } while (token !== "");
  return items;
}
