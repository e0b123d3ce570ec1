// A rig set up the way an operator does it: one faulty upstream per provider, and the providers
// (retry and breaker policy included), fallback chains and model mappings created through the
// admin API's generated Connect clients, then traffic through the data plane with the SDKs.
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { afterEach } from "vitest";
import type { Dialect } from "../../../src/core/dialect-errors.js";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";
import { type FaultScript, type FaultyUpstream, startFaultyUpstream } from "../../helpers/faulty-upstream.js";
import { type AdminClients, type AdminHarness, startAdmin } from "../control/admin-harness.js";
import { eventually, type Health, type Livez, livezOf, SMALL_TIMEOUTS } from "./rig.js";
import { type SdkOutcome, sdkCall } from "./sdk-call.js";

/** One provider and the upstream behind it. */
export interface ProviderSpec {
  id: string;
  kind: "anthropic" | "openai";
  script: FaultScript;
  /** The provider's retry_policy.max_retries. */
  maxRetries: number;
  /** The provider's circuit_breaker.open_duration, in ms. */
  breakerOpenMs?: number;
}

/** A model alias and where it goes: one target is a plain mapping, several are a fallback chain. */
export interface RouteSpec {
  alias: string;
  targets: Array<{ provider: string; upstreamModel?: string }>;
}

/** A provider's breaker as /health shows it. */
export interface BreakerView {
  state: "closed" | "open" | "half_open";
  consecutive_failures: number;
  opened_at: string | null;
  retry_at: string | null;
}

/** A running admin rig. */
export interface AdminRig {
  harness: AdminHarness;
  admin: AdminClients;
  upstreams: Record<string, FaultyUpstream>;
  /** A call through the official SDK of `dialect` for `model`. */
  call(options: {
    dialect: Dialect;
    model: string;
    stream?: boolean;
    signal?: AbortSignal;
  }): Promise<SdkOutcome>;
  /** The breaker of a provider, from /health. */
  breaker(providerId: string): Promise<BreakerView>;
  livez(): Promise<Livez>;
  /** Waits (bounded) for the requests to be over and reports how the proxy looks (timers are not watched). */
  settle(): Promise<Health>;
  close(): Promise<void>;
}

/** The text each provider's upstream answers with, so a test sees who answered which attempt. */
export function answerText(providerId: string, n: number): string {
  return `The answer from ${providerId}, attempt ${n}.`;
}

async function createRoutes(admin: AdminClients, routes: RouteSpec[]): Promise<void> {
  for (const [i, route] of routes.entries()) {
    const targets = route.targets.map((t) => ({
      providerId: t.provider,
      upstreamModel: t.upstreamModel ?? "",
    }));
    if (targets.length === 1) {
      await admin.mappings.createModelMapping({
        modelMapping: {
          id: `route-${i}`,
          alias: route.alias,
          destination: { case: "target", value: targets[0]! },
        },
      });
      continue;
    }
    await admin.chains.createFallbackChain({ fallbackChain: { id: `chain-${i}`, targets } });
    await admin.mappings.createModelMapping({
      modelMapping: {
        id: `route-${i}`,
        alias: route.alias,
        destination: { case: "fallbackChainId", value: `chain-${i}` },
      },
    });
  }
}

/** Starts the upstreams and Parley, and creates the providers and routes through the admin API. */
export async function startAdminRig(options: {
  providers: ProviderSpec[];
  routes: RouteSpec[];
  env?: Record<string, string>;
}): Promise<AdminRig> {
  const upstreams: Record<string, FaultyUpstream> = {};
  for (const p of options.providers)
    upstreams[p.id] = await startFaultyUpstream({
      kind: p.kind,
      script: p.script,
      text: (n) => answerText(p.id, n),
    });
  const harness = await startAdmin({ ...SMALL_TIMEOUTS, PARLEY_MAX_RETRIES: "0", ...options.env });
  const admin = harness.clients();
  for (const p of options.providers) {
    const url = upstreams[p.id]!.url;
    await admin.providers.createProvider({
      provider: {
        id: p.id,
        kind: p.kind === "anthropic" ? ProviderKind.ANTHROPIC : ProviderKind.OPENAI,
        baseUrl: p.kind === "anthropic" ? url : `${url}/v1`,
        apiKey: `sk-${p.id}-provider-key`,
        retryPolicy: { maxRetries: p.maxRetries },
        ...(p.breakerOpenMs ? { circuitBreaker: { openDuration: durationFromMs(p.breakerOpenMs) } } : {}),
      },
    });
  }
  await createRoutes(admin, options.routes);
  const url = harness.dataPlaneUrl;
  const livez = () => livezOf(url);
  const all = () => Object.values(upstreams);
  return {
    harness,
    admin,
    upstreams,
    call: (o) =>
      sdkCall({
        baseUrl: url,
        dialect: o.dialect,
        stream: o.stream ?? false,
        model: o.model,
        signal: o.signal,
      }),
    async breaker(providerId) {
      const health = (await (await fetch(`${url}/health`)).json()) as {
        providers: Array<{ id: string; breaker: BreakerView }>;
      };
      const provider = health.providers.find((p) => p.id === providerId);
      if (!provider) throw new Error(`/health lists no provider "${providerId}"`);
      return provider.breaker;
    },
    livez,
    async settle() {
      let inFlight = -1;
      const open = () => all().reduce((sum, u) => sum + u.inProgress, 0);
      await eventually(async () => {
        inFlight = (await livez()).in_flight;
        return inFlight === 0 && open() === 0;
      });
      return { inFlight, upstreamInProgress: open(), armedTimers: [] };
    },
    async close() {
      await harness.close();
      for (const upstream of all()) {
        await upstream.waitFor(() => upstream.openSockets === 0, 2_000);
        await upstream.close();
      }
    },
  };
}

/** A `startAdminRig` for a test file: every rig it starts is closed after its test. */
export function adminRigsClosedAfterEach(): typeof startAdminRig {
  const open: AdminRig[] = [];
  afterEach(async () => {
    for (const rig of open.splice(0)) await rig.close();
  });
  return async (options) => {
    const rig = await startAdminRig(options);
    open.push(rig);
    return rig;
  };
}
