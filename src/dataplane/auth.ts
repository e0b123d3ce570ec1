// Client authentication on the data plane: a key from PARLEY_CLIENT_KEYS presented as
// `x-api-key` or `Authorization: Bearer`, compared in constant time.
import { hash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

function digest(value: string): Buffer {
  // The one-shot hash: a quarter cheaper than createHash on every request.
  return hash("sha256", value, "buffer");
}

/** The key a client presented, from either header. */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const apiKey = headers["x-api-key"];
  if (typeof apiKey === "string" && apiKey !== "") return apiKey;
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "");
  return match?.[1]?.trim();
}

/** Checks client keys; with none configured every request is let through. */
export class ClientAuth {
  private readonly digests: Buffer[];
  /**
   * Keys already accepted once, so each later request is one set lookup instead of a hash.
   * Only accepted keys enter it, so it never outgrows the configured keys; a wrong key always
   * takes the constant-time path.
   */
  private readonly accepted = new Set<string>();

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  /** Whether keys are required at all. */
  get required(): boolean {
    return this.digests.length > 0;
  }

  /** Whether the request carries an accepted key. */
  allows(headers: IncomingHttpHeaders): boolean {
    if (!this.required) return true;
    const key = presentedKey(headers);
    if (key === undefined) return false;
    if (this.accepted.has(key)) return true;
    const candidate = digest(key);
    // Compare against every key so the time taken says nothing about which one matched.
    let ok = false;
    for (const d of this.digests) ok = timingSafeEqual(d, candidate) || ok;
    if (ok) this.accepted.add(key);
    return ok;
  }
}
