// Requests that lean on state OpenAI keeps server-side — a previous response, a
// conversation, a stored prompt, a background run to poll later. An Anthropic provider
// has none of it, so each is refused with what to send instead.
import { InvalidRequestError } from "../../core/errors.js";

/** The stateful fields of a Responses request, typed loosely. */
export interface LooseStateFields {
  previous_response_id?: unknown;
  conversation?: unknown;
  prompt?: unknown;
  background?: unknown;
}

const REFUSALS: Array<{ field: keyof LooseStateFields; message: string }> = [
  {
    field: "previous_response_id",
    message:
      "previous_response_id needs responses stored by OpenAI, and this model is served by an Anthropic provider that keeps none; send the full conversation as input, with store: false",
  },
  {
    field: "conversation",
    message:
      "conversation needs a conversation stored by OpenAI, and this model is served by an Anthropic provider that keeps none; send the full conversation as input, with store: false",
  },
  {
    field: "prompt",
    message:
      "prompt refers to a prompt template stored by OpenAI, which an Anthropic provider cannot read; send the instructions and input themselves",
  },
];

/** Throws when the request needs server-side state. */
export function refuseServerState(request: LooseStateFields): void {
  for (const { field, message } of REFUSALS) {
    const value = request[field];
    if (value !== undefined && value !== null && value !== "") {
      throw new InvalidRequestError({ message, param: field });
    }
  }
  if (request.background === true) {
    throw new InvalidRequestError({
      message:
        "background: a background response is polled from OpenAI's storage, which an Anthropic provider does not have; send the request without background (stream it for long tasks)",
      param: "background",
    });
  }
}
