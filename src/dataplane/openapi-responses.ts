// The responses and headers of the data plane's OpenAPI document: every error status a model
// endpoint can answer, once per dialect (the examples come from the same `errorBody` the edge
// answers with), and the headers Parley adds to its answers.
import { type Dialect, errorBody } from "../core/dialect-errors.js";
import { schemaRef } from "./openapi-schemas.js";
import type { HeaderObject, JsonObject, Reference, ResponseObject } from "./openapi-types.js";

/** A `$ref` to a response of this document. */
function responseRef(name: string): Reference {
  return { $ref: `#/components/responses/${name}` };
}

/** A `$ref` to a header of this document. */
function headerRef(name: string): Reference {
  return { $ref: `#/components/headers/${name}` };
}

/** The headers Parley adds, by the component name they are documented under. */
export const COMPONENT_HEADERS: Record<string, HeaderObject> = {
  RequestId: {
    description:
      "The client's `x-request-id` when it sent a usable one (1-128 of `[A-Za-z0-9_.:-]`), else a new UUID.",
    required: true,
    schema: { type: "string", pattern: "^[\\w.:-]{1,128}$" },
  },
  ParleyProvider: {
    description: "The provider that answered (or, on a failure, the last one tried).",
    schema: { type: "string", minLength: 1 },
  },
  ParleyAttempts: {
    description: "How many upstream attempts the request took, retries and fallbacks included.",
    schema: { type: "string", pattern: "^[0-9]+$" },
  },
  ParleyFallbackExhausted: {
    description: "Present when the model maps to a fallback chain and every target in it failed.",
    schema: { const: "true" },
  },
  ParleyOverheadMs: {
    description: "Milliseconds Parley itself added to the request (time not spent waiting for the upstream).",
    schema: { type: "string", pattern: "^[0-9]+(\\.[0-9]+)?$" },
  },
  ParleyTokenCount: {
    description: "`estimate` when the count was made locally with a tokenizer rather than by the provider.",
    schema: { const: "estimate" },
  },
  RetryAfter: {
    description:
      "Passed through from the upstream (with `retry-after-ms`, `request-id`, `anthropic-ratelimit-*`, " +
      "`x-ratelimit-*`, `openai-processing-ms`) when it sent one.",
    schema: { type: "string" },
  },
};

/** Headers every answer of a model endpoint may carry; only `x-request-id` is always there. */
const MODEL_ERROR_HEADERS = {
  "x-request-id": headerRef("RequestId"),
  "x-parley-provider": headerRef("ParleyProvider"),
  "x-parley-attempts": headerRef("ParleyAttempts"),
  "x-parley-fallback-exhausted": headerRef("ParleyFallbackExhausted"),
  "retry-after": headerRef("RetryAfter"),
};

/** The headers of a successful model answer; `providerRequired` when every answer went through the target loop. */
export function successHeaders(options: {
  providerRequired: boolean;
  tokenCount?: boolean;
}): Record<string, HeaderObject | Reference> {
  const required = (name: string) => ({ ...COMPONENT_HEADERS[name]!, required: options.providerRequired });
  return {
    "x-request-id": headerRef("RequestId"),
    "x-parley-provider": required("ParleyProvider"),
    "x-parley-attempts": required("ParleyAttempts"),
    "x-parley-overhead-ms": required("ParleyOverheadMs"),
    ...(options.tokenCount ? { "x-parley-token-count": headerRef("ParleyTokenCount") } : {}),
  };
}

/** One error status of a model endpoint, with an example message of the case it documents. */
interface ErrorStatus {
  status: string;
  name: string;
  description: string;
  /** The status and message of the example body. */
  example: { status: number; message: string; param?: string; code: string };
}

