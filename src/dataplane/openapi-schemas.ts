// The component schemas of the data plane's OpenAPI document: the wire shapes each endpoint
// reads and writes. Request and response shapes are loose on purpose — the required fields,
// then `additionalProperties: true`, since both APIs add fields faster than a proxy ships;
// error bodies and Parley's own probes are exact.
import type { SchemaObject } from "./openapi-types.js";

/** A `$ref` to a schema of this document. */
export function schemaRef(name: string): SchemaObject {
  return { $ref: `#/components/schemas/${name}` };
}

const nullableString: SchemaObject = { type: ["string", "null"] };
const anObject: SchemaObject = { type: "object", additionalProperties: true };

const anthropicSchemas: Record<string, SchemaObject> = {
  AnthropicInputMessage: {
    type: "object",
    required: ["role", "content"],
    additionalProperties: true,
    properties: {
      role: { type: "string", enum: ["user", "assistant"] },
      content: {
        description: "A string, or content blocks (text, image, document, tool_use, tool_result, thinking…).",
        oneOf: [{ type: "string" }, { type: "array", items: { ...anObject, required: ["type"] } }],
      },
    },
  },
  AnthropicMessagesRequest: {
    type: "object",
    description:
      "Anthropic's Messages create params. Parley itself checks `model`, `messages` and `stream`, rewrites `model` " +
      "to the upstream model and passes the rest through (or translates it for an OpenAI-compatible provider).",
    required: ["model", "messages"],
    additionalProperties: true,
    properties: {
      model: { type: "string", minLength: 1, description: "An alias mapped in Parley (exact or glob)." },
      messages: { type: "array", minItems: 1, items: schemaRef("AnthropicInputMessage") },
      max_tokens: {
        type: "integer",
        minimum: 1,
        description:
          "Required by Anthropic's API; a translation to an OpenAI-compatible provider passes it on.",
      },
      system: { oneOf: [{ type: "string" }, { type: "array", items: anObject }] },
      stream: { type: "boolean", description: "true: the answer is a `text/event-stream`." },
      tools: { type: "array", items: anObject },
      tool_choice: anObject,
      temperature: { type: "number" },
      top_p: { type: "number" },
      top_k: { type: "integer" },
      stop_sequences: { type: "array", items: { type: "string" } },
      metadata: anObject,
      thinking: anObject,
    },
  },
  AnthropicCountTokensRequest: {
    type: "object",
    description: "The Messages params without `max_tokens` and `stream`.",
    required: ["model", "messages"],
    additionalProperties: true,
    properties: {
      model: { type: "string", minLength: 1 },
      messages: { type: "array", minItems: 1, items: schemaRef("AnthropicInputMessage") },
      system: { oneOf: [{ type: "string" }, { type: "array", items: anObject }] },
      tools: { type: "array", items: anObject },
    },
  },
  AnthropicCountTokensResponse: {
    type: "object",
    required: ["input_tokens"],
    additionalProperties: true,
    properties: {
      input_tokens: { type: "integer", minimum: 0 },
      estimate: {
        type: "boolean",
        description:
          "true when Parley counted locally for an OpenAI-compatible provider (then `x-parley-token-count: estimate`).",
      },
    },
  },
  AnthropicMessage: {
    type: "object",
    required: ["id", "type", "role", "content", "model", "stop_reason", "usage"],
    additionalProperties: true,
    properties: {
      id: { type: "string" },
      type: { const: "message" },
      role: { const: "assistant" },
      content: { type: "array", items: { ...anObject, required: ["type"] } },
      model: { type: "string" },
      stop_reason: nullableString,
      stop_sequence: nullableString,
      usage: {
        type: "object",
        required: ["input_tokens", "output_tokens"],
        additionalProperties: true,
        properties: { input_tokens: { type: "integer" }, output_tokens: { type: "integer" } },
      },
    },
  },
  AnthropicStreamEvent: {
    type: "object",
    description:
      "The JSON `data` of one event of a Messages stream. A failure after the stream began is one `error` event, " +
      "then the stream ends.",
    required: ["type"],
    additionalProperties: true,
    properties: {
      type: {
        enum: [
          "message_start",
          "content_block_start",
          "content_block_delta",
          "content_block_stop",
          "message_delta",
          "message_stop",
          "ping",
          "error",
        ],
      },
    },
    if: { properties: { type: { const: "error" } } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's conditional keyword; this object is never awaited.
    then: { required: ["error"], properties: { error: schemaRef("AnthropicErrorDetail") } },
  },
  AnthropicErrorDetail: {
    type: "object",
    required: ["type", "message"],
    additionalProperties: true,
    properties: {
      type: {
        type: "string",
        description:
          "invalid_request_error, authentication_error, permission_error, not_found_error, request_too_large, " +
          "rate_limit_error, api_error, timeout_error, overloaded_error…",
      },
      message: {
        type: "string",
        description: "What went wrong and, where the client can act, how to fix it.",
      },
    },
  },
  AnthropicError: {
    type: "object",
    description: "Anthropic's error body.",
    required: ["type", "error"],
    additionalProperties: true,
    properties: { type: { const: "error" }, error: schemaRef("AnthropicErrorDetail") },
  },
  AnthropicModelList: {
    type: "object",
    required: ["data", "has_more", "first_id", "last_id"],
    additionalProperties: true,
    properties: {
      data: {
        type: "array",
        items: {
          type: "object",
          required: ["type", "id", "display_name", "created_at"],
          additionalProperties: true,
          properties: {
            type: { const: "model" },
            id: { type: "string" },
            display_name: { type: "string" },
            created_at: { type: "string", format: "date-time" },
          },
        },
      },
      has_more: { type: "boolean" },
      first_id: nullableString,
      last_id: nullableString,
    },
  },
};

const openaiSchemas: Record<string, SchemaObject> = {
  OpenAIChatMessage: {
    type: "object",
    required: ["role"],
    additionalProperties: true,
    properties: {
      role: { type: "string", enum: ["system", "developer", "user", "assistant", "tool", "function"] },
      content: { oneOf: [{ type: "string" }, { type: "array", items: anObject }, { type: "null" }] },
    },
  },
  OpenAIChatCompletionRequest: {
    type: "object",
    description:
      "OpenAI's Chat Completions create params. Parley checks `model`, `messages` and `stream`, rewrites `model` " +
      "and passes the rest through (or translates it for an Anthropic provider, which refuses `n` > 1).",
    required: ["model", "messages"],
    additionalProperties: true,
    properties: {
      model: { type: "string", minLength: 1, description: "An alias mapped in Parley (exact or glob)." },
      messages: { type: "array", minItems: 1, items: schemaRef("OpenAIChatMessage") },
      stream: { type: "boolean", description: "true: the answer is a `text/event-stream`." },
      stream_options: anObject,
      max_tokens: { type: "integer", minimum: 1 },
      max_completion_tokens: { type: "integer", minimum: 1 },
      n: { type: "integer", minimum: 1 },
      tools: { type: "array", items: anObject },
      tool_choice: { oneOf: [{ type: "string" }, anObject] },
      temperature: { type: "number" },
      top_p: { type: "number" },
      stop: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }, { type: "null" }] },
      response_format: anObject,
      user: { type: "string" },
    },
  },
  OpenAIChatCompletion: {
    type: "object",
    required: ["id", "object", "created", "model", "choices"],
    additionalProperties: true,
    properties: {
      id: { type: "string" },
      object: { const: "chat.completion" },
      created: { type: "integer" },
      model: { type: "string" },
      choices: {
        type: "array",
        items: {
          type: "object",
          required: ["index", "message", "finish_reason"],
          additionalProperties: true,
          properties: {
            index: { type: "integer" },
            message: { ...anObject, required: ["role"] },
            finish_reason: nullableString,
          },
        },
      },
      usage: anObject,
    },
  },
  OpenAIChatCompletionChunk: {
    type: "object",
    description:
      "The JSON `data` of one event of a Chat Completions stream (the last event's data is `[DONE]`, not JSON). " +
      'A failure after the stream began is one `data: {"error":{...}}` event, then `[DONE]`.',
    oneOf: [
      {
        type: "object",
        required: ["id", "object", "created", "model", "choices"],
        additionalProperties: true,
        properties: {
          id: { type: "string" },
          object: { const: "chat.completion.chunk" },
          created: { type: "integer" },
          model: { type: "string" },
          choices: { type: "array", items: { ...anObject, required: ["index"] } },
          usage: { oneOf: [anObject, { type: "null" }] },
        },
      },
      schemaRef("OpenAIError"),
    ],
  },
  OpenAIErrorDetail: {
    type: "object",
    required: ["message", "type", "param", "code"],
    additionalProperties: true,
    properties: {
      message: {
        type: "string",
        description: "What went wrong and, where the client can act, how to fix it.",
      },
      type: {
        type: "string",
        description:
          "invalid_request_error, authentication_error, permission_error, not_found_error, rate_limit_error, " +
          "server_error, timeout…",
      },
      param: {
        ...nullableString,
        description: "The request field at fault (`model`, `messages[3]`…), if any.",
      },
      code: {
        type: ["string", "integer", "null"],
        description:
          "A stable code: Parley's own (`PARLEY_ERR_INVALID_REQUEST`…), or the provider's " +
          "(`context_length_exceeded`…); an OpenAI-compatible server's own code is passed through as it sent it " +
          "(vLLM sends the status number).",
      },
    },
  },
  OpenAIError: {
    type: "object",
    description: "OpenAI's error body.",
    required: ["error"],
    additionalProperties: true,
    properties: { error: schemaRef("OpenAIErrorDetail") },
  },
  OpenAIModelList: {
    type: "object",
    required: ["object", "data"],
    additionalProperties: true,
    properties: {
      object: { const: "list" },
      data: {
        type: "array",
        items: {
          type: "object",
          required: ["id", "object", "created", "owned_by"],
          additionalProperties: true,
          properties: {
            id: { type: "string" },
            object: { const: "model" },
            created: { type: "integer" },
            owned_by: { type: "string" },
          },
        },
      },
    },
  },
};

