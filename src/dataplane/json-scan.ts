// The JSON byte scans' fast path for large bodies: while a scan of a body runs, a copy of the
// body sits in a small WebAssembly module's memory (json-scan.wat), whose loops find string
// and container ends a block of bytes at a time. In JavaScript the same loops cost 1–2.5 ns a
// byte on escape-dense text such as source code inside tool results; in the module, about
// 0.4. Results are the TypeScript loops' results exactly; where the module cannot say (a
// backslash outside any string), the caller's own loop answers.
import { JSON_SCAN_WASM } from "../gen/json-scan-wasm.js";

/** Bodies smaller than this are scanned in JavaScript: the copy and the calls cost more than they save. */
export const SCAN_COPY_MIN_BYTES = 16 * 1024;

/** Zero bytes after the copy, so the module's loads past the end (up to 64 bytes) read zeros. */
const PADDING = 64;

/** Memory kept between scans; a larger body's memory is let go after its scan. */
const KEEP_BYTES = 16 * 1024 * 1024;

const PAGE = 64 * 1024;

/** What container_end answers when the text has a backslash outside a string. */
const NOT_DECIDED = -2;

/** The part of the WebAssembly API used here: the project's TypeScript libraries declare none of it. */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
};

interface ScanExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  string_end(from: number, n: number): number;
  checked_string_end(from: number, n: number): number;
  container_end(start: number, n: number): number;
}

const compiled = new WebAssembly.Module(Buffer.from(JSON_SCAN_WASM, "base64"));

let instance: ScanExports | undefined;
/** The body whose copy is in memory while its scan runs. */
let loaded: Buffer | undefined;

/**
 * Runs `scan` with a copy of `body` in the module's memory when the body is large, so the
 * functions below answer for it. The copy lasts only as long as the (synchronous) scan, so a
 * buffer changed afterwards is never answered for from an old copy.
 */
export function withScanCopy<T>(body: Buffer, scan: () => T): T {
  if (body.length < SCAN_COPY_MIN_BYTES || loaded !== undefined || bytesOnly) return scan();
  const exports = instanceFor(body.length);
  if (exports === undefined) return scan();
  const memory = new Uint8Array(exports.memory.buffer, 0, body.length + PADDING);
  memory.set(body);
  memory.fill(0, body.length);
  loaded = body;
  try {
    return scan();
  } finally {
    loaded = undefined;
    if (exports.memory.buffer.byteLength > KEEP_BYTES) instance = undefined;
  }
}

/** Set while {@link withoutScanCopy} runs. */
let bytesOnly = false;

/** Runs `scan` with the byte loops alone, as for a small body, even inside another body's scan: the reference the copy is held to. */
export function withoutScanCopy<T>(scan: () => T): T {
  const outer = bytesOnly;
  bytesOnly = true;
  try {
    return scan();
  } finally {
    bytesOnly = outer;
  }
}

/** The module with memory for `bytes`; undefined when the memory cannot grow that far (the loops then scan). */
function instanceFor(bytes: number): ScanExports | undefined {
  instance ??= new WebAssembly.Instance(compiled).exports as unknown as ScanExports;
  const missing = bytes + PADDING - instance.memory.buffer.byteLength;
  try {
    if (missing > 0) instance.memory.grow(Math.ceil(missing / PAGE));
  } catch {
    instance = undefined;
    return undefined;
  }
  return instance;
}

/** The memory the module holds between scans (0 when it has none). */
export function scanMemoryBytes(): number {
  return instance?.memory.buffer.byteLength ?? 0;
}

/** The module, when `text` is the body being scanned; undefined otherwise. */
function forText(text: Buffer): ScanExports | undefined {
  return text === loaded && !bytesOnly ? instance : undefined;
}

/**
 * The offset of the quote closing the string whose contents start at `from` (a backslash
 * escapes the next byte, whatever it is); -1 when unterminated; undefined when `text` has no copy.
 */
export function copiedStringEnd(text: Buffer, from: number): number | undefined {
  return forText(text)?.string_end(from, text.length);
}

/**
 * Like {@link copiedStringEnd}, but -1 also when the contents before the quote are not valid
 * JSON string contents (a byte below 0x20, an unknown escape, `\u` without four hex digits).
 */
export function copiedCheckedStringEnd(text: Buffer, from: number): number | undefined {
  return forText(text)?.checked_string_end(from, text.length);
}

/**
 * The offset just past the object or array whose bracket is at `start` (brackets counted
 * outside strings), or -1; undefined when `text` has no copy or the module cannot decide.
 */
export function copiedContainerEnd(text: Buffer, start: number): number | undefined {
  const end = forText(text)?.container_end(start, text.length);
  return end === NOT_DECIDED ? undefined : end;
}
