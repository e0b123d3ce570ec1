// Admin authentication: every RPC carries `Authorization: Bearer <PARLEY_ADMIN_TOKEN>`.
// Both sides are hashed before the constant-time compare, so neither the token's
// content nor its length leaks through timing.
import { createHash, timingSafeEqual } from "node:crypto";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/** Whether `given` equals `expected`, in time independent of where they differ. */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Refuses every RPC without the right bearer token with `unauthenticated`. */
export function bearerAuth(token: string): Interceptor {
  return (next) => async (req) => {
    const header = req.header.get("authorization") ?? "";
    const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (match === null) {
      throw new ConnectError(
        "missing admin token: send the header `Authorization: Bearer <PARLEY_ADMIN_TOKEN>`",
        Code.Unauthenticated,
      );
    }
    if (!tokensEqual(match[1]!, token)) throw new ConnectError("wrong admin token", Code.Unauthenticated);
    return next(req);
  };
}
