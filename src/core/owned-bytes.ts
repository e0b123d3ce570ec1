// Bytes in memory of their own, for data that outlives the moment it was made. Node hands out
// small Buffers (Buffer.from, Buffer.concat, allocUnsafe) as slices of shared 8 KiB slabs, and a
// slice kept alive keeps its whole slab alive: an open stream holding a few hundred bytes that
// way holds 8 KiB, most of it other requests' garbage.

/**
 * `data` as a Buffer that keeps no shared slab alive: a string encoded into memory of its own, a
 * slab slice copied out. A view into a larger buffer of its own (a pooled body) is left as it is:
 * it keeps only that buffer, and copying megabytes to save nothing would cost a request.
 */
export function ownedBytes(data: string | Buffer, encoding: BufferEncoding = "utf8"): Buffer {
  if (typeof data === "string") {
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(data, encoding));
    bytes.write(data, encoding);
    return bytes;
  }
  if (data.byteLength === data.buffer.byteLength || data.buffer.byteLength > Buffer.poolSize) return data;
  const bytes = Buffer.allocUnsafeSlow(data.length);
  data.copy(bytes);
  return bytes;
}
