// Setup files: the documented format reads into the desired state, ${ENV} references are
// replaced, and every mistake is reported with the field it concerns.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: setup files use the literal ${NAME} syntax
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSetupFile } from "../../../src/cli/apply/setup-file.js";
import { ProviderKind } from "../../../src/gen/parley/admin/v1/provider_pb.js";

const example = readFileSync("examples/setup.yaml", "utf8");
const keys = { ANTHROPIC_API_KEY: "sk-ant-1", OPENAI_API_KEY: "sk-oai-2" };

describe("parseSetupFile", () => {
  it("reads the shipped example", () => {
    const setup = parseSetupFile(example, keys);
    expect(setup.providers.map((p) => [p.id, p.kind, p.apiKey])).toEqual([
      ["anthropic", ProviderKind.ANTHROPIC, "sk-ant-1"],
      ["openai", ProviderKind.OPENAI, "sk-oai-2"],
    ]);
    expect(setup.providers[0]).toMatchObject({
      timeouts: { connect: 10_000, responseHeaders: 120_000, streamIdle: 300_000, total: undefined },
      maxRetries: 2,
      failureThreshold: 5,
      openDurationMs: 30_000,
      healthCheckIntervalMs: 900_000,
      enabled: true,
    });
    expect(setup.chains[0]?.targets).toEqual([
      { providerId: "anthropic", upstreamModel: "claude-sonnet-4-5" },
      { providerId: "openai", upstreamModel: "gpt-4.1" },
    ]);
    expect(
      setup.mappings.map((m) => [m.alias, m.chainId ?? `${m.target?.providerId}/${m.target?.upstreamModel}`]),
    ).toEqual([
      ["claude-*haiku*", "openai/gpt-4.1-mini"],
      ["claude-*", "claude-main"],
      ["gpt-4.1", "openai/gpt-4.1"],
    ]);
  });

  it("replaces references anywhere in a value and keeps $${ literal", () => {
    const setup = parseSetupFile(
      "providers:\n  - id: a\n    kind: openai\n    base_url: https://${HOST}/v1\n    headers: { x-note: 'cost $${HOST}' }\n",
      { HOST: "llm.internal" },
    );
    expect(setup.providers[0]).toMatchObject({
      baseUrl: "https://llm.internal/v1",
      headers: { "x-note": "cost ${HOST}" },
    });
  });

  it("reads demote_nonstreaming and responses_api, leaving them undefined (the defaults) when omitted", () => {
    const setup = parseSetupFile(
      [
        "providers:",
        "  - { id: a, kind: openai, base_url: 'https://a/v1', demote_nonstreaming: true, responses_api: false }",
        "  - { id: b, kind: anthropic, base_url: 'https://b', demote_nonstreaming: false }",
        "  - { id: c, kind: openai, base_url: 'https://c/v1' }",
      ].join("\n"),
      {},
    );
    expect(setup.providers.map((p) => [p.id, p.demoteNonStreaming, p.responsesApi])).toEqual([
      ["a", true, false],
      ["b", false, undefined],
      ["c", undefined, undefined],
    ]);
  });

  it("reads limits as bytes (a number or a size with a binary unit) and messages, undefined when omitted", () => {
    const setup = parseSetupFile(
      [
        "providers:",
        "  - { id: a, kind: openai, base_url: 'https://a/v1', limits: { max_body_bytes: 32MiB, max_messages: 1000 } }",
        "  - { id: b, kind: openai, base_url: 'https://b/v1', limits: { max_body_bytes: 4096 } }",
        "  - { id: c, kind: openai, base_url: 'https://c/v1' }",
      ].join("\n"),
      {},
    );
    expect(setup.providers.map((p) => [p.id, p.maxBodyBytes, p.maxMessages])).toEqual([
      ["a", 33_554_432, 1000],
      ["b", 4096, undefined],
      ["c", undefined, undefined],
    ]);
  });

  it("an empty file is an empty state", () => {
    expect(parseSetupFile("", {})).toEqual({ providers: [], chains: [], mappings: [] });
  });

  it.each([
    [
      "providers: [{ id: a, kind: openai, base_url: 'https://a', api_key: '${NOPE}' }]",
      "providers[0].api_key: environment variable NOPE is not set",
    ],
    [
      "providers: [{ id: a, kind: openai, base_url: 'https://a', api_key: '${}' }]",
      'providers[0].api_key: "${}" is not a valid variable reference',
    ],
    [
      "providers: [{ id: A, kind: openai, base_url: 'https://a' }]",
      'providers[0].id: "A" must be a lowercase slug',
    ],
    [
      "providers: [{ id: a, kind: grpc, base_url: 'https://a' }]",
      'providers[0].kind: expected openai or anthropic, got "grpc"',
    ],
    ["providers: [{ id: a, kind: openai }]", "providers[0].base_url: required"],
    [
      "providers: [{ id: a, kind: openai, base_url: 'https://a', retry_policy: { max_retries: 11 } }]",
      "providers[0].retry_policy.max_retries: expected a whole number 0-10, got 11",
    ],
    [
      "providers: [{ id: a, kind: openai, base_url: 'https://a', enabled: 'no' }]",
      'providers[0].enabled: expected true or false, got "no"',
    ],
    ["chains: [{ id: c, targets: [] }]", "chains[0].targets: at least one target is required"],
    ["chains: [{ id: c, targets: [ghost/m] }]", 'chains[0].targets[0]: provider "ghost" is not in the file'],
    ["mappings: [{ id: m, alias: m, chain: nope }]", 'mappings[0].chain: chain "nope" is not in the file'],
    ["providers: {}", "providers: expected a list, got a mapping"],
    ["servers: []", "servers: unknown field"],
    [
      "providers: [{ id: a, kind: anthropic, base_url: 'https://a', responses_api: true }]",
      "providers[0].responses_api: applies only to kind openai",
    ],
    [
      "providers: [{ id: a, kind: openai, base_url: 'https://a', demote_nonstreaming: 'yes' }]",
      'providers[0].demote_nonstreaming: expected true or false, got "yes"',
    ],
    [
      "providers: [{ id: a, kind: openai, base_url: 'https://a', limits: { max_body_bytes: 32MB } }]",
      'providers[0].limits.max_body_bytes: expected a size from 1KiB to 1GiB such as 4096, 64KiB or 32MiB, got "32MB"',
    ],
    [
      "providers: [{ id: a, kind: openai, base_url: 'https://a', limits: { max_body_bytes: 100 } }]",
      "providers[0].limits.max_body_bytes: expected a size from 1KiB to 1GiB",
    ],
    [
      "providers: [{ id: a, kind: openai, base_url: 'https://a', limits: { max_messages: 10000001 } }]",
      "providers[0].limits.max_messages: expected a whole number 1-10000000, got 10000001",
    ],
    [
      "providers: [{ id: a, kind: openai, base_url: 'https://a', limits: { max_tokens: 5 } }]",
      "providers[0].limits.max_tokens: unknown field (expected one of: max_body_bytes, max_messages)",
    ],
  ])("%s fails: %s", (text, message) => {
    expect(() => parseSetupFile(text, {})).toThrow(message);
  });

  it("two mappings with the same alias in another case are refused before any write", () => {
    const text =
      "providers: [{ id: a, kind: openai, base_url: 'https://a' }]\nmappings:\n  - { id: x, alias: GPT-4, target: a }\n  - { id: y, alias: gpt-4, target: a }\n";
    expect(() => parseSetupFile(text, {})).toThrow(
      'mappings[1].alias: "gpt-4" is also the alias of mapping x',
    );
  });
});
