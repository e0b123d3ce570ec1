// The parts of OpenAPI 3.1 that the data plane's own document uses, typed just enough that
// a misspelt section fails to compile and every value is plain JSON (the document is served
// as its JSON text).

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;

/** A JSON object. */
export type JsonObject = { readonly [key: string]: JsonValue };

/** A JSON Schema 2020-12 schema (OpenAPI 3.1's schema dialect). */
export type SchemaObject = JsonObject;

/** A reference to a component of the same document. */
export interface Reference {
  readonly $ref: string;
}

/** A response header. */
export interface HeaderObject {
  readonly description: string;
  readonly required?: boolean;
  readonly schema: SchemaObject;
}

/** One media type of a body. */
export interface MediaTypeObject {
  readonly schema: SchemaObject;
  readonly example?: JsonValue;
  /** For `text/event-stream`: the component schema each event's JSON `data` matches. */
  readonly "x-parley-event-schema"?: string;
}

/** A response of one status. */
export interface ResponseObject {
  readonly description: string;
  readonly headers?: { readonly [name: string]: HeaderObject | Reference };
  readonly content?: { readonly [mediaType: string]: MediaTypeObject };
}

/** A request header parameter. */
export interface ParameterObject {
  readonly name: string;
  readonly in: "header" | "query";
  readonly description: string;
  readonly required?: boolean;
  readonly schema: SchemaObject;
}

/** A request body. */
export interface RequestBodyObject {
  readonly description: string;
  readonly required: boolean;
  readonly content: { readonly [mediaType: string]: MediaTypeObject };
}

/** A security requirement: scheme name → scopes (none here). */
export type SecurityRequirement = { readonly [scheme: string]: readonly string[] };

/** One method of one path. */
export interface OperationObject {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly security?: readonly SecurityRequirement[];
  readonly parameters?: readonly (ParameterObject | Reference)[];
  readonly requestBody?: RequestBodyObject;
  readonly responses: { readonly [status: string]: ResponseObject | Reference };
}

/** A path and the methods it serves. */
export interface PathItemObject {
  readonly description?: string;
  readonly get?: OperationObject;
  readonly post?: OperationObject;
}

/** A security scheme. */
export type SecuritySchemeObject =
  | { readonly type: "apiKey"; readonly in: "header"; readonly name: string; readonly description: string }
  | { readonly type: "http"; readonly scheme: "bearer"; readonly description: string };

/** The whole document. */
export interface OpenApiDocument {
  readonly openapi: "3.1.0";
  readonly info: {
    readonly title: string;
    readonly version: string;
    readonly description: string;
    readonly license: { readonly name: string; readonly identifier: string };
  };
  readonly jsonSchemaDialect: string;
  readonly servers: readonly { readonly url: string; readonly description: string }[];
  readonly tags: readonly { readonly name: string; readonly description: string }[];
  readonly security: readonly SecurityRequirement[];
  readonly paths: { readonly [path: string]: PathItemObject };
  readonly components: {
    readonly schemas: { readonly [name: string]: SchemaObject };
    readonly responses: { readonly [name: string]: ResponseObject };
    readonly headers: { readonly [name: string]: HeaderObject };
    readonly parameters: { readonly [name: string]: ParameterObject };
    readonly securitySchemes: { readonly [name: string]: SecuritySchemeObject };
  };
}
