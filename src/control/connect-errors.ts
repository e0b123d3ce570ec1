// The admin API's error vocabulary: one constructor per status code the services raise,
// and the translation of anything else (SQLite constraint failures, bugs) into a
// ConnectError whose message never carries SQL text, bound parameters or secrets.
import { Code, ConnectError } from "@connectrpc/connect";

/** Bad input: the message starts with the field at fault (`provider.base_url: …`). */
export function invalidArgument(field: string, message: string): ConnectError {
  return new ConnectError(`${field}: ${message}`, Code.InvalidArgument);
}

/** A resource that does not exist (`provider "openai" not found`). */
export function notFound(what: string, id: string): ConnectError {
  return new ConnectError(`${what} ${JSON.stringify(id)} not found`, Code.NotFound);
}

/** A create that collides with an existing id or unique value. */
export function alreadyExists(message: string): ConnectError {
  return new ConnectError(message, Code.AlreadyExists);
}

/** A write the current state forbids (a missing reference, a resource still in use). */
export function failedPrecondition(message: string): ConnectError {
  return new ConnectError(message, Code.FailedPrecondition);
}

/** The SQLite error a failed statement raised, found through drizzle's wrapper (`cause`). */
function sqliteCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_")) return code;
  }
  return undefined;
}

/**
 * Log fields that describe an error without its message when it may hold a statement
 * and its parameters (drizzle's `Failed query: … params: …` would print an API key).
 */
export function describeError(error: unknown): Record<string, unknown> {
  const code = sqliteCode(error);
  if (code !== undefined) return { error_class: "database", sqlite_code: code };
  if (error instanceof Error)
    return { error_class: error.name, error_message: error.message, stack: error.stack };
  return { error_class: typeof error, error_message: String(error) };
}

/**
 * Turns any error into a ConnectError. Constraint failures become the code a client can act
 * on (a pre-check normally answers first; these cover what slips past it); a busy database
 * is `unavailable`; everything else goes through `ConnectError.from` as `internal`, with
 * database errors reduced to a generic message.
 */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  const code = sqliteCode(error);
  switch (code) {
    case undefined:
      return ConnectError.from(error, Code.Internal);
    case "SQLITE_CONSTRAINT_UNIQUE":
    case "SQLITE_CONSTRAINT_PRIMARYKEY":
      return alreadyExists("a resource with the same id or alias already exists");
    case "SQLITE_CONSTRAINT_FOREIGNKEY":
      return failedPrecondition(
        "the change would leave a reference to a missing resource, or remove one still in use",
      );
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return new ConnectError("the database is busy; retry the call", Code.Unavailable);
    default:
      return ConnectError.from(
        new Error(`internal database error (${code}); see the server log`),
        Code.Internal,
      );
  }
}
