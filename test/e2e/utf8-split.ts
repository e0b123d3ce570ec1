// Cuts a wire chunk inside its first multi-byte character, so the receiver gets the
// character's bytes in two network writes and must not decode them one write at a time.

/** `text` as UTF-8 bytes in two pieces split inside its first non-ASCII character, or whole. */
export function splitInsideMultibyte(text: string): Buffer[] {
  const bytes = Buffer.from(text, "utf8");
  const first = bytes.findIndex((byte) => byte >= 0x80);
  if (first === -1) return [bytes];
  return [bytes.subarray(0, first + 1), bytes.subarray(first + 1)];
}
