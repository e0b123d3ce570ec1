import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/control/db/database.js";
import { mappingIdFor, parseModelMap, seedQuickStart } from "../../../src/control/db/quick-start.js";
import { buildSnapshot } from "../../../src/control/snapshot-builder.js";
import { ConfigError } from "../../../src/core/config.js";

const timeouts = { connectMs: 1, headersMs: 1, idleMs: 1, requestMs: 1 };
const tempDb = () => openDatabase(join(mkdtempSync(join(tmpdir(), "parley-qs-")), "p.db"));
const none = { baseUrl: undefined, apiKey: undefined };

describe("parseModelMap", () => {
  it("splits alias=provider/model and keeps slashes in the model", () => {
    expect(parseModelMap("claude-*haiku*=openai/gpt-4.1-mini, x=openrouter/anthropic/claude-3")).toEqual([
      { alias: "claude-*haiku*", providerId: "openai", model: "gpt-4.1-mini" },
      { alias: "x", providerId: "openrouter", model: "anthropic/claude-3" },
    ]);
  });

  it.each(["nomodel", "a=openai", "a=/m", "=openai/m"])("rejects %s", (spec) => {
    expect(() => parseModelMap(spec)).toThrow(ConfigError);
  });
});

describe("mappingIdFor", () => {
  it.each([
    ["*", "default"],
    ["claude-*haiku*", "claude-haiku"],
    ["GPT-4.1", "gpt-4-1"],
  ])("%s → %s", (alias, id) => expect(mappingIdFor(alias)).toBe(id));
});

describe("seedQuickStart", () => {
  it("seeds providers, the model map and a catch-all to the first provider", () => {
    const { db, close } = tempDb();
    const result = seedQuickStart(db, {
      openai: { baseUrl: "http://o/v1", apiKey: "sk-o" },
      anthropic: { baseUrl: undefined, apiKey: "sk-a" },
      modelMap: "claude-*haiku*=openai/gpt-4.1-mini,claude-*=anthropic/claude-sonnet-4-5",
    });
    expect(result.providers).toEqual(["openai", "anthropic"]);
    const snap = buildSnapshot(db, timeouts, 1);
    expect(snap.resolve("claude-haiku-4-5")?.targets[0]?.upstreamModel).toBe("gpt-4.1-mini");
    expect(snap.resolve("claude-opus-4")?.targets[0]?.provider.id).toBe("anthropic");
    const fallback = snap.resolve("llama-3")?.targets[0];
    expect(fallback?.provider.id).toBe("openai");
    expect(fallback?.upstreamModel).toBeNull();
    expect(snap.providers.get("anthropic")?.baseUrl).toBe("https://api.anthropic.com");
    close();
  });

  it("does nothing when providers already exist", () => {
    const { db, close } = tempDb();
    const env = { openai: { baseUrl: "http://o/v1", apiKey: "k" }, anthropic: none, modelMap: undefined };
    seedQuickStart(db, env);
    expect(seedQuickStart(db, { ...env, modelMap: "x=openai/y" }).providers).toEqual([]);
    expect(buildSnapshot(db, timeouts, 1).aliases()).toEqual(["*"]);
    close();
  });

  it("refuses a model map naming an unconfigured provider and writes nothing", () => {
    const { db, close } = tempDb();
    expect(() =>
      seedQuickStart(db, {
        openai: { baseUrl: "http://o/v1", apiKey: "k" },
        anthropic: none,
        modelMap: "x=anthropic/y",
      }),
    ).toThrow(/anthropic/);
    expect(buildSnapshot(db, timeouts, 1).isEmpty).toBe(true);
    close();
  });
});
