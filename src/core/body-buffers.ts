// Reused memory for large request bodies. A body of megabytes lives as long as its request,
// and a translated request lives long enough for its body to be promoted out of V8's young
// generation; promoted, its memory is freed only by a full mark-compact, and V8 starts one
// whenever such memory grows by a few tens of megabytes — every third request at 4 MB. A body
// read into a buffer that an earlier request gave back allocates nothing.
//
// The one rule that keeps this safe: memory that reaches I/O is never reused. A socket may
// still be sending a buffer after its request has failed over or given up, so a body handed
// to an upstream as it is (`forget`) leaves the pool and is freed by the garbage collector as
// any other buffer would be. Everything else reads a body only while its request runs, which
// ends with `give`.

/** Bodies smaller than this die young; allocating them is cheaper than keeping memory for them. */
export const POOLED_MIN_BYTES = 1024 * 1024;

/** Spare memory kept between requests at most; a body larger than this is not pooled. */
export const POOLED_KEEP_BYTES = 16 * 1024 * 1024;

/** Buffers are made in whole mebibytes, so bodies of nearly one size share them. */
const GRAIN = 1024 * 1024;

/** Buffers lent for request bodies, and those waiting to be lent again. */
export class BodyBuffers {
  /** Whole buffers waiting, oldest first. */
  private readonly spare: Buffer[] = [];
  private spareBytes = 0;
  /** The whole buffer behind each lent body, by its memory. */
  private readonly lent = new Map<ArrayBufferLike, Buffer>();

  constructor(private readonly keepBytes = POOLED_KEEP_BYTES) {}

  /**
   * A buffer of exactly `size` bytes, uninitialised, for a body to be copied into; undefined
   * when the body is too small or too large to be pooled. Give it back when its request ends.
   */
  take(size: number): Buffer | undefined {
    if (size < POOLED_MIN_BYTES || size > this.keepBytes) return undefined;
    let best = -1;
    for (let i = 0; i < this.spare.length; i++) {
      const length = this.spare[i]!.length;
      if (length >= size && (best < 0 || length < this.spare[best]!.length)) best = i;
    }
    const whole =
      best < 0 ? Buffer.allocUnsafeSlow(Math.ceil(size / GRAIN) * GRAIN) : this.spare.splice(best, 1)[0]!;
    if (best >= 0) this.spareBytes -= whole.length;
    this.lent.set(whole.buffer, whole);
    return whole.subarray(0, size);
  }

  /** Takes back a body `take` lent; anything else (an ordinary buffer, one forgotten) is ignored. */
  give(body: Buffer): void {
    const whole = this.lent.get(body.buffer);
    if (whole === undefined) return;
    this.lent.delete(body.buffer);
    this.spare.push(whole);
    this.spareBytes += whole.length;
    while (this.spareBytes > this.keepBytes) this.spareBytes -= this.spare.shift()!.length;
  }

  /** Lets a lent body (or any part of one) leave the pool for good: it is about to reach I/O. */
  forget(body: Buffer): void {
    this.lent.delete(body.buffer);
  }

  /** Whether `body` is memory lent from this pool. */
  lends(body: Buffer): boolean {
    return this.lent.has(body.buffer);
  }

  /** Spare memory kept now, in bytes. */
  spareMemoryBytes(): number {
    return this.spareBytes;
  }
}

/** The process's pool: request bodies are read into it, and upstream sends take theirs out of it. */
export const requestBodies = new BodyBuffers();