/** Every error a model endpoint answers (DESIGN §4); 499 is only logged, never sent. */
const ERROR_STATUSES: readonly ErrorStatus[] = [
  {
    status: "400",
    name: "BadRequest",
    description:
      "The body is not JSON, not an object, has a top-level key twice, lacks `model` or `messages`, has a " +
      "malformed message or a non-boolean `stream`, or asks for what the translation cannot express (`n` > 1, " +
      "`previous_response_id`); OpenAI bodies name the field in `param`. Also an upstream 400 (a context-length " +
      "error is reworded: Anthropic's `prompt is too long: N tokens > M maximum`, OpenAI's " +
      "`context_length_exceeded`).",
    example: {
      status: 400,
      message: "`messages` is required and must be a non-empty array of messages",
      param: "messages",
      code: "PARLEY_ERR_INVALID_REQUEST",
    },
  },
  {
    status: "401",
    name: "Unauthorized",
    description:
      "With PARLEY_CLIENT_KEYS set, no key or a wrong one (as `x-api-key` or `Authorization: Bearer`); or the " +
      "upstream refused the client credentials a provider without its own key forwards.",
    example: {
      status: 401,
      message:
        "invalid or missing API key: send one of PARLEY_CLIENT_KEYS as x-api-key or Authorization: Bearer",
      code: "PARLEY_ERR_AUTHENTICATION",
    },
  },
  {
    status: "404",
    name: "NotFound",
    description: "The model is not mapped to any provider; the message lists the aliases that exist.",
    example: {
      status: 404,
      message: 'model "llama-3" is not mapped to any provider; known aliases: claude-*, gpt-4.1',
      param: "model",
      code: "PARLEY_ERR_NOT_FOUND",
    },
  },
  {
    status: "405",
    name: "MethodNotAllowed",
    description: "A method other than the one documented for this path.",
    example: {
      status: 405,
      message: "GET is not allowed here; use POST",
      code: "PARLEY_ERR_METHOD_NOT_ALLOWED",
    },
  },
  {
    status: "408",
    name: "RequestTimeout",
    description: "The body did not arrive within PARLEY_CLIENT_BODY_TIMEOUT; the connection is then closed.",
    example: {
      status: 408,
      message: "the request body did not arrive within 30 s (PARLEY_CLIENT_BODY_TIMEOUT)",
      code: "PARLEY_ERR_REQUEST_TIMEOUT",
    },
  },
  {
    status: "413",
    name: "PayloadTooLarge",
    description:
      "The body is larger than PARLEY_MAX_BODY_BYTES (32 MiB by default); the connection is then closed.",
    example: {
      status: 413,
      message:
        "request body is larger than 32 MiB (PARLEY_MAX_BODY_BYTES); send fewer or smaller images and documents, " +
        "or trim the conversation",
      code: "PARLEY_ERR_PAYLOAD_TOO_LARGE",
    },
  },
  {
    status: "429",
    name: "RateLimited",
    description:
      "The upstream's rate limit, after Parley's retries and fallbacks; its body (translated across dialects) " +
      "and `retry-after` are kept.",
    example: { status: 429, message: "Rate limit reached for requests", code: "rate_limit_exceeded" },
  },
  {
    status: "500",
    name: "InternalError",
    description: "The upstream answered 500 (its body kept), or Parley failed unexpectedly.",
    example: { status: 500, message: "internal error", code: "PARLEY_ERR_INTERNAL" },
  },
  {
    status: "502",
    name: "BadGateway",
    description:
      "The upstream could not be reached (refused, reset, DNS), or answered in something that is not its dialect; " +
      "or it answered 502 itself (a load balancer's HTML page becomes a message of its text).",
    example: {
      status: 502,
      message: 'could not reach provider "openai": ECONNREFUSED',
      code: "PARLEY_ERR_UPSTREAM_CONNECTION",
    },
  },
  {
    status: "503",
    name: "Unavailable",
    description:
      "No provider is configured (the message says how to add one), the model's providers are all disabled, " +
      "every provider for the model is circuit-open (the message says when each is tried again), or this " +
      "Parley is draining (the connection is then closed; retry on another replica); or the upstream answered 503.",
    example: {
      status: 503,
      message:
        "no provider is configured: set PARLEY_OPENAI_BASE_URL and PARLEY_OPENAI_API_KEY (or " +
        "PARLEY_ANTHROPIC_BASE_URL and PARLEY_ANTHROPIC_API_KEY) and restart, or add one with `parley providers create`",
      code: "PARLEY_ERR_NO_PROVIDER",
    },
  },
  {
    status: "504",
    name: "GatewayTimeout",
    description:
      "The upstream missed a deadline (connect, response headers, stream idle before the first byte, whole " +
      "request) on every attempt; or it answered 504 itself.",
    example: {
      status: 504,
      message:
        'provider "openai": response headers timeout after 300 s (PARLEY_HEADERS_TIMEOUT or the provider\'s own setting)',
      code: "PARLEY_ERR_UPSTREAM_TIMEOUT",
    },
  },
  {
    status: "4XX",
    name: "UpstreamClientError",
    description:
      "Any other 4xx the upstream answered (402, 403, 409, 422…), its status and body kept; a body from an " +
      "upstream of the client's dialect is forwarded as the upstream wrote it.",
    example: {
      status: 403,
      message: "Your API key does not have permission to use the specified resource.",
      code: "permission_denied",
    },
  },
  {
    status: "5XX",
    name: "UpstreamServerError",
    description: "Any other 5xx the upstream answered (529 overloaded…), its status and body kept.",
    example: { status: 529, message: "Overloaded", code: "overloaded_error" },
  },
];

