// Sets up what examples/setup.yaml describes (Anthropic primary, OpenAI fallback chain, glob
// mappings for Claude Code) by calling the admin API through the generated Connect clients.
//
//   ANTHROPIC_API_KEY=… OPENAI_API_KEY=… npx tsx examples/setup-with-client.ts
//
// Unlike `parley apply`, this only creates: a resource that already exists is left as it is.

import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { FallbackChainService } from "../src/gen/parley/admin/v1/fallback_chain_pb.js";
import { ModelMappingService } from "../src/gen/parley/admin/v1/model_mapping_pb.js";
import { ProviderKind, ProviderService } from "../src/gen/parley/admin/v1/provider_pb.js";

const baseUrl = process.env.PARLEY_ADMIN_URL ?? "http://127.0.0.1:8081";
const token = process.env.PARLEY_ADMIN_TOKEN;
const withToken: Interceptor = (next) => (request) => {
  if (token) request.header.set("Authorization", `Bearer ${token}`);
  return next(request);
};
const transport = createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [withToken] });
const providers = createClient(ProviderService, transport);
const chains = createClient(FallbackChainService, transport);
const mappings = createClient(ModelMappingService, transport);

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

/** Runs a create call; "already exists" is fine, anything else stops the script. */
async function ensure(what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
    console.log(`created ${what}`);
  } catch (error) {
    const connectError = ConnectError.from(error);
    if (connectError.code !== Code.AlreadyExists) throw connectError;
    console.log(`${what} already exists`);
  }
}

await ensure("provider anthropic", () =>
  providers.createProvider({
    provider: {
      id: "anthropic",
      kind: ProviderKind.ANTHROPIC,
      baseUrl: "https://api.anthropic.com",
      apiKey: requireEnv("ANTHROPIC_API_KEY"),
      timeouts: {
        connect: durationFromMs(10_000),
        responseHeaders: durationFromMs(120_000),
        streamIdle: durationFromMs(300_000),
      },
      retryPolicy: { maxRetries: 2 },
      circuitBreaker: { failureThreshold: 5, openDuration: durationFromMs(30_000) },
      healthCheckInterval: durationFromMs(15 * 60_000),
    },
  }),
);

await ensure("provider openai", () =>
  providers.createProvider({
    provider: {
      id: "openai",
      kind: ProviderKind.OPENAI,
      baseUrl: "https://api.openai.com/v1",
      apiKey: requireEnv("OPENAI_API_KEY"),
      timeouts: { connect: durationFromMs(10_000), total: durationFromMs(600_000) },
      retryPolicy: { maxRetries: 1 },
    },
  }),
);

await ensure("chain claude-main", () =>
  chains.createFallbackChain({
    fallbackChain: {
      id: "claude-main",
      description: "Anthropic first, OpenAI when Anthropic is down",
      targets: [
        { providerId: "anthropic", upstreamModel: "claude-sonnet-4-5" },
        { providerId: "openai", upstreamModel: "gpt-4.1" },
      ],
    },
  }),
);

await ensure("mapping claude-haiku", () =>
  mappings.createModelMapping({
    modelMapping: {
      id: "claude-haiku",
      alias: "claude-*haiku*",
      destination: { case: "target", value: { providerId: "openai", upstreamModel: "gpt-4.1-mini" } },
      maxOutputTokens: 8192,
    },
  }),
);

await ensure("mapping claude", () =>
  mappings.createModelMapping({
    modelMapping: {
      id: "claude",
      alias: "claude-*",
      destination: { case: "fallbackChainId", value: "claude-main" },
    },
  }),
);

await ensure("mapping gpt-4-1", () =>
  mappings.createModelMapping({
    modelMapping: {
      id: "gpt-4-1",
      alias: "gpt-4.1",
      destination: { case: "target", value: { providerId: "openai", upstreamModel: "gpt-4.1" } },
    },
  }),
);

const { modelMappings } = await mappings.listModelMappings({});
for (const mapping of modelMappings) {
  const to =
    mapping.destination.case === "target"
      ? `${mapping.destination.value.providerId}/${mapping.destination.value.upstreamModel}`
      : `chain ${mapping.destination.value}`;
  console.log(`${mapping.alias.padEnd(16)} -> ${to}`);
}
