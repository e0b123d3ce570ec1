// Every admin write runs here: one IMMEDIATE transaction (checks and writes commit
// together or not at all), then the config-change hook, so the next data-plane request
// routes with what was just committed.
import { Code, ConnectError } from "@connectrpc/connect";
import type { Logger } from "../../core/logger.js";
import { describeError } from "../connect-errors.js";
import type { Db } from "../db/database.js";
import type { DbTransaction } from "../db/provider-repository.js";

/** What a write needs from the composition root. */
export interface WriteDeps {
  db: Db;
  logger: Logger;
  onConfigChange: () => void;
}

/** Names the write in the log line (never its values: they may hold a key). */
export interface WriteLabel {
  action: string;
  resource: string;
  id: string;
}

/** Runs `work` in a transaction, then calls `onConfigChange`; returns what `work` returned. */
export function commitWrite<T>(deps: WriteDeps, label: WriteLabel, work: (tx: DbTransaction) => T): T {
  const result = deps.db.transaction(work, { behavior: "immediate" });
  deps.logger.info({ action: label.action, resource: label.resource, id: label.id }, "admin write committed");
  try {
    deps.onConfigChange();
  } catch (error) {
    deps.logger.error(
      { ...describeError(error), id: label.id },
      "config snapshot rebuild failed after a write",
    );
    throw new ConnectError(
      "the change was saved, but the live configuration could not be rebuilt; see the server log",
      Code.Internal,
    );
  }
  return result;
}