const DIALECT_NAMES: Record<Dialect, string> = { anthropic: "Anthropic", openai: "OpenAI" };

/** The body the edge answers with, as plain JSON (the dialect types are interfaces, not index signatures). */
function exampleBody(
  dialect: Dialect,
  status: number,
  message: string,
  options: { param: string | null; code: string },
): JsonObject {
  const body = errorBody(dialect, status, message, options);
  return "type" in body ? { type: body.type, error: { ...body.error } } : { error: { ...body.error } };
}

function errorResponse(dialect: Dialect, entry: ErrorStatus): ResponseObject {
  const { status, message, param, code } = entry.example;
  return {
    description: entry.description,
    headers: MODEL_ERROR_HEADERS,
    content: {
      "application/json": {
        schema: schemaRef(`${DIALECT_NAMES[dialect]}Error`),
        example: exampleBody(dialect, status, message, { param: param ?? null, code }),
      },
    },
  };
}

/** An error whose dialect follows the request: Anthropic's with `anthropic-version`, OpenAI's otherwise. */
function eitherDialectResponse(description: string): ResponseObject {
  return {
    description: `${description} Anthropic's error shape when the request carries \`anthropic-version\`, OpenAI's otherwise.`,
    headers: { "x-request-id": headerRef("RequestId") },
    content: {
      "application/json": { schema: { oneOf: [schemaRef("AnthropicError"), schemaRef("OpenAIError")] } },
    },
  };
}

/** Every response component: each error status in each dialect, and the dialect-following ones. */
export const COMPONENT_RESPONSES: Record<string, ResponseObject> = {
  ...Object.fromEntries(
    (["anthropic", "openai"] as const).flatMap((dialect) =>
      ERROR_STATUSES.map((entry) => [
        `${DIALECT_NAMES[dialect]}${entry.name}`,
        errorResponse(dialect, entry),
      ]),
    ),
  ),
  UnknownRoute: eitherDialectResponse(
    "No such path (with PARLEY_CLIENT_KEYS set, a request without a valid key gets a 401 first).",
  ),
  EitherUnauthorized: eitherDialectResponse("With PARLEY_CLIENT_KEYS set, no key or a wrong one."),
  EitherMethodNotAllowed: eitherDialectResponse("A method other than the one documented for this path."),
  EitherDraining: eitherDialectResponse(
    "This Parley is draining and takes no new requests; the connection is closed, retry on another replica.",
  ),
};

/** The error responses of a model endpoint in its dialect, by status. */
export function modelErrorResponses(dialect: Dialect): Record<string, Reference> {
  return Object.fromEntries(
    ERROR_STATUSES.map((entry) => [entry.status, responseRef(`${DIALECT_NAMES[dialect]}${entry.name}`)]),
  );
}

/** References to the dialect-following responses, for endpoints outside the model routes. */
export const EITHER_DIALECT = {
  unauthorized: responseRef("EitherUnauthorized"),
  methodNotAllowed: responseRef("EitherMethodNotAllowed"),
  draining: responseRef("EitherDraining"),
} as const;
