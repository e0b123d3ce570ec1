// Rate-limit, quota and overload answers say which provider refused and when to try again,
// so a user with several providers behind one gateway knows what to wait for. The provider
// is named by its id, never by its key; the upstream's own message follows unchanged.
import type { UpstreamErrorOptions } from "./upstream-error-options.js";

/** What each refusal status means, worded after the provider's name. */
const REFUSALS: Record<number, string> = {
  429: "refused the request (rate limit or quota, HTTP 429)",
  503: "is unavailable or overloaded (HTTP 503)",
  529: "is overloaded (HTTP 529)",
};

/** An HTTP-date as `Retry-After` carries it (IMF-fixdate), e.g. `Wed, 21 Oct 2015 07:28:00 GMT`. */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** When to retry, from a `retry-after` value; undefined when it says nothing usable. */
function retryHint(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d{1,9}(\.\d+)?$/.test(text)) {
    const seconds = Math.ceil(Number(text));
    return `retry after ${seconds} second${seconds === 1 ? "" : "s"}`;
  }
  // Anything else is not echoed: the header is the upstream's to fill, and only the two
  // standard forms mean something to the user.
  return HTTP_DATE.test(text) ? `retry after ${text}` : undefined;
}

/** The message for a 429, 503 or 529: who refused, when to retry if the upstream said, then its message. */
export function refusalMessage(status: number, message: string, options: UpstreamErrorOptions = {}): string {
  const refusal = REFUSALS[status];
  const retry = retryHint(options.retryAfter);
  if (refusal === undefined || (options.providerId === undefined && retry === undefined)) return message;
  const who = options.providerId !== undefined ? `provider ${options.providerId}` : "the provider";
  return `${who} ${refusal}${retry ? `; ${retry}` : ""}. The upstream said: ${message}`;
}
