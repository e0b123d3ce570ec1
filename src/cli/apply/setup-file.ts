// Reads a setup file (YAML, format documented in examples/setup.yaml) into the desired
// admin state, checking it whole before anything is sent: shapes, ids, references between
// resources, and `${ENV}` secrets. Every error names the file and the field.
import { parse } from "yaml";
import { ProviderKind } from "../../gen/parley/admin/v1/provider_pb.js";
import { formatByteSize, parseByteSize } from "../byte-size.js";
import { parseDurationMs } from "../duration.js";
import { KIND_NAMES, parseKind } from "../provider-kind.js";
import { MAX_BODY_BYTES_RANGE, MAX_MESSAGES_RANGE } from "../request-limits.js";
import { parseTarget } from "../target.js";
import { EnvReferenceError, expandEnvReferences } from "./env-refs.js";
import type { ChainSpec, MappingSpec, ProviderSpec, SetupSpec, TargetSpec } from "./resource-specs.js";

/** A setup file that cannot be applied; the message names the field. */
export class SetupFileError extends Error {
  override readonly name = "SetupFileError";
}

type Env = Record<string, string | undefined>;
type Fields = Record<string, unknown>;

const SLUG = /^[a-z][a-z0-9-]{0,62}$/;

/** Reads fields of one YAML mapping, remembering where it is for error messages. */
class FieldReader {
  constructor(
    readonly path: string,
    private readonly fields: Fields,
    private readonly env: Env,
  ) {}

  /** Fails on any key not in the list (a typo would otherwise be silently ignored). */
  allowOnly(keys: readonly string[]): void {
    for (const key of Object.keys(this.fields)) {
      if (!keys.includes(key)) fail(this.at(key), `unknown field (expected one of: ${keys.join(", ")})`);
    }
  }

  raw(key: string): unknown {
    return this.fields[key];
  }

  has(key: string): boolean {
    return this.fields[key] !== undefined && this.fields[key] !== null;
  }

  at(key: string): string {
    return this.path === "" ? key : `${this.path}.${key}`;
  }

  string(key: string): string | undefined {
    const value = this.fields[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") fail(this.at(key), `expected a string, got ${describe(value)}`);
    return expand(value, this.at(key), this.env);
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined || value === "") fail(this.at(key), "required");
    return value;
  }

  integer(key: string, min: number, max: number): number | undefined {
    const value = this.fields[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      fail(this.at(key), `expected a whole number ${min}-${max}, got ${describe(value)}`);
    }
    return value;
  }

  /** A number of bytes, or a string with a binary unit ("32MiB"). */
  byteSize(key: string, range: { min: number; max: number }): number | undefined {
    const value = this.fields[key];
    if (value === undefined || value === null) return undefined;
    const bytes =
      typeof value === "number" && Number.isSafeInteger(value)
        ? value
        : typeof value === "string"
          ? parseByteSize(value)
          : undefined;
    if (bytes === undefined || bytes < range.min || bytes > range.max) {
      fail(
        this.at(key),
        `expected a size from ${formatByteSize(range.min)} to ${formatByteSize(range.max)} such as 4096, 64KiB or 32MiB, got ${describe(value)}`,
      );
    }
    return bytes;
  }

  boolean(key: string): boolean | undefined {
    const value = this.fields[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "boolean") fail(this.at(key), `expected true or false, got ${describe(value)}`);
    return value;
  }

  durationMs(key: string): number | undefined {
    // A bare 0 is unambiguous in any unit ("never" for intervals); other numbers need a unit.
    if (this.fields[key] === 0) return 0;
    const text = this.string(key);
    if (text === undefined) return undefined;
    const ms = parseDurationMs(text);
    if (ms === undefined)
      fail(this.at(key), `expected a duration such as 30s, 1.5s, 500ms or 2m, got "${text}"`);
    return ms;
  }

  child(key: string): FieldReader {
    const value = this.fields[key];
    if (value === undefined || value === null) return new FieldReader(this.at(key), {}, this.env);
    return new FieldReader(this.at(key), asFields(value, this.at(key)), this.env);
  }

