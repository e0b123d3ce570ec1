// Shapes every translator shares. Translators are pure: they never modify their input,
// so a retry or a fallback can run them again for the next target.

/** What a translator knows about the request it serves. */
export interface TranslateContext {
  /** The model name the client asked for; responses echo it. */
  clientModel: string;
  /** The model name sent upstream. */
  upstreamModel: string;
}

/** A per-request state machine from upstream stream events to client stream events. */
export interface StreamTranslator<In, Out> {
  /** Translates one upstream event into zero or more client events. */
  push(input: In): Out[];
  /** Closes the stream: the events that end it well-formed, whatever the upstream sent. */
  end(): Out[];
}
