// The composition root: config → database → migrations → quick-start seed → snapshot →
// listeners → graceful drain. Nothing else wires modules together.

import type { AddressInfo, Server } from "node:net";
import { openDatabase } from "./control/db/database.js";
import { seedQuickStart } from "./control/db/quick-start.js";
import { HealthCheckRunner } from "./control/health/runner.js";
import { createAdminServer } from "./control/server.js";
import { HealthCheckServiceImpl, lastHealthChecks } from "./control/services/health-check-service.js";
import { adminRoutes } from "./control/services/routes.js";
import { buildSnapshot } from "./control/snapshot-builder.js";
import { ConfigError, isLoopback, loadConfig, type ParleyConfig } from "./core/config.js";
import { createLogger, type Logger } from "./core/logger.js";
import { DrainState, drainInFlight } from "./dataplane/drain.js";
import { DataPlaneMetrics } from "./dataplane/metrics.js";
import { NO_PROVIDER_HINT } from "./dataplane/request-flow.js";
import { createDataPlane } from "./dataplane/server.js";
import { BreakerRegistry } from "./resilience/circuit-breaker.js";
import { RESILIENCE_DEFAULTS } from "./resilience/defaults.js";
import type { TargetPolicy } from "./resilience/target-loop.js";
import { SnapshotHolder } from "./routing/snapshot.js";
import type { ProviderConfig } from "./routing/types.js";
import { UpstreamPools } from "./upstream/pools.js";

