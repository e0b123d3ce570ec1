// SQLite failures become the status a client can act on, and neither the message sent
// nor the fields logged carry the statement or its parameters (an API key among them).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, describe, expect, it } from "vitest";
import { describeError, toConnectError } from "../../../src/control/connect-errors.js";
import { openDatabase } from "../../../src/control/db/database.js";
import { providers } from "../../../src/control/db/schema.js";

const dir = mkdtempSync(join(tmpdir(), "parley-errors-"));
const database = openDatabase(join(dir, "p.db"));
afterAll(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

const KEY = "sk-ant-api03-THE-SECRET-KEY-0000";

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the statement to fail");
}

describe("toConnectError", () => {
  const insert = () =>
    database.db
      .insert(providers)
      .values({ id: "dup", kind: "openai", baseUrl: "https://x.example", apiKey: KEY })
      .run();
  insert();
  const duplicate = failure(insert);

  it("the raw SQLite error names tables and columns (what must not reach a client)", () => {
    expect(String((duplicate as Error).message)).toContain("providers.id");
  });

  it("a primary-key collision is already_exists without SQL or parameters", () => {
    const error = toConnectError(duplicate);
    expect(error.code).toBe(Code.AlreadyExists);
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toMatch(/insert|providers\.id|params/i);
  });

  it("the log description names the SQLite code and nothing from the statement", () => {
    const logged = JSON.stringify(describeError(duplicate));
    expect(logged).toContain("SQLITE_CONSTRAINT_PRIMARYKEY");
    expect(logged).not.toContain(KEY);
    expect(logged).not.toMatch(/insert into/i);
  });

  // drizzle's async drivers wrap the SQLite error in `Failed query: … params: …`, key included.
  it.each([
    ["a foreign-key failure", "SQLITE_CONSTRAINT_FOREIGNKEY", Code.FailedPrecondition],
    ["a unique index failure", "SQLITE_CONSTRAINT_UNIQUE", Code.AlreadyExists],
    ["a busy database", "SQLITE_BUSY", Code.Unavailable],
    ["another database failure", "SQLITE_IOERR", Code.Internal],
  ])("%s maps to its code", (_name, sqliteCode, code) => {
    const cause = Object.assign(new Error(`boom ${KEY}`), { code: sqliteCode });
    const wrapped = new Error(`Failed query: insert ... params: ${KEY}`, { cause });
    const error = toConnectError(wrapped);
    expect(error.code).toBe(code);
    expect(error.message).not.toContain(KEY);
  });

  it("a ConnectError passes through unchanged and anything else becomes internal", () => {
    const given = new ConnectError("x", Code.NotFound);
    expect(toConnectError(given)).toBe(given);
    expect(toConnectError(new TypeError("bug")).code).toBe(Code.Internal);
  });
});
