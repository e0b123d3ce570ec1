// Bytes in memory of their own, for data that outlives the moment it was made. Node hands out
// small Buffers (Buffer.from, Buffer.concat, allocUnsafe) as slices of shared 8 KiB slabs, and a
// slice kept alive keeps its whole slab alive: an open stream holding a few hundred bytes that
// way holds 8 KiB, most of it other requests' garbage.

/** `data` as a Buffer whose memory is exactly its own: a string encoded, a slab slice copied. */
export function ownedBytes(data: string | Buffer, encoding: BufferEncoding = "utf8"): Buffer {
  if (typeof data === "string") {
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(data, encoding));
    bytes.write(data, encoding);
    return bytes;
  }
  if (data.byteLength === data.buffer.byteLength) return data;
  const bytes = Buffer.allocUnsafeSlow(data.length);
  data.copy(bytes);
  return bytes;
}