  list(key: string): unknown[] {
    const value = this.fields[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) fail(this.at(key), `expected a list, got ${describe(value)}`);
    return value;
  }

  stringMap(key: string): Record<string, string> {
    const out: Record<string, string> = {};
    const map = this.child(key);
    for (const name of Object.keys(map.fields)) out[name] = map.string(name) ?? "";
    return out;
  }
}

function fail(path: string, message: string): never {
  throw new SetupFileError(`${path}: ${message}`);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object" && value !== null) return "a mapping";
  return JSON.stringify(value);
}

function asFields(value: unknown, path: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(path, `expected a mapping, got ${describe(value)}`);
  }
  return value as Fields;
}

function expand(text: string, path: string, env: Env): string {
  try {
    return expandEnvReferences(text, env);
  } catch (error) {
    if (error instanceof EnvReferenceError) fail(path, error.message);
    throw error;
  }
}

function readId(reader: FieldReader): string {
  const id = reader.requiredString("id");
  if (!SLUG.test(id))
    fail(reader.at("id"), `"${id}" must be a lowercase slug (a-z, 0-9, '-'), starting with a letter`);
  return id;
}

function readProvider(reader: FieldReader): ProviderSpec {
  reader.allowOnly([
    "id",
    "kind",
    "base_url",
    "api_key",
    "headers",
    "enabled",
    "timeouts",
    "retry_policy",
    "circuit_breaker",
    "health_check_interval",
    "demote_nonstreaming",
    "responses_api",
    "limits",
  ]);
  const id = readId(reader);
  const kindText = reader.requiredString("kind");
  const kind = parseKind(kindText);
  if (kind === undefined) fail(reader.at("kind"), `expected ${KIND_NAMES.join(" or ")}, got "${kindText}"`);
  const responsesApi = reader.boolean("responses_api");
  if (responsesApi !== undefined && kind !== ProviderKind.OPENAI) {
    fail(reader.at("responses_api"), "applies only to kind openai (Anthropic has no /v1/responses)");
  }
  const baseUrl = reader.requiredString("base_url");
  if (!/^https?:\/\/[^/]/.test(baseUrl))
    fail(reader.at("base_url"), `"${baseUrl}" must be an http or https URL`);
  const apiKey = reader.string("api_key");
  const timeouts = reader.child("timeouts");
  timeouts.allowOnly(["connect", "response_headers", "stream_idle", "total"]);
  const retry = reader.child("retry_policy");
  retry.allowOnly(["max_retries"]);
  const breaker = reader.child("circuit_breaker");
  breaker.allowOnly(["failure_threshold", "open_duration"]);
  const interval = reader.durationMs("health_check_interval");
  const limits = reader.child("limits");
  limits.allowOnly(["max_body_bytes", "max_messages"]);
  return {
    id,
    kind,
    baseUrl,
    apiKey: apiKey === "" ? undefined : apiKey,
    headers: reader.stringMap("headers"),
    enabled: reader.boolean("enabled") ?? true,
    timeouts: {
      connect: timeouts.durationMs("connect"),
      responseHeaders: timeouts.durationMs("response_headers"),
      streamIdle: timeouts.durationMs("stream_idle"),
      total: timeouts.durationMs("total"),
    },
    maxRetries: retry.integer("max_retries", 0, 10),
    failureThreshold: breaker.integer("failure_threshold", 1, 1000),
    openDurationMs: breaker.durationMs("open_duration"),
    healthCheckIntervalMs: interval === 0 ? undefined : interval,
    demoteNonStreaming: reader.boolean("demote_nonstreaming"),
    responsesApi,
    maxBodyBytes: limits.byteSize("max_body_bytes", MAX_BODY_BYTES_RANGE),
    maxMessages: limits.integer("max_messages", MAX_MESSAGES_RANGE.min, MAX_MESSAGES_RANGE.max),
  };
}

