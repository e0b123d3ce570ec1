// Which upstream statuses another attempt may cure (DESIGN §4), knowing the provider's
// kind: Anthropic answers 409 for a transient conflict, where for OpenAI-compatible
// upstreams a 409 is the request's own fault.

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504, 529]);

/** Whether an answer with `status` from a provider of `kind` is worth another attempt. */
export function isRetryableStatus(kind: "anthropic" | "openai", status: number): boolean {
  return RETRYABLE.has(status) || (status === 409 && kind === "anthropic");
}
