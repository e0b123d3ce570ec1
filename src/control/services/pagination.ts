// List pagination (AIP-158): page_size 0 means 100, larger than 1000 is coerced to 1000,
// negative is refused. The page token is opaque to clients: base64url of
// "<collection>:<last id>", so a token from another list or a mangled one is refused
// instead of silently restarting the listing.
import { invalidArgument } from "../connect-errors.js";

/** Page size used when the request says 0. */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest page served; larger requests are coerced to it. */
export const MAX_PAGE_SIZE = 1000;

/** A validated page request: rows with id greater than `afterId`, at most `limit` of them. */
export interface PageRequest {
  afterId: string | undefined;
  limit: number;
}

/** Encodes the token that resumes a listing after `lastId`. */
export function encodePageToken(collection: string, lastId: string): string {
  return Buffer.from(`${collection}:${lastId}`, "utf8").toString("base64url");
}

function decodePageToken(collection: string, token: string): string {
  const refuse = () =>
    invalidArgument(
      "page_token",
      "is not a token this list returned: pass the next_page_token of the previous response, or leave it empty",
    );
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw refuse();
  const decoded = Buffer.from(token, "base64url");
  const text = decoded.toString("utf8");
  const prefix = `${collection}:`;
  if (encodePageToken(collection, text.slice(prefix.length)) !== token || !text.startsWith(prefix))
    throw refuse();
  const lastId = text.slice(prefix.length);
  if (lastId === "") throw refuse();
  return lastId;
}

/** Validates page_size and page_token of a List request for `collection`. */
export function pageRequest(
  collection: string,
  request: { pageSize: number; pageToken: string },
): PageRequest {
  if (request.pageSize < 0) {
    throw invalidArgument(
      "page_size",
      `must not be negative (0 means ${DEFAULT_PAGE_SIZE}), got ${request.pageSize}`,
    );
  }
  const limit = request.pageSize === 0 ? DEFAULT_PAGE_SIZE : Math.min(request.pageSize, MAX_PAGE_SIZE);
  const afterId = request.pageToken === "" ? undefined : decodePageToken(collection, request.pageToken);
  return { afterId, limit };
}

/**
 * Splits rows fetched with `limit + 1` into the page and the token of the next one
 * (empty on the last page), so no extra query is needed to know whether more exist.
 */
export function pageOf<T>(collection: string, rows: T[], limit: number, idOf: (row: T) => string) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextPageToken =
    rows.length > limit && last !== undefined ? encodePageToken(collection, idOf(last)) : "";
  return { items, nextPageToken };
}