/** A running Parley process. */
export interface RunningParley {
  dataPlaneUrl: string;
  /** Where the admin API (Connect, gRPC, gRPC-Web) listens. */
  adminUrl: string;
  /** Rebuilds the snapshot from the database and swaps it in. */
  reload(): void;
  /** Drains in-flight requests (up to the drain timeout) and closes everything. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function urlOf(address: AddressInfo): string {
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Refuses configurations that would expose paid provider keys by accident (DESIGN §1). */
function checkExposure(config: ParleyConfig): void {
  if (!isLoopback(config.host) && config.clientKeys.length === 0 && !config.allowUnauthenticated) {
    throw new ConfigError(
      "PARLEY_HOST",
      `refusing to serve ${config.host} without client keys: set PARLEY_CLIENT_KEYS, or PARLEY_ALLOW_UNAUTHENTICATED=true`,
    );
  }
  if (!isLoopback(config.adminHost) && config.adminToken === null) {
    throw new ConfigError(
      "PARLEY_ADMIN_HOST",
      `refusing to serve the admin API on ${config.adminHost} without a token: set PARLEY_ADMIN_TOKEN, ` +
        "or bind PARLEY_ADMIN_HOST=127.0.0.1",
    );
  }
}

/** The process-wide resilience settings: the environment's, else the defaults. */
function resilienceInForce(config: ParleyConfig) {
  const env = config.resilience;
  return {
    ...RESILIENCE_DEFAULTS,
    maxRetries: env.maxRetries ?? RESILIENCE_DEFAULTS.maxRetries,
    attemptBudgetMs: env.attemptBudgetMs ?? RESILIENCE_DEFAULTS.attemptBudgetMs,
    commitDeadlineMs: env.commitDeadlineMs ?? RESILIENCE_DEFAULTS.commitDeadlineMs,
    demoteNonStreaming: env.demoteNonStreaming,
  };
}

/** A provider's own policy where it has one, the process's otherwise. */
function policyOf(provider: ProviderConfig, resilience: ReturnType<typeof resilienceInForce>): TargetPolicy {
  return {
    retry: {
      maxRetries: provider.maxRetries ?? resilience.maxRetries,
      baseMs: resilience.backoffBaseMs,
      capMs: resilience.backoffCapMs,
    },
    breaker: {
      failureThreshold: provider.breaker.failureThreshold ?? resilience.breakerFailureThreshold,
      openMs: provider.breaker.openMs ?? resilience.breakerOpenMs,
    },
  };
}

/** Every value in force, logged once at start-up (never a key or a token). */
function settingsInForce(config: ParleyConfig, resilience: ReturnType<typeof resilienceInForce>) {
  return {
    data_plane: `${config.host}:${config.port}`,
    admin: `${config.adminHost}:${config.adminPort}`,
    admin_auth: config.adminToken === null ? "off" : "bearer token",
    client_keys: config.clientKeys.length,
    upstream_timeouts_ms: config.timeouts,
    client_limits: config.client,
    ping_interval_ms: config.pingIntervalMs,
    drain_timeout_ms: config.drainTimeoutMs,
    resilience,
  };
}

/** Starts Parley with the given configuration. */
export async function startParley(
  config: ParleyConfig = loadConfig(),
  logger: Logger = createLogger(config.logLevel),
) {
  checkExposure(config);
  const database = openDatabase(config.dbPath);
  const seeded = seedQuickStart(database.db, config.quickStart);
  if (seeded.providers.length > 0) {
    logger.info(
      { providers: seeded.providers, mappings: seeded.mappings },
      "seeded the quick-start configuration",
    );
  }
  let version = 1;
  const snapshots = new SnapshotHolder(buildSnapshot(database.db, config.timeouts, version));
  if (snapshots.current().isEmpty) logger.warn(NO_PROVIDER_HINT);
  const pools = new UpstreamPools();
  const drain = new DrainState();
  const resilience = resilienceInForce(config);
  logger.info({ settings: settingsInForce(config, resilience) }, "settings in force");
  const metrics = new DataPlaneMetrics();
  metrics.setSnapshotVersion(version);
  const breakers = new BreakerRegistry((t) => {
    logger[t.to === "open" ? "warn" : "info"](
      { provider: t.providerId, from: t.from, to: t.to, consecutive_failures: t.consecutiveFailures },
      "circuit breaker changed state",
    );
    metrics.breakerChanged(t.providerId, t.to);
  });
  const dataPlane = createDataPlane({
    snapshots,
    pools,
    breakers,
    metrics,
    logger,
    drain,
    clientKeys: config.clientKeys,
    pingIntervalMs: config.pingIntervalMs,
    client: config.client,
    commitDeadlineMs: resilience.commitDeadlineMs,
    attemptBudgetMs: resilience.attemptBudgetMs,
    demoteNonStreaming: resilience.demoteNonStreaming,
    policyFor: (target) => policyOf(target.provider, resilience),
  });
  const reload = () => {
    version++;
    const next = buildSnapshot(database.db, config.timeouts, version);
    snapshots.swap(next);
    metrics.setSnapshotVersion(version);
    pools.retain(next.providers.values());
  };
  const healthRunner = new HealthCheckRunner({ db: database.db, snapshots, pools, logger });
  const interrupted = healthRunner.recoverInterrupted();
  if (interrupted > 0)
    logger.warn({ jobs: interrupted }, "health-check jobs interrupted by a restart marked FAILED");
  const admin = createAdminServer({
    routes: adminRoutes({
      db: database.db,
      logger: logger.child({ component: "admin" }),
      onConfigChange: () => {
        reload();
        healthRunner.refreshSchedules();
      },
      healthChecks: new HealthCheckServiceImpl(healthRunner, database.db),
      lastHealthChecks: lastHealthChecks(database.db),
      // The admin API sees the breakers only through this reader: control never imports resilience.
      providerStatus: (id) => {
        const provider = snapshots.current().providers.get(id);
        return provider === undefined
          ? undefined
          : breakers.peek(id)?.status(policyOf(provider, resilience).breaker);
      },
    }),
    token: config.adminToken,
    logger: logger.child({ component: "admin" }),
  });
  let dataPlaneUrl: string;
  let adminUrl: string;
  try {
    dataPlaneUrl = urlOf(await listen(dataPlane, config.port, config.host));
    adminUrl = urlOf(await listen(admin, config.adminPort, config.adminHost));
  } catch (error) {
    dataPlane.close();
    admin.close();
    await healthRunner.close();
    await pools.close();
    database.close();
    throw error;
  }
  healthRunner.startSchedules();
  logger.info({ url: dataPlaneUrl }, "data plane listening");
  logger.info(
    { url: adminUrl, auth: config.adminToken === null ? "off" : "bearer token" },
    "admin API listening",
  );

  return {
    dataPlaneUrl,
    adminUrl,
    reload,
    async close() {
      // The admin API stops taking calls first; calls already running finish during the drain.
      const adminClosed = new Promise<void>((resolve) => admin.close(() => resolve()));
      admin.closeIdleConnections();
      // The data-plane listener stays open through the drain: probes see "draining", and a new
      // request gets a 503 that sends its client elsewhere rather than a refused connection.
      const drained = drainInFlight({ state: drain, logger, timeoutMs: config.drainTimeoutMs });
      dataPlane.closeIdleConnections();
      await drained;
      const dataPlaneClosed = new Promise<void>((resolve) => dataPlane.close(() => resolve()));
      // Only requests a timed-out drain left running still hold connections: they are cut here.
      dataPlane.closeAllConnections();
      admin.closeAllConnections();
      await Promise.all([dataPlaneClosed, adminClosed]);
      await healthRunner.close();
      await pools.close();
      database.close();
    },
  } satisfies RunningParley;
}
