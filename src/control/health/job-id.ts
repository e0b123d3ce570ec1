// Health-check job ids in the UUIDv7 layout: a millisecond timestamp first, so ids sort
// by creation and "newest first" is a descending id order that page tokens can resume.
import { randomBytes } from "node:crypto";

/** The millisecond timestamp a UUIDv7 id starts with. */
export function jobIdTime(id: string): number {
  return Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16);
}

/** Issues strictly increasing ids, even within one millisecond or when the clock steps back. */
export class JobIdGenerator {
  private lastMs: number;

  /** `newestExisting` is the greatest id already stored; new ids sort after it. */
  constructor(newestExisting?: string) {
    const stored = newestExisting === undefined ? Number.NaN : jobIdTime(newestExisting);
    this.lastMs = Number.isFinite(stored) ? stored : 0;
  }

  /** A new id, greater than every id issued or stored before. */
  next(now: number = Date.now()): string {
    // One id per millisecond is plenty for jobs; bumping keeps the order strict without a counter.
    const ms = Math.max(now, this.lastMs + 1);
    this.lastMs = ms;
    const bytes = randomBytes(16);
    bytes.writeUIntBE(ms, 0, 6);
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    const hex = bytes.toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