/** A target is "provider/model", "provider", or { provider, model }. */
function readTarget(value: unknown, path: string, env: Env): TargetSpec {
  if (typeof value === "string") {
    const target = parseTarget(expand(value, path, env));
    if (target === undefined) fail(path, `expected provider/model, got "${value}"`);
    return { providerId: target.providerId, upstreamModel: target.upstreamModel };
  }
  const reader = new FieldReader(path, asFields(value, path), env);
  reader.allowOnly(["provider", "model"]);
  return { providerId: reader.requiredString("provider"), upstreamModel: reader.string("model") ?? "" };
}

function readChain(reader: FieldReader, env: Env): ChainSpec {
  reader.allowOnly(["id", "description", "targets"]);
  const id = readId(reader);
  const targets = reader
    .list("targets")
    .map((value, i) => readTarget(value, `${reader.at("targets")}[${i}]`, env));
  if (targets.length === 0) fail(reader.at("targets"), "at least one target is required");
  return { id, description: reader.string("description") ?? "", targets };
}

function readMapping(reader: FieldReader, env: Env): MappingSpec {
  reader.allowOnly(["id", "alias", "target", "chain", "max_output_tokens"]);
  const id = readId(reader);
  const alias = reader.requiredString("alias");
  if (reader.has("target") === reader.has("chain")) {
    fail(reader.path, "give exactly one of target (provider/model) and chain (a chain id)");
  }
  return {
    id,
    alias,
    target: reader.has("target") ? readTarget(reader.raw("target"), reader.at("target"), env) : undefined,
    chainId: reader.string("chain"),
    maxOutputTokens: reader.integer("max_output_tokens", 1, 10_000_000),
  };
}

function readAll<T extends { id: string }>(
  root: FieldReader,
  key: string,
  read: (reader: FieldReader) => T,
  env: Env,
): T[] {
  const seen = new Set<string>();
  return root.list(key).map((value, i) => {
    const path = `${key}[${i}]`;
    const spec = read(new FieldReader(path, asFields(value, path), env));
    if (seen.has(spec.id)) fail(`${path}.id`, `"${spec.id}" appears twice`);
    seen.add(spec.id);
    return spec;
  });
}

/** The file is the whole state: every provider and chain it refers to must be in it too. */
function checkReferences(setup: SetupSpec): void {
  const providers = new Set(setup.providers.map((p) => p.id));
  const chains = new Set(setup.chains.map((c) => c.id));
  const checkTarget = (target: TargetSpec, path: string) => {
    if (!providers.has(target.providerId)) fail(path, `provider "${target.providerId}" is not in the file`);
  };
  setup.chains.forEach((chain, i) => {
    chain.targets.forEach((target, j) => {
      checkTarget(target, `chains[${i}].targets[${j}]`);
    });
  });
  const aliases = new Map<string, string>();
  setup.mappings.forEach((mapping, i) => {
    if (mapping.target !== undefined) checkTarget(mapping.target, `mappings[${i}].target`);
    if (mapping.chainId !== undefined && !chains.has(mapping.chainId)) {
      fail(`mappings[${i}].chain`, `chain "${mapping.chainId}" is not in the file`);
    }
    // Aliases are unique case-insensitively on the server; catch clashes before any write.
    const other = aliases.get(mapping.alias.toLowerCase());
    if (other !== undefined)
      fail(`mappings[${i}].alias`, `"${mapping.alias}" is also the alias of mapping ${other}`);
    aliases.set(mapping.alias.toLowerCase(), mapping.id);
  });
}

/** Parses and checks a setup file's text; errors name the field (prefix them with the file name). */
export function parseSetupFile(text: string, env: Env): SetupSpec {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new SetupFileError(
      `not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : error}`,
    );
  }
  const root = new FieldReader(
    "",
    document === null || document === undefined ? {} : asFields(document, "(top)"),
    env,
  );
  root.allowOnly(["providers", "chains", "mappings"]);
  const setup: SetupSpec = {
    providers: readAll(root, "providers", readProvider, env),
    chains: readAll(root, "chains", (reader) => readChain(reader, env), env),
    mappings: readAll(root, "mappings", (reader) => readMapping(reader, env), env),
  };
  checkReferences(setup);
  return setup;
}
