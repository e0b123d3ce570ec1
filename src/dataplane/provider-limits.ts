// A provider's own request limits (Provider.limits in the admin API), checked per target
// just before a request would be sent to it. The process-wide limits bound every request
// on arrival; these only decide whether one provider may be asked, so a chain can move on.
import type { ClientDialect } from "../core/dialect-errors.js";
import { InvalidRequestError, type ParleyError, PayloadTooLargeError } from "../core/errors.js";
import type { ProviderConfig } from "../routing/types.js";

/** What of a request a provider's limits are measured on. */
export interface LimitedRequest {
  dialect: ClientDialect;
  /** The body as the client sent it. */
  rawBody: string;
  body: Record<string, unknown>;
}

/** The error a provider's own limits give this request, or undefined when it may be sent there. */
export function providerLimitError(
  provider: ProviderConfig,
  request: LimitedRequest,
): ParleyError | undefined {
  const { maxMessages, maxBodyBytes } = provider.limits;
  if (maxMessages !== null) {
    const count = conversationLength(request);
    if (count > maxMessages) {
      return new InvalidRequestError({
        message: `provider "${provider.id}" takes at most ${maxMessages} messages; this request has ${count} — trim the conversation or route it elsewhere`,
        param: request.dialect === "responses" ? "input" : "messages",
      });
    }
  }
  // A UTF-16 unit is 1-3 UTF-8 bytes: only a body within a factor of three of the limit is
  // counted (counting 32 MiB takes ~13 ms, and it would be paid on every attempt).
  if (maxBodyBytes !== null && request.rawBody.length * 3 > maxBodyBytes) {
    const bytes = Buffer.byteLength(request.rawBody, "utf8");
    if (bytes > maxBodyBytes) {
      return new PayloadTooLargeError({
        message: `provider "${provider.id}" takes request bodies of at most ${formatBytes(maxBodyBytes)}; this one has ${bytes} bytes — send fewer or smaller images and documents, trim the conversation, or route it elsewhere`,
      });
    }
  }
  return undefined;
}

/**
 * The entries of the conversation as the client wrote it: `messages`, or the Responses
 * `input` items (a string input is one message). Counted before translation, since that is
 * what the client can trim.
 */
function conversationLength(request: LimitedRequest): number {
  const entries = request.dialect === "responses" ? request.body.input : request.body.messages;
  if (Array.isArray(entries)) return entries.length;
  return typeof entries === "string" ? 1 : 0;
}

function formatBytes(n: number): string {
  const MiB = 1024 * 1024;
  if (n % MiB === 0) return `${n / MiB} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