const responsesSchemas: Record<string, SchemaObject> = {
  ResponsesCreateRequest: {
    type: "object",
    description:
      "OpenAI's Responses create params (what Codex CLI sends). Passed through to a provider that serves " +
      "/v1/responses, translated otherwise; `previous_response_id` is then refused with a 400, since only the " +
      "provider that made a response can continue it.",
    required: ["model"],
    additionalProperties: true,
    properties: {
      model: { type: "string", minLength: 1, description: "An alias mapped in Parley (exact or glob)." },
      input: {
        description: "A string, or input items (messages, function_call, function_call_output, reasoning…).",
        oneOf: [{ type: "string" }, { type: "array", items: anObject }],
      },
      instructions: nullableString,
      stream: { type: "boolean", description: "true: the answer is a `text/event-stream`." },
      tools: { type: "array", items: { ...anObject, required: ["type"] } },
      tool_choice: { oneOf: [{ type: "string" }, anObject] },
      parallel_tool_calls: { type: "boolean" },
      max_output_tokens: { type: ["integer", "null"], minimum: 1 },
      reasoning: { oneOf: [anObject, { type: "null" }] },
      text: anObject,
      store: { type: ["boolean", "null"] },
      previous_response_id: nullableString,
      temperature: { type: ["number", "null"] },
      top_p: { type: ["number", "null"] },
    },
  },
  ResponsesResponse: {
    type: "object",
    description: "OpenAI's Response object.",
    required: ["id", "object", "created_at", "status", "model", "output"],
    additionalProperties: true,
    properties: {
      id: { type: "string" },
      object: { const: "response" },
      created_at: { type: "number" },
      status: { enum: ["completed", "failed", "in_progress", "cancelled", "queued", "incomplete"] },
      model: { type: "string" },
      output: { type: "array", items: { ...anObject, required: ["type"] } },
      usage: { oneOf: [anObject, { type: "null" }] },
      error: { oneOf: [anObject, { type: "null" }] },
    },
  },
  ResponsesStreamEvent: {
    type: "object",
    description:
      "The JSON `data` of one event of a Responses stream: `response.created` … `response.completed` (with usage), " +
      "or `response.failed` / `error` when the upstream fails after the stream began.",
    required: ["type", "sequence_number"],
    additionalProperties: true,
    properties: {
      type: { type: "string", pattern: "^(response\\.[a-z_.]+|error)$" },
      sequence_number: { type: "integer", minimum: 0 },
    },
  },
};

