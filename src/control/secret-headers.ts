// Which extra provider headers are credentials. Their values are write-only, as the API key
// is: stored and sent upstream, never returned. The rule errs towards hiding: a harmless
// header that happens to match (`x-monkey`) only loses its value in responses.

/** Name fragments that mark a credential (`api-key`, `x-goog-api-key`, `x-auth-token`, `x-secret`). */
const SECRET_NAME_PARTS = ["key", "token", "secret", "auth"] as const;

/** Whether a header carries a credential, judged by its name alone. */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === "api-key" || SECRET_NAME_PARTS.some((part) => lower.includes(part));
}

/** The last four characters of a secret, or nothing when it is too short to hint at safely. */
export function secretHint(value: string | null): string {
  return value !== null && value.length >= 8 ? value.slice(-4) : "";
}

/** Headers split into those that may be shown and the secret ones. */
export interface SplitHeaders {
  visible: Record<string, string>;
  secret: Record<string, string>;
}

/** Splits stored headers into visible and secret ones. */
export function splitHeaders(headers: Record<string, string>): SplitHeaders {
  const out: SplitHeaders = { visible: {}, secret: {} };
  for (const [name, value] of Object.entries(headers)) {
    (isSecretHeader(name) ? out.secret : out.visible)[name] = value;
  }
  return out;
}

/**
 * The headers of a full update (empty update_mask): the request's, plus every stored secret
 * header the request does not name (names ignore case), since a client that read the
 * provider never saw those values and could not send them back.
 */
export function keepOmittedSecrets(
  stored: Record<string, string>,
  given: Record<string, string>,
): Record<string, string> {
  const named = new Set(Object.keys(given).map((name) => name.toLowerCase()));
  const kept = Object.entries(splitHeaders(stored).secret).filter(([name]) => !named.has(name.toLowerCase()));
  return { ...given, ...Object.fromEntries(kept) };
}
