// Checks a real response against an OpenAPI 3.1 document: its status must be documented for
// the path and method, its body must match the schema documented for that status and media
// type (each SSE event's JSON data against the event schema), and its headers the documented
// ones. Schemas are checked with ajv's JSON Schema 2020-12 dialect, OpenAPI 3.1's own.
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

/** A response as a client saw it. */
export interface ObservedResponse {
  method: string;
  path: string;
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** What the checker needs of a document (it may come from a module or from the wire). */
export interface OpenApiLike {
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, unknown>;
}

type Json = Record<string, any>;

const DOCUMENT_ID = "https://parley.test/openapi.json";
const addFormats = addFormatsModule.default;

/** A JSON pointer segment. */
function pointerSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** A media type without its parameters, lower case. */
function essence(mediaType: string): string {
  return mediaType.split(";")[0]!.trim().toLowerCase();
}

/** The JSON `data` of each SSE event that has JSON data (`[DONE]` and comments left out). */
export function sseEventData(text: string): unknown[] {
  const events: unknown[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(line[5] === " " ? 6 : 5))
      .join("\n");
    if (data === "" || data === "[DONE]") continue;
    events.push(JSON.parse(data));
  }
  return events;
}

/** A checker over one document; `check` lists what does not match (empty when all does). */
export function openApiChecker(document: OpenApiLike) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(structuredClone(document) as Json, DOCUMENT_ID);

  function at(pointer: string): unknown {
    let node: unknown = document;
    for (const part of pointer.split("/").slice(1)) {
      node = (node as Json | undefined)?.[part.replaceAll("~1", "/").replaceAll("~0", "~")];
    }
    return node;
  }

  /** Follows a `$ref` (within the document) to what it names, keeping where it ended up. */
  function deref(node: Json, pointer: string): { node: Json; pointer: string } {
    if (typeof node.$ref !== "string") return { node, pointer };
    const target = node.$ref.replace(/^#/, "");
    const found = at(target);
    if (found === undefined) throw new Error(`${pointer}: $ref ${node.$ref} names nothing`);
    return deref(found as Json, target);
  }

  function validate(pointer: string, value: unknown): string[] {
    const validator = ajv.getSchema(`${DOCUMENT_ID}#${pointer}`);
    if (!validator) return [`no schema at ${pointer}`];
    if (validator(value)) return [];
    return (validator.errors ?? []).map(
      (e: ErrorObject) => `${e.instancePath || "(root)"} ${e.message} ${JSON.stringify(e.params)}`,
    );
  }

  /** The documented response for the observation, where it sits, and the status key that matched. */
  function documentedResponse(
    observed: ObservedResponse,
  ): { node: Json; pointer: string; key: string } | string {
    const method = observed.method.toLowerCase();
    const status = String(observed.status);
    const range = `${status[0]}XX`;
    const item = document.paths[observed.path] as Json | undefined;
    if (!item) {
      if (observed.status !== 404)
        return `${observed.path} is not documented, and ${status} is not UnknownRoute's`;
      return { ...deref({ $ref: "#/components/responses/UnknownRoute" }, ""), key: "404" };
    }
    const pathPointer = `/paths/${pointerSegment(observed.path)}`;
    // The method a path refuses is no operation of it: its 405 is documented on the operations it has.
    const methods = item[method] ? [method] : observed.status === 405 ? Object.keys(item) : [];
    if (methods.length === 0) return `${observed.method} ${observed.path} is not documented`;
    for (const m of methods) {
      const responses = (item[m] as Json | undefined)?.responses as Json | undefined;
      const key = [status, range, "default"].find((k) => responses?.[k] !== undefined);
      if (key) return { ...deref(responses![key], `${pathPointer}/${m}/responses/${key}`), key };
    }
    return `${status} is not documented for ${observed.method} ${observed.path}`;
  }

  function checkHeaders(response: Json, pointer: string, observed: ObservedResponse): string[] {
    const problems: string[] = [];
    for (const [name, declared] of Object.entries((response.headers ?? {}) as Json)) {
      const header = deref(declared as Json, `${pointer}/headers/${pointerSegment(name)}`);
      const value = observed.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.node.required === true) problems.push(`header ${name} is required but absent`);
        continue;
      }
      for (const p of validate(`${header.pointer}/schema`, value)) problems.push(`header ${name}: ${p}`);
    }
    return problems;
  }

  function checkBody(response: Json, pointer: string, observed: ObservedResponse): string[] {
    const content = (response.content ?? {}) as Record<string, Json>;
    const contentType = observed.headers["content-type"];
    if (contentType === undefined) {
      return Object.keys(content).length === 0 || observed.body === "" ? [] : ["content-type is absent"];
    }
    const mediaType = Object.keys(content).find((key) => essence(key) === essence(contentType));
    if (mediaType === undefined) {
      return [
        `content-type ${contentType} is not documented (documented: ${Object.keys(content).join(", ")})`,
      ];
    }
    const mediaPointer = `${pointer}/content/${pointerSegment(mediaType)}`;
    if (essence(mediaType) === "application/json") {
      return validate(`${mediaPointer}/schema`, JSON.parse(observed.body));
    }
    if (essence(mediaType) === "text/event-stream") {
      const eventSchema = content[mediaType]!["x-parley-event-schema"];
      if (typeof eventSchema !== "string") return [`${mediaPointer} names no event schema`];
      const events = sseEventData(observed.body);
      if (events.length === 0) return ["the stream has no JSON event"];
      return events.flatMap((event, i) =>
        validate(eventSchema.replace(/^#/, ""), event).map(
          (p) => `event ${i} ${JSON.stringify(event)}: ${p}`,
        ),
      );
    }
    return validate(`${mediaPointer}/schema`, observed.body);
  }

  return {
    /** The status key that documents the response (`429`, or a range such as `5XX`), if any. */
    documentedStatus(observed: ObservedResponse): string | undefined {
      const found = documentedResponse(observed);
      return typeof found === "string" ? undefined : found.key;
    },
    /** What of the observed response the document does not describe. */
    check(observed: ObservedResponse): string[] {
      const found = documentedResponse(observed);
      if (typeof found === "string") return [found];
      return [
        ...checkHeaders(found.node, found.pointer, observed),
        ...checkBody(found.node, found.pointer, observed),
      ];
    },
  };
}
