// The OpenAPI 3.1 document of the data plane's own endpoints, served at /openapi.json: what
// each one accepts, what it answers, and every error status and body it can return. Built
// once at load; the JSON text is what the route sends.
import type { Dialect } from "../core/dialect-errors.js";
import {
  COMPONENT_HEADERS,
  COMPONENT_RESPONSES,
  EITHER_DIALECT,
  modelErrorResponses,
  successHeaders,
} from "./openapi-responses.js";
import { COMPONENT_SCHEMAS, schemaRef } from "./openapi-schemas.js";
import type {
  HeaderObject,
  OpenApiDocument,
  OperationObject,
  PathItemObject,
  Reference,
} from "./openapi-types.js";

/** Probes and this document need no client key. */
const PUBLIC: OperationObject["security"] = [];

/** The one header every answer carries. */
const REQUEST_ID_ONLY = { "x-request-id": { $ref: "#/components/headers/RequestId" } };

function parameterRef(name: string): Reference {
  return { $ref: `#/components/parameters/${name}` };
}

/** What sets one model endpoint apart from the others. */
interface ModelEndpoint {
  operationId: string;
  summary: string;
  description: string;
  dialect: Dialect;
  tag: string;
  request: string;
  response: string;
  /** The schema of each streamed event's data; none for an endpoint that never streams. */
  streamEvent?: string;
  successHeaders: Record<string, HeaderObject | Reference>;
}

/** A POST endpoint that routes its `model` to a provider: same statuses, its dialect's bodies. */
function modelOperation(endpoint: ModelEndpoint): OperationObject {
  const content = {
    "application/json": { schema: schemaRef(endpoint.response) },
    ...(endpoint.streamEvent
      ? {
          "text/event-stream": {
            schema: {
              type: "string",
              description:
                "Server-sent events (`stream: true`), forwarded line for line in passthrough. Nothing is sent before " +
                "the first content event or PARLEY_COMMIT_DEADLINE (then pings keep the connection alive), so a " +
                "failure before content is still an HTTP error status; a failure after it is one error event.",
            },
            "x-parley-event-schema": `#/components/schemas/${endpoint.streamEvent}`,
          },
        }
      : {}),
  };
  const anthropic = endpoint.dialect === "anthropic";
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    description: endpoint.description,
    tags: [endpoint.tag],
    parameters: [
      parameterRef("RequestId"),
      ...(anthropic ? [parameterRef("AnthropicVersion"), parameterRef("AnthropicBeta")] : []),
    ],
    requestBody: {
      description: "JSON; at most PARLEY_MAX_BODY_BYTES.",
      required: true,
      content: { "application/json": { schema: schemaRef(endpoint.request) } },
    },
    responses: {
      "200": {
        description:
          "The provider's answer, in the client's dialect (translated when the provider speaks the other one). A JSON " +
          "body over 1 KiB is gzip- or brotli-compressed when `accept-encoding` allows.",
        headers: endpoint.successHeaders,
        content,
      },
      ...modelErrorResponses(endpoint.dialect),
    },
  };
}

