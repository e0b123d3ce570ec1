// Opens the SQLite database (WAL, foreign keys on) and applies the drizzle-kit
// migrations before anything else reads it.
import { join } from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { packageRoot } from "../../core/package-root.js";
import * as schema from "./schema.js";

/** The typed database handle every repository takes. */
export type Db = BetterSQLite3Database<typeof schema>;

/** An open database and the means to close it. */
export interface OpenDatabase {
  db: Db;
  close(): void;
}

/** Opens (creating if needed) the database at `path` and migrates it to the latest schema. */
export function openDatabase(path: string): OpenDatabase {
  const sqlite = new Database(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: join(packageRoot(), "migrations") });
  return { db, close: () => sqlite.close() };
}
