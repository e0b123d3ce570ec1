// The immutable routing view the data plane reads: providers with their resolved
// policies, and the ordered targets a model name routes to.

/** A provider with every default already applied. */
export interface ProviderConfig {
  readonly id: string;
  readonly kind: "openai" | "anthropic";
  /** OpenAI kind: includes `/v1` (as the OpenAI SDK's baseURL); Anthropic kind: the host root. */
  readonly baseUrl: string;
  /** null = forward the client's credentials unchanged. */
  readonly apiKey: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeouts: ProviderTimeouts;
  /** Attempts after the first; null = the process default. */
  readonly maxRetries: number | null;
  /** Circuit-breaker settings; null fields = the process defaults. */
  readonly breaker: { readonly failureThreshold: number | null; readonly openMs: number | null };
  readonly enabled: boolean;
  /** Send non-streaming requests upstream as streams and answer with one body; null = the process default. */
  readonly demoteNonStreaming: boolean | null;
  /** OpenAI kind: the upstream serves `/v1/responses` (the api.openai.com default already applied). */
  readonly responsesApi: boolean;
  /** The provider's own bounds on one request (a null field: none of its own; the process-wide ones still apply). */
  readonly limits: RequestLimits;
}

/** What one request may carry to be sent to a provider. */
export interface RequestLimits {
  /** Largest client request body, in bytes. */
  readonly maxBodyBytes: number | null;
  /** Most conversation entries (`messages`, or Responses `input` items). */
  readonly maxMessages: number | null;
}

/** Per-provider deadlines in milliseconds (DESIGN §4). */
export interface ProviderTimeouts {
  readonly connectMs: number;
  readonly headersMs: number;
  readonly idleMs: number;
  readonly requestMs: number;
}

/** One place a request can go. */
export interface Target {
  readonly provider: ProviderConfig;
  /** null = send the model name the client asked for. */
  readonly upstreamModel: string | null;
  readonly maxOutputTokens: number | null;
}

/** What a model name resolved to. */
export interface Route {
  /** The alias that matched (exact or glob). */
  readonly alias: string;
  /** One target, or a fallback chain's targets in order. */
  readonly targets: readonly Target[];
}
