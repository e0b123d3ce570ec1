// The error text a health-check result carries: the upstream's own message when it sent
// one, else the start of its body, else what failed in transport — always with the
// provider's API key replaced, since upstreams and proxies sometimes echo it back.

/** Longest error text kept per result. */
const MAX_ERROR_CHARS = 500;

/** Replaces every occurrence of `secret` with `[redacted]`. */
export function scrubSecret(text: string, secret: string | null): string {
  return secret === null || secret === "" ? text : text.replaceAll(secret, "[redacted]");
}

function messageIn(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { error, message } = parsed as { error?: unknown; message?: unknown };
  // OpenAI and Anthropic both put it at error.message; some gateways at the top level.
  if (typeof error === "object" && error !== null) {
    const inner = (error as { message?: unknown }).message;
    if (typeof inner === "string" && inner !== "") return inner;
  }
  if (typeof error === "string" && error !== "") return error;
  if (typeof message === "string" && message !== "") return message;
  return undefined;
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_ERROR_CHARS ? `${flat.slice(0, MAX_ERROR_CHARS - 1)}…` : flat;
}

/** Error text for a non-2xx answer: `HTTP 401: <upstream message>`. */
export function httpErrorText(status: number, body: string, apiKey: string | null): string {
  // Scrub before clipping, so a cut never leaves half a key behind.
  const detail = clip(scrubSecret(messageIn(body) ?? body, apiKey));
  return detail === "" ? `HTTP ${status}` : `HTTP ${status}: ${detail}`;
}

/** Error text for a failure without a usable answer (timeout, refused connection). */
export function transportErrorText(message: string, apiKey: string | null): string {
  return clip(scrubSecret(message, apiKey));
}