/** The breaker states a provider can be in (resilience/circuit-breaker.ts). */
const BREAKER_STATES = ["closed", "open", "half_open"];

const probeSchemas: Record<string, SchemaObject> = {
  Health: {
    type: "object",
    required: ["status", "snapshot_version", "providers"],
    additionalProperties: false,
    properties: {
      status: { enum: ["ok", "draining"] },
      snapshot_version: {
        type: "integer",
        description: "Increases with every committed admin write; the config this replica serves.",
      },
      providers: {
        type: "array",
        items: {
          type: "object",
          required: ["id", "kind", "enabled", "breaker"],
          additionalProperties: false,
          properties: {
            id: { type: "string" },
            kind: { enum: ["openai", "anthropic"] },
            enabled: { type: "boolean" },
            breaker: schemaRef("Breaker"),
          },
        },
      },
    },
  },
  Breaker: {
    type: "object",
    description: "A provider's circuit breaker; a provider without traffic yet is closed.",
    required: ["state", "consecutive_failures", "opened_at", "retry_at"],
    additionalProperties: false,
    properties: {
      state: { enum: BREAKER_STATES },
      consecutive_failures: { type: "integer", minimum: 0 },
      opened_at: { type: ["string", "null"], format: "date-time" },
      retry_at: {
        type: ["string", "null"],
        format: "date-time",
        description: "When an open breaker lets a probe through.",
      },
    },
  },
  Livez: {
    type: "object",
    required: ["status", "in_flight", "draining", "timestamp"],
    additionalProperties: false,
    properties: {
      status: { enum: ["ok", "draining"] },
      in_flight: { type: "integer", minimum: 0, description: "Requests being served, probes not counted." },
      draining: { type: "boolean" },
      timestamp: { type: "string", format: "date-time" },
    },
  },
};

/** Every component schema of the document. */
export const COMPONENT_SCHEMAS: Record<string, SchemaObject> = {
  ...anthropicSchemas,
  ...openaiSchemas,
  ...responsesSchemas,
  ...probeSchemas,
};
