// Starts the real Parley process in-process (data plane + admin API) on ephemeral ports
// with a temp SQLite file and a logger whose every line the test can read, and builds
// Connect clients for the admin services. `startAdminApi` serves the admin API alone, with
// a breaker reader the test scripts.
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type Client, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { openDatabase } from "../../../src/control/db/database.js";
import type { ProviderStatusReader } from "../../../src/control/provider-status.js";
import { createAdminServer } from "../../../src/control/server.js";
import { adminRoutes } from "../../../src/control/services/routes.js";
import { loadConfig } from "../../../src/core/config.js";
import { FallbackChainService } from "../../../src/gen/parley/admin/v1/fallback_chain_pb.js";
import { ModelMappingService } from "../../../src/gen/parley/admin/v1/model_mapping_pb.js";
import { ProviderService } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { startParley } from "../../../src/main.js";

/** One client per admin service. */
export interface AdminClients {
  providers: Client<typeof ProviderService>;
  mappings: Client<typeof ModelMappingService>;
  chains: Client<typeof FallbackChainService>;
}

/** A running Parley with its admin API. */
export interface AdminHarness {
  adminUrl: string;
  dataPlaneUrl: string;
  dbPath: string;
  /** Every log line written so far (debug level and up). */
  logs: string[];
  /** Clients over Connect/HTTP 1.1, with the token when given. */
  clients(token?: string): AdminClients;
  close(): Promise<void>;
}

/** Sets `Authorization: Bearer <token>` on every call. */
export function bearer(token: string): Interceptor {
  return (next) => (req) => {
    req.header.set("Authorization", `Bearer ${token}`);
    return next(req);
  };
}

/** Clients for the three services over a transport. */
export function clientsFor(transport: Transport): AdminClients {
  return {
    providers: createClient(ProviderService, transport),
    mappings: createClient(ModelMappingService, transport),
    chains: createClient(FallbackChainService, transport),
  };
}

/** Starts Parley with the given environment on top of test defaults. */
export async function startAdmin(env: Record<string, string> = {}): Promise<AdminHarness> {
  const dir = mkdtempSync(join(tmpdir(), "parley-admin-"));
  const dbPath = join(dir, "parley.db");
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const logger = pino({ level: "debug" }, sink);
  const config = loadConfig({ PORT: "0", PARLEY_ADMIN_PORT: "0", PARLEY_DB: dbPath, ...env });
  const parley = await startParley(config, logger);
  return {
    adminUrl: parley.adminUrl,
    dataPlaneUrl: parley.dataPlaneUrl,
    dbPath,
    logs,
    clients: (token) =>
      clientsFor(
        createConnectTransport({
          baseUrl: parley.adminUrl,
          httpVersion: "1.1",
          interceptors: token === undefined ? [] : [bearer(token)],
        }),
      ),
    async close() {
      await parley.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An admin API without a data plane: what it shows of breakers comes from `providerStatus`. */
export interface AdminApiHarness {
  clients(): AdminClients;
  close(): Promise<void>;
}

/** Serves the admin services alone on an ephemeral port over a temp database. */
export async function startAdminApi(
  options: { providerStatus?: ProviderStatusReader } = {},
): Promise<AdminApiHarness> {
  const dir = mkdtempSync(join(tmpdir(), "parley-admin-api-"));
  const database = openDatabase(join(dir, "parley.db"));
  const logger = pino({ level: "silent" });
  const server = createAdminServer({
    routes: adminRoutes({
      db: database.db,
      logger,
      onConfigChange: () => {},
      ...(options.providerStatus === undefined ? {} : { providerStatus: options.providerStatus }),
    }),
    token: null,
    logger,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const transport = createConnectTransport({ baseUrl: `http://127.0.0.1:${port}`, httpVersion: "1.1" });
  return {
    clients: () => clientsFor(transport),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The Connect error code of a failed call (`expect(await codeOf(p)).toBe(Code.NotFound)`). */
export async function errorOf(call: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { code?: number; rawMessage?: string; message: string };
    return { code: e.code ?? -1, message: e.rawMessage ?? e.message };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
