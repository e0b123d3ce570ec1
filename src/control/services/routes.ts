// The admin API's routes: every service registered on one Connect router, each built
// from the dependencies the composition root hands over.
import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import type { Logger } from "../../core/logger.js";
import { FallbackChainService } from "../../gen/parley/admin/v1/fallback_chain_pb.js";
import { HealthCheckService } from "../../gen/parley/admin/v1/health_check_pb.js";
import { ModelMappingService } from "../../gen/parley/admin/v1/model_mapping_pb.js";
import { ProviderService } from "../../gen/parley/admin/v1/provider_pb.js";
import type { Db } from "../db/database.js";
import type { ProviderStatusReader } from "../provider-status.js";
import { FallbackChainServiceImpl } from "./fallback-chain-service.js";
import { ModelMappingServiceImpl } from "./model-mapping-service.js";
import { type LastHealthChecks, ProviderServiceImpl } from "./provider-service.js";

/** What the admin services are built from. */
export interface AdminDeps {
  db: Db;
  logger: Logger;
  /** Called after every committed write; rebuilds and swaps the data plane's snapshot. */
  onConfigChange: () => void;
  /** The health-check service, registered only when given. */
  healthChecks?: ServiceImpl<typeof HealthCheckService>;
  /** Fills Provider.last_health_check, when health checks are wired. */
  lastHealthChecks?: LastHealthChecks;
  /** The shortest health_check_interval other than 0; default 10 s (tests schedule faster). */
  minHealthCheckIntervalMs?: number;
  /** Fills Provider.status from the data plane's circuit breakers, when one runs in this process. */
  providerStatus?: ProviderStatusReader;
}

/** Registers every admin service on a router. */
export function adminRoutes(deps: AdminDeps): (router: ConnectRouter) => void {
  const writeDeps = { db: deps.db, logger: deps.logger, onConfigChange: deps.onConfigChange };
  return (router) => {
    router.service(
      ProviderService,
      new ProviderServiceImpl({
        ...writeDeps,
        lastHealthChecks: deps.lastHealthChecks,
        minHealthCheckIntervalMs: deps.minHealthCheckIntervalMs,
        providerStatus: deps.providerStatus,
      }),
    );
    router.service(ModelMappingService, new ModelMappingServiceImpl(writeDeps));
    router.service(FallbackChainService, new FallbackChainServiceImpl(writeDeps));
    if (deps.healthChecks !== undefined) router.service(HealthCheckService, deps.healthChecks);
  };
}
