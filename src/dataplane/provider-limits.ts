// A provider's own request limits (Provider.limits in the admin API), checked per target
// just before a request would be sent to it. The process-wide limits bound every request
// on arrival; these only decide whether one provider may be asked, so a chain can move on.
import type { ClientDialect } from "../core/dialect-errors.js";
import { InvalidRequestError, type ParleyError, PayloadTooLargeError } from "../core/errors.js";
import type { ProviderConfig } from "../routing/types.js";

/** What of a request a provider's limits are measured on. */
export interface LimitedRequest {
  dialect: ClientDialect;
  body: { bytes: Buffer };
  /** Entries of the conversation as the client wrote it: `messages`, or the Responses `input` items. */
  conversationLength: number;
}

/** The error a provider's own limits give this request, or undefined when it may be sent there. */
export function providerLimitError(
  provider: ProviderConfig,
  request: LimitedRequest,
): ParleyError | undefined {
  const { maxMessages, maxBodyBytes } = provider.limits;
  if (maxMessages !== null) {
    const count = request.conversationLength;
    if (count > maxMessages) {
      return new InvalidRequestError({
        message: `provider "${provider.id}" takes at most ${maxMessages} messages; this request has ${count} — trim the conversation or route it elsewhere`,
        param: request.dialect === "responses" ? "input" : "messages",
      });
    }
  }
  const bytes = request.body.bytes.length;
  if (maxBodyBytes !== null && bytes > maxBodyBytes) {
    return new PayloadTooLargeError({
      message: `provider "${provider.id}" takes request bodies of at most ${formatBytes(maxBodyBytes)}; this one has ${bytes} bytes — send fewer or smaller images and documents, trim the conversation, or route it elsewhere`,
    });
  }
  return undefined;
}

function formatBytes(n: number): string {
  const MiB = 1024 * 1024;
  if (n % MiB === 0) return `${n / MiB} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
