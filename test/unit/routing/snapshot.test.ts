import { describe, expect, it } from "vitest";
import { ConfigSnapshot, SnapshotHolder } from "../../../src/routing/snapshot.js";
import type { ProviderConfig, Target } from "../../../src/routing/types.js";

const provider: ProviderConfig = {
  id: "p",
  kind: "openai",
  baseUrl: "http://x/v1",
  apiKey: null,
  headers: {},
  timeouts: { connectMs: 1, headersMs: 1, idleMs: 1, requestMs: 1 },
  maxRetries: null,
  breaker: { failureThreshold: null, openMs: null },
  enabled: true,
  demoteNonStreaming: null,
  responsesApi: false,
  limits: { maxBodyBytes: null, maxMessages: null },
};
const target = (model: string): Target => ({ provider, upstreamModel: model, maxOutputTokens: null });

function snapshot(aliases: string[]): ConfigSnapshot {
  return new ConfigSnapshot({
    version: 1,
    providers: [provider],
    mappings: aliases.map((alias) => ({ alias, targets: [target(`to:${alias}`)] })),
  });
}

describe("ConfigSnapshot.resolve", () => {
  const s = snapshot(["*", "claude-*", "*haiku*", "claude-*haiku*", "claude-sonnet-4-5", "gpt-?"]);
  const cases: Array<[string, string | undefined]> = [
    ["claude-sonnet-4-5", "claude-sonnet-4-5"],
    ["CLAUDE-SONNET-4-5", "claude-sonnet-4-5"],
    ["claude-haiku-4-5-20251001", "claude-*haiku*"],
    ["claude-opus-4-1", "claude-*"],
    ["my-haiku", "*haiku*"],
    ["gpt-5", "gpt-?"],
    ["gpt-55", "*"],
    ["anything", "*"],
  ];
  for (const [model, alias] of cases) {
    it(`routes ${model} to ${alias}`, () => {
      expect(s.resolve(model)?.alias).toBe(alias);
    });
  }

  it("returns undefined when nothing matches", () => {
    expect(snapshot(["claude-*"]).resolve("gpt-4.1")).toBeUndefined();
  });

  it("treats regex characters in aliases literally", () => {
    const dotted = snapshot(["gpt-4.1*"]);
    expect(dotted.resolve("gpt-4.1-mini")?.alias).toBe("gpt-4.1*");
    expect(dotted.resolve("gpt-4x1-mini")).toBeUndefined();
  });

  it("lists exact aliases before globs", () => {
    expect(snapshot(["b-*", "a"]).aliases()).toEqual(["a", "b-*"]);
  });
});

describe("SnapshotHolder", () => {
  it("keeps the snapshot a reader took after a swap", () => {
    const holder = new SnapshotHolder(snapshot(["old"]));
    const taken = holder.current();
    holder.swap(snapshot(["new"]));
    expect(taken.resolve("old")).toBeDefined();
    expect(holder.current().resolve("old")).toBeUndefined();
    expect(holder.current().resolve("new")).toBeDefined();
  });
});
