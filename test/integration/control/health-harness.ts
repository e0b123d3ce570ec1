// The admin API with health checks wired as the composition root wires them: a temp
// SQLite file, the live snapshot rebuilt on every write, a HealthCheckRunner and its
// service on a real listener, and Connect clients for the services the tests drive.
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { type OpenDatabase, openDatabase } from "../../../src/control/db/database.js";
import { HealthCheckRunner } from "../../../src/control/health/runner.js";
import { createAdminServer } from "../../../src/control/server.js";
import {
  HealthCheckServiceImpl,
  lastHealthChecks,
} from "../../../src/control/services/health-check-service.js";
import { adminRoutes } from "../../../src/control/services/routes.js";
import { buildSnapshot } from "../../../src/control/snapshot-builder.js";
import { loadConfig } from "../../../src/core/config.js";
import { FallbackChainService } from "../../../src/gen/parley/admin/v1/fallback_chain_pb.js";
import { HealthCheckService } from "../../../src/gen/parley/admin/v1/health_check_pb.js";
import { ModelMappingService } from "../../../src/gen/parley/admin/v1/model_mapping_pb.js";
import { ProviderService } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { SnapshotHolder } from "../../../src/routing/snapshot.js";
import { UpstreamPools } from "../../../src/upstream/pools.js";

/** A running admin API with health checks. */
export interface HealthHarness {
  dir: string;
  dbPath: string;
  database: OpenDatabase;
  runner: HealthCheckRunner;
  health: Client<typeof HealthCheckService>;
  providers: Client<typeof ProviderService>;
  mappings: Client<typeof ModelMappingService>;
  chains: Client<typeof FallbackChainService>;
  /** Closes the listener, the runner, the pools and the database (the directory stays). */
  close(): Promise<void>;
  /** Stops listening and drops the database without closing the runner, as a crash would. */
  crash(): Promise<void>;
}

/** Options of a harness. */
export interface HealthHarnessOptions {
  /** Reuse this directory's database (a restart); a new temp directory otherwise. */
  dir?: string;
  scheduledHistory?: number;
  /** Call runner.recoverInterrupted() before serving, as main does. */
  recover?: boolean;
  /** The shortest health-check interval, for the API and the runner alike; default 10 ms. */
  scheduleFloorMs?: number;
}

/** Schedules here run every few tens of milliseconds; the 10 s production floor would take minutes. */
const SCHEDULE_FLOOR_MS = 10;

/** Starts the admin API with health checks on an ephemeral port. */
export async function startHealthHarness(options: HealthHarnessOptions = {}): Promise<HealthHarness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "parley-health-"));
  const dbPath = join(dir, "parley.db");
  const database = openDatabase(dbPath);
  const logger = pino({ level: "silent" });
  const timeouts = loadConfig({}).timeouts;
  let version = 1;
  const snapshots = new SnapshotHolder(buildSnapshot(database.db, timeouts, version));
  const pools = new UpstreamPools();
  const runner = new HealthCheckRunner({
    db: database.db,
    snapshots,
    pools,
    logger,
    scheduledHistory: options.scheduledHistory,
    minScheduleIntervalMs: options.scheduleFloorMs ?? SCHEDULE_FLOOR_MS,
  });
  if (options.recover !== false) runner.recoverInterrupted();
  const reload = () => {
    version++;
    snapshots.swap(buildSnapshot(database.db, timeouts, version));
    runner.refreshSchedules();
  };
  const server = createAdminServer({
    routes: adminRoutes({
      db: database.db,
      logger,
      onConfigChange: reload,
      healthChecks: new HealthCheckServiceImpl(runner, database.db),
      lastHealthChecks: lastHealthChecks(database.db),
      minHealthCheckIntervalMs: options.scheduleFloorMs ?? SCHEDULE_FLOOR_MS,
    }),
    token: null,
    logger,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  runner.startSchedules();
  const { port } = server.address() as AddressInfo;
  const transport = createConnectTransport({ baseUrl: `http://127.0.0.1:${port}`, httpVersion: "1.1" });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    dir,
    dbPath,
    database,
    runner,
    health: createClient(HealthCheckService, transport),
    providers: createClient(ProviderService, transport),
    mappings: createClient(ModelMappingService, transport),
    chains: createClient(FallbackChainService, transport),
    async close() {
      await stopListening();
      await runner.close();
      await pools.close();
      database.close();
    },
    async crash() {
      await stopListening();
      database.close();
    },
  };
}

/** Removes a harness's directory. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A promise the test resolves by hand, to hold a mock upstream's answer. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
