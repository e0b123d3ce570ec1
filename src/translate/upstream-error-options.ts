// What an error translator may know beyond the upstream's status and body: the request's
// model and the refusing provider, so the client's message can say what to do next.
// Every field is optional: without them the translators keep the upstream's words.

/** Context for translating one upstream error answer. */
export interface UpstreamErrorOptions {
  /** The model the upstream was asked for; named in context-length errors. */
  upstreamModel?: string;
  /** The provider's id (never its key); named in rate-limit and overload errors. */
  providerId?: string;
  /** The upstream's `retry-after` header value as sent (seconds or an HTTP date). */
  retryAfter?: string;
}