const modelPaths: Record<string, PathItemObject> = {
  "/v1/messages": {
    post: modelOperation({
      operationId: "createMessage",
      summary: "Anthropic Messages",
      description:
        "Claude-compatible traffic (Claude Code, the Anthropic SDKs). Passthrough to an Anthropic provider, " +
        "translated to Chat Completions for an OpenAI-compatible one.",
      dialect: "anthropic",
      tag: "anthropic",
      request: "AnthropicMessagesRequest",
      response: "AnthropicMessage",
      streamEvent: "AnthropicStreamEvent",
      successHeaders: successHeaders({ providerRequired: true }),
    }),
  },
  "/v1/messages/count_tokens": {
    post: modelOperation({
      operationId: "countMessageTokens",
      summary: "Anthropic token count",
      description:
        "Forwarded to the route's first target when it is an Anthropic provider (never retried: Claude Code sends " +
        "many at once); counted locally with a tokenizer for an OpenAI-compatible one, marked as an estimate.",
      dialect: "anthropic",
      tag: "anthropic",
      request: "AnthropicCountTokensRequest",
      response: "AnthropicCountTokensResponse",
      successHeaders: successHeaders({ providerRequired: false, tokenCount: true }),
    }),
  },
  "/v1/chat/completions": {
    post: modelOperation({
      operationId: "createChatCompletion",
      summary: "OpenAI Chat Completions",
      description:
        "OpenAI-compatible traffic. Passthrough to an OpenAI-compatible provider, translated to Messages for an " +
        "Anthropic one.",
      dialect: "openai",
      tag: "openai",
      request: "OpenAIChatCompletionRequest",
      response: "OpenAIChatCompletion",
      streamEvent: "OpenAIChatCompletionChunk",
      successHeaders: successHeaders({ providerRequired: true }),
    }),
  },
  "/v1/responses": {
    post: modelOperation({
      operationId: "createResponse",
      summary: "OpenAI Responses",
      description:
        "What Codex CLI speaks. Passthrough to a provider that serves /v1/responses, translated to Chat Completions " +
        "or Messages otherwise; a stream is the full Responses event sequence with `sequence_number`, ending in " +
        "`response.completed` or `response.failed`.",
      dialect: "openai",
      tag: "openai",
      request: "ResponsesCreateRequest",
      response: "ResponsesResponse",
      streamEvent: "ResponsesStreamEvent",
      successHeaders: successHeaders({ providerRequired: true }),
    }),
  },
};

const otherPaths: Record<string, PathItemObject> = {
  "/v1/models": {
    get: {
      operationId: "listModels",
      summary: "The mapped aliases",
      description:
        "The model aliases mapped in Parley (globs included as written): Anthropic's list shape when the request " +
        "carries `anthropic-version`, OpenAI's otherwise.",
      tags: ["models"],
      parameters: [parameterRef("RequestId"), parameterRef("AnthropicVersion")],
      responses: {
        "200": {
          description: "The aliases.",
          headers: REQUEST_ID_ONLY,
          content: {
            "application/json": {
              schema: { oneOf: [schemaRef("OpenAIModelList"), schemaRef("AnthropicModelList")] },
            },
          },
        },
        "401": EITHER_DIALECT.unauthorized,
        "405": EITHER_DIALECT.methodNotAllowed,
        "503": EITHER_DIALECT.draining,
      },
    },
  },
  "/health": {
    get: {
      operationId: "health",
      summary: "Readiness, providers and their breakers",
      description: "Answers any method, without a key, through a drain.",
      tags: ["probes"],
      security: PUBLIC,
      responses: {
        "200": {
          description: "Serving.",
          headers: REQUEST_ID_ONLY,
          content: { "application/json": { schema: schemaRef("Health") } },
        },
        "503": {
          description: "Draining (after SIGTERM): take this replica out of rotation.",
          headers: REQUEST_ID_ONLY,
          content: { "application/json": { schema: schemaRef("Health") } },
        },
      },
    },
  },
  "/livez": {
    get: {
      operationId: "livez",
      summary: "Liveness",
      description: "Answers any method, without a key, through a drain (then with `draining: true`).",
      tags: ["probes"],
      security: PUBLIC,
      responses: {
        "200": {
          description: "The process is alive.",
          headers: REQUEST_ID_ONLY,
          content: { "application/json": { schema: schemaRef("Livez") } },
        },
      },
    },
  },
  "/metrics": {
    get: {
      operationId: "metrics",
      summary: "Prometheus metrics",
      description:
        "Requests, durations and time-to-first-byte histograms, tokens, in-flight requests, retries, fallbacks and " +
        "breaker states, in the Prometheus text exposition format.",
      tags: ["probes"],
      security: PUBLIC,
      responses: {
        "200": {
          description: "The exposition.",
          headers: REQUEST_ID_ONLY,
          content: { "text/plain; version=0.0.4": { schema: { type: "string" } } },
        },
      },
    },
  },
  "/openapi.json": {
    get: {
      operationId: "openapi",
      summary: "This document",
      description: "Public, like the APIs it describes: it names no provider, alias or key.",
      tags: ["probes"],
      security: PUBLIC,
      responses: {
        "200": {
          description: "The OpenAPI 3.1 document of the data plane.",
          headers: REQUEST_ID_ONLY,
          content: {
            "application/json": {
              schema: { type: "object", required: ["openapi", "info", "paths"], additionalProperties: true },
            },
          },
        },
        "405": EITHER_DIALECT.methodNotAllowed,
      },
    },
  },
  "/": {
    get: {
      operationId: "root",
      summary: "A load balancer's default probe",
      tags: ["probes"],
      security: PUBLIC,
      responses: {
        "200": {
          description: "`parley` and a newline (HEAD: no body).",
          headers: REQUEST_ID_ONLY,
          content: { "text/plain": { schema: { const: "parley\n" } } },
        },
      },
    },
  },
};

