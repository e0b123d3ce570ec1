// A database written before the per-provider dialect settings (or the request limits)
// existed is migrated at start-up: its providers keep every value and read the new
// settings as unset.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/control/db/database.js";
import { buildSnapshot } from "../../../src/control/snapshot-builder.js";

const dir = mkdtempSync(join(tmpdir(), "parley-migrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The migrations folder as it was before `tag` (and everything after it). */
function migrationsBefore(tag: string): string {
  const folder = join(dir, `before-${tag}`);
  cpSync(resolve("migrations"), folder, { recursive: true });
  const journalPath = join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

describe("the provider settings migration", () => {
  it("upgrades an older database in place, the new settings unset", () => {
    const path = join(dir, "parley.db");
    const sqlite = new Database(path);
    migrate(drizzle(sqlite), { migrationsFolder: migrationsBefore("0002_provider_dialect_settings") });
    sqlite
      .prepare("INSERT INTO providers (id, kind, base_url, max_retries) VALUES (?, ?, ?, ?)")
      .run("old", "openai", "https://api.openai.com/v1", 3);
    sqlite.close();

    const database = openDatabase(path);
    try {
      const provider = buildSnapshot(
        database.db,
        { connectMs: 1, headersMs: 1, idleMs: 1, requestMs: 1 },
        1,
      ).providers.get("old");
      expect(provider).toMatchObject({ maxRetries: 3, demoteNonStreaming: null, responsesApi: true });
    } finally {
      database.close();
    }
  });

  it("adds the request limits to an older database, unset: no limit of the provider's own", () => {
    const path = join(dir, "limits.db");
    const sqlite = new Database(path);
    migrate(drizzle(sqlite), { migrationsFolder: migrationsBefore("0003_provider_limits") });
    sqlite
      .prepare("INSERT INTO providers (id, kind, base_url, responses_api) VALUES (?, ?, ?, ?)")
      .run("old", "openai", "http://10.0.0.5:8000/v1", 1);
    sqlite.close();

    const database = openDatabase(path);
    try {
      const provider = buildSnapshot(
        database.db,
        { connectMs: 1, headersMs: 1, idleMs: 1, requestMs: 1 },
        1,
      ).providers.get("old");
      expect(provider).toMatchObject({
        responsesApi: true,
        limits: { maxBodyBytes: null, maxMessages: null },
      });
    } finally {
      database.close();
    }
  });
});
