// Splits a `data:` URL (RFC 2397) into its media type and payload. OpenAI clients send
// inline images and files this way; Anthropic wants the media type and the base64 bytes
// as separate fields.

/** The parts of a `data:` URL. */
export interface DataUrl {
  /** Lower-cased media type; `text/plain` when the URL names none (RFC 2397's default). */
  mediaType: string;
  /** Whether the payload is base64 (`;base64`) rather than percent-encoded. */
  base64: boolean;
  /** The payload, still encoded. */
  data: string;
}

/** Parses a `data:` URL, or returns undefined when the string is not one. */
export function parseDataUrl(url: string): DataUrl | undefined {
  if (!/^data:/i.test(url)) return undefined;
  const comma = url.indexOf(",");
  if (comma < 0) return undefined;
  const [type, ...params] = url.slice(5, comma).split(";");
  return {
    mediaType: (type?.trim() || "text/plain").toLowerCase(),
    base64: params.some((p) => p.trim().toLowerCase() === "base64"),
    data: url.slice(comma + 1),
  };
}