const DESCRIPTION = [
  "Parley's data plane: Claude-compatible (`/v1/messages`) and OpenAI-compatible (`/v1/chat/completions`,",
  "`/v1/responses`) traffic routed by `model` to the providers a mapping names, passed through or translated",
  "between the two dialects, with retries, fallback chains and circuit breakers.",
  "",
  "Errors are always in the client's dialect: Anthropic's `{type: error, error: {type, message}}` on",
  "`/v1/messages*`, OpenAI's `{error: {message, type, param, code}}` on `/v1/chat/completions` and",
  "`/v1/responses`. An upstream 4xx/5xx keeps its status and its body (translated when the dialects differ). A",
  "path not listed here answers 404 (components/responses/UnknownRoute) in Anthropic's shape when the request",
  "carries `anthropic-version`, OpenAI's otherwise. A client that hangs up is logged as 499; nothing is sent.",
  "Node's HTTP layer itself may answer a malformed request line or headers that arrive too slowly",
  "(PARLEY_CLIENT_HEADERS_TIMEOUT) with a bodyless 400 or 408 before Parley sees the request.",
  "",
  "Client keys (PARLEY_CLIENT_KEYS) go in `x-api-key` or `Authorization: Bearer`; with none configured, Parley",
  "serves loopback addresses only and needs no key.",
].join("\n");

/** The data plane's OpenAPI document. */
export const OPENAPI_DOCUMENT: OpenApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Parley data plane",
    version: "0.1.0",
    description: DESCRIPTION,
    license: { name: "Apache-2.0", identifier: "Apache-2.0" },
  },
  jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
  servers: [{ url: "/", description: "The Parley that served this document." }],
  tags: [
    { name: "anthropic", description: "Anthropic's dialect." },
    { name: "openai", description: "OpenAI's dialects." },
    { name: "models", description: "What the client may ask for." },
    { name: "probes", description: "For load balancers, orchestrators and scrapers; no key needed." },
  ],
  security: [{ ApiKey: [] }, { Bearer: [] }],
  paths: { ...modelPaths, ...otherPaths },
  components: {
    schemas: COMPONENT_SCHEMAS,
    responses: COMPONENT_RESPONSES,
    headers: COMPONENT_HEADERS,
    parameters: {
      RequestId: {
        name: "x-request-id",
        in: "header",
        description:
          "Echoed on the answer and logged when it is 1-128 of `[A-Za-z0-9_.:-]`; a new UUID otherwise.",
        schema: { type: "string" },
      },
      AnthropicVersion: {
        name: "anthropic-version",
        in: "header",
        description:
          "Forwarded to an Anthropic provider; on /v1/models (and unknown paths) it selects Anthropic's shape.",
        schema: { type: "string", examples: ["2023-06-01"] },
      },
      AnthropicBeta: {
        name: "anthropic-beta",
        in: "header",
        description: "Forwarded to an Anthropic provider.",
        schema: { type: "string" },
      },
    },
    securitySchemes: {
      ApiKey: {
        type: "apiKey",
        in: "header",
        name: "x-api-key",
        description: "One of PARLEY_CLIENT_KEYS (what ANTHROPIC_API_KEY sends).",
      },
      Bearer: {
        type: "http",
        scheme: "bearer",
        description:
          "One of PARLEY_CLIENT_KEYS (what ANTHROPIC_AUTH_TOKEN and the OpenAI SDK's apiKey send).",
      },
    },
  },
};

/** The document as served: serialized once, at load. */
export const OPENAPI_JSON_TEXT: string = JSON.stringify(OPENAPI_DOCUMENT);
