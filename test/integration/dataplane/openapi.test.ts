// The data plane's OpenAPI document is a valid OpenAPI 3.1 document, and a true one: real
// answers of the running server — successes, streams, and each error it can be made to give
// in both dialects — have a status documented for their path and method, a body matching the
// schema documented for that status, and the documented headers.
import { createServer, type IncomingHttpHeaders, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/control/db/database.js";
import {
  fallbackChains,
  fallbackChainTargets,
  modelMappings,
  providers,
} from "../../../src/control/db/schema.js";
import { OPENAPI_DOCUMENT, OPENAPI_JSON_TEXT } from "../../../src/dataplane/openapi-document.js";
import {
  anthropicSse,
  json,
  type MockUpstream,
  openaiSse,
  type RecordedRequest,
  sseChunks,
  startMockUpstream,
} from "../../helpers/mock-upstream.js";
import {
  type ObservedResponse,
  type OpenApiLike,
  openApiChecker,
  sseEventData,
} from "../../helpers/openapi-conformance.js";
import { startTestParley, type TestParley } from "../../helpers/parley.js";
import { badGatewayPage, contextLengthBody, errorBody } from "../../helpers/upstream-answers.js";
import {
  anthropicMessage,
  anthropicTextEvents,
  openaiCompletion,
  openaiTextChunks,
} from "../../helpers/wire.js";

const KEY = "k-openapi";
const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache" };
const imported = OPENAPI_DOCUMENT as unknown as OpenApiLike;

/** An OpenAI-compatible upstream that answers by the upstream model a mapping sends it. */
async function openaiUpstream(req: RecordedRequest, res: ServerResponse): Promise<void> {
  const stream = req.json?.stream === true;
  switch (req.json?.model) {
    case "rate-limited":
      return json(res, 429, errorBody("openai", 429), { "retry-after": "1" });
    case "broken":
      return json(res, 500, errorBody("openai", 500));
    case "context-vllm":
      return json(res, 400, contextLengthBody("vllm"));
    case "html-502":
      res.writeHead(502, { "content-type": "text/html" }).end(badGatewayPage("openai"));
      return;
    case "stall":
      // Never answers: Parley's response-headers deadline gives up and closes the request.
      return new Promise((resolve) => res.on("close", resolve));
    case "break-mid-stream": {
      const [role, content] = openaiSse(openaiTextChunks("Hello from OpenAI"));
      res.writeHead(200, SSE_HEADERS).write(`${role}${content}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      res.socket?.destroy();
      return;
    }
    default:
      if (stream) return sseChunks(res, openaiSse(openaiTextChunks("Hello from OpenAI")));
      return json(res, 200, openaiCompletion());
  }
}

/** An Anthropic upstream that answers by the upstream model a mapping sends it. */
async function anthropicUpstream(req: RecordedRequest, res: ServerResponse): Promise<void> {
  const model = req.json?.model;
  if (model === "rate-limited") return json(res, 429, errorBody("anthropic", 429), { "retry-after": "1" });
  if (req.url.startsWith("/v1/messages/count_tokens")) return json(res, 200, { input_tokens: 12 });
  switch (model) {
    case "broken":
      return json(res, 500, errorBody("anthropic", 500));
    case "overloaded":
      return json(res, 529, errorBody("anthropic", 529));
    case "error-mid-stream": {
      const begun = anthropicTextEvents("Hello from Anthropic").slice(0, 4);
      const failure = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };
      return sseChunks(res, anthropicSse([...begun, failure]));
    }
    default:
      if (req.json?.stream === true) return sseChunks(res, anthropicSse(anthropicTextEvents("Hello")));
      return json(res, 200, anthropicMessage());
  }
}

/** Aliases → provider/upstream model; the upstream model picks what the mock answers. */
const MODEL_MAP = [
  "gpt-4.1=openai/gpt-4.1",
  "gpt-429=openai/rate-limited",
  "gpt-500=openai/broken",
  "gpt-context-vllm=openai/context-vllm",
  "gpt-html-502=openai/html-502",
  "gpt-slow=openai/stall",
  "gpt-break-mid-stream=openai/break-mid-stream",
  "gpt-via-anthropic=anthropic/claude-ok",
  "gpt-500-via-anthropic=anthropic/broken",
  "claude-ok=anthropic/claude-ok",
  "claude-429=anthropic/rate-limited",
  "claude-500=anthropic/broken",
  "claude-529=anthropic/overloaded",
  "claude-error-mid-stream=anthropic/error-mid-stream",
  "claude-via-openai=openai/gpt-4.1",
  "claude-429-via-openai=openai/rate-limited",
  "claude-context-via-openai=openai/context-vllm",
  "claude-slow-via-openai=openai/stall",
].join(",");

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * What the env cannot set up, written as an operator's admin writes would be: no catch-all (so
 * an unmapped model is a 404), breakers that stay closed through this file's many failures, a
 * provider nobody listens for, and a fallback chain whose every target fails.
 */
async function configure(parley: TestParley): Promise<void> {
  const database = openDatabase(join(parley.dir, "parley.db"));
  try {
    const { db } = database;
    db.delete(modelMappings).where(eq(modelMappings.alias, "*")).run();
    db.update(providers).set({ breakerFailureThreshold: 1000 }).run();
    db.insert(providers)
      .values({
        id: "unreachable",
        kind: "openai",
        baseUrl: `http://127.0.0.1:${await closedPort()}/v1`,
        apiKey: "sk-unreachable",
        maxRetries: 0,
        breakerFailureThreshold: 1000,
      })
      .run();
    db.insert(fallbackChains).values({ id: "spill" }).run();
    db.insert(fallbackChainTargets)
      .values([
        { chainId: "spill", position: 0, providerId: "openai", upstreamModel: "rate-limited" },
        { chainId: "spill", position: 1, providerId: "anthropic", upstreamModel: "broken" },
      ])
      .run();
    db.insert(modelMappings)
      .values([
        {
          id: "m-gpt-unreachable",
          alias: "gpt-unreachable",
          providerId: "unreachable",
          upstreamModel: "gpt-4.1",
        },
        {
          id: "m-claude-unreachable",
          alias: "claude-unreachable",
          providerId: "unreachable",
          upstreamModel: "gpt-4.1",
        },
        { id: "m-gpt-chain", alias: "gpt-chain", fallbackChainId: "spill" },
      ])
      .run();
  } finally {
    database.close();
  }
  parley.reload();
}

/** One request and the status it must get. */
interface Case {
  name: string;
  method?: "GET" | "POST";
  path: string;
  body?: string | object;
  headers?: Record<string, string>;
  /** The client key sent as x-api-key; null sends none. */
  key?: string | null;
  status: number;
  /** The route is being wired elsewhere: while it answers 404 "no route", the case is skipped. */
  untilWired?: boolean;
  /** Sends the body's start and then nothing (the server's body deadline). */
  stallBody?: boolean;
  /** The status key that documents it, when a range (`5XX`) rather than the status itself. */
  documentedAs?: string;
}

const hi = [{ role: "user", content: "hi" }];
const messages = (model: string, extra: object = {}) => ({ model, max_tokens: 16, messages: hi, ...extra });
const chat = (model: string, extra: object = {}) => ({ model, messages: hi, ...extra });
const responses = (model: string, extra: object = {}) => ({ model, input: "hi", ...extra });
const oversized = (body: object) => ({ ...body, padding: "x".repeat(70_000) });

const ANTHROPIC_STREAM_FAILURE: Case = {
  name: "an error event after the stream began",
  path: "/v1/messages",
  body: messages("claude-error-mid-stream", { stream: true }),
  status: 200,
};
const OPENAI_STREAM_FAILURE: Case = {
  name: "an error event after the stream began",
  path: "/v1/chat/completions",
  body: chat("gpt-break-mid-stream", { stream: true }),
  status: 200,
};
const CHAIN_EXHAUSTED: Case = {
  name: "a fallback chain exhausted",
  path: "/v1/chat/completions",
  body: chat("gpt-chain"),
  status: 500,
};
const LOCAL_ESTIMATE: Case = {
  name: "a local estimate",
  path: "/v1/messages/count_tokens",
  body: chat("claude-via-openai"),
  status: 200,
};

const MESSAGES_CASES: Case[] = [
  { name: "a passthrough message", path: "/v1/messages", body: messages("claude-ok"), status: 200 },
  {
    name: "a passthrough stream",
    path: "/v1/messages",
    body: messages("claude-ok", { stream: true }),
    status: 200,
  },
  { name: "a message translated", path: "/v1/messages", body: messages("claude-via-openai"), status: 200 },
  {
    name: "a stream translated",
    path: "/v1/messages",
    body: messages("claude-via-openai", { stream: true }),
    status: 200,
  },
  ANTHROPIC_STREAM_FAILURE,
  { name: "a body that is not JSON", path: "/v1/messages", body: "{not json", status: 400 },
  {
    name: "a key twice",
    path: "/v1/messages",
    body: '{"model":"claude-ok","model":"claude-500","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}',
    status: 400,
  },
  { name: "no messages", path: "/v1/messages", body: { model: "claude-ok", max_tokens: 16 }, status: 400 },
  { name: "a wrong key", path: "/v1/messages", body: messages("claude-ok"), key: "wrong", status: 401 },
  { name: "no key", path: "/v1/messages", body: messages("claude-ok"), key: null, status: 401 },
  { name: "an unmapped model", path: "/v1/messages", body: messages("llama-3"), status: 404 },
  { name: "a GET", method: "GET", path: "/v1/messages", status: 405 },
  { name: "a body that stops arriving", path: "/v1/messages", stallBody: true, status: 408 },
  { name: "a body too large", path: "/v1/messages", body: oversized(messages("claude-ok")), status: 413 },
  { name: "an upstream 429", path: "/v1/messages", body: messages("claude-429"), status: 429 },
  { name: "an upstream 500", path: "/v1/messages", body: messages("claude-500"), status: 500 },
  {
    name: "an upstream 529",
    path: "/v1/messages",
    body: messages("claude-529"),
    status: 529,
    documentedAs: "5XX",
  },
  {
    name: "an upstream 429 translated",
    path: "/v1/messages",
    body: messages("claude-429-via-openai"),
    status: 429,
  },
  {
    name: "a context-length 400 translated",
    path: "/v1/messages",
    body: messages("claude-context-via-openai"),
    status: 400,
  },
  {
    name: "an unreachable upstream",
    path: "/v1/messages",
    body: messages("claude-unreachable"),
    status: 502,
  },
  {
    name: "an upstream past its headers deadline",
    path: "/v1/messages",
    body: messages("claude-slow-via-openai"),
    status: 504,
  },
];

const COUNT_CASES: Case[] = [
  { name: "a count from Anthropic", path: "/v1/messages/count_tokens", body: chat("claude-ok"), status: 200 },
  LOCAL_ESTIMATE,
  { name: "a body that is not JSON", path: "/v1/messages/count_tokens", body: "[1,", status: 400 },
  { name: "an unmapped model", path: "/v1/messages/count_tokens", body: chat("llama-3"), status: 404 },
  { name: "an upstream 429", path: "/v1/messages/count_tokens", body: chat("claude-429"), status: 429 },
  { name: "a GET", method: "GET", path: "/v1/messages/count_tokens", status: 405 },
];

const CHAT_CASES: Case[] = [
  { name: "a passthrough completion", path: "/v1/chat/completions", body: chat("gpt-4.1"), status: 200 },
  {
    name: "a passthrough stream",
    path: "/v1/chat/completions",
    body: chat("gpt-4.1", { stream: true }),
    status: 200,
  },
  {
    name: "a completion translated",
    path: "/v1/chat/completions",
    body: chat("gpt-via-anthropic"),
    status: 200,
  },
  {
    name: "a stream translated",
    path: "/v1/chat/completions",
    body: chat("gpt-via-anthropic", { stream: true }),
    status: 200,
  },
  OPENAI_STREAM_FAILURE,
  { name: "a body that is not JSON", path: "/v1/chat/completions", body: "{not json", status: 400 },
  {
    name: "a malformed message (param named)",
    path: "/v1/chat/completions",
    body: { model: "gpt-4.1", messages: ["hi"] },
    status: 400,
  },
  {
    name: "n > 1 to an Anthropic provider",
    path: "/v1/chat/completions",
    body: chat("gpt-via-anthropic", { n: 2 }),
    status: 400,
  },
  { name: "a wrong key", path: "/v1/chat/completions", body: chat("gpt-4.1"), key: "wrong", status: 401 },
  { name: "an unmapped model", path: "/v1/chat/completions", body: chat("llama-3"), status: 404 },
  { name: "a GET", method: "GET", path: "/v1/chat/completions", status: 405 },
  { name: "a body that stops arriving", path: "/v1/chat/completions", stallBody: true, status: 408 },
  { name: "a body too large", path: "/v1/chat/completions", body: oversized(chat("gpt-4.1")), status: 413 },
  { name: "an upstream 429", path: "/v1/chat/completions", body: chat("gpt-429"), status: 429 },
  { name: "an upstream 500", path: "/v1/chat/completions", body: chat("gpt-500"), status: 500 },
  {
    name: "a vLLM context-length 400 passed through",
    path: "/v1/chat/completions",
    body: chat("gpt-context-vllm"),
    status: 400,
  },
  {
    name: "a load balancer's HTML 502",
    path: "/v1/chat/completions",
    body: chat("gpt-html-502"),
    status: 502,
  },
  {
    name: "an unreachable upstream",
    path: "/v1/chat/completions",
    body: chat("gpt-unreachable"),
    status: 502,
  },
  {
    name: "an upstream past its headers deadline",
    path: "/v1/chat/completions",
    body: chat("gpt-slow"),
    status: 504,
  },
  {
    name: "an upstream 500 translated",
    path: "/v1/chat/completions",
    body: chat("gpt-500-via-anthropic"),
    status: 500,
  },
  CHAIN_EXHAUSTED,
];

const RESPONSES_CASES: Case[] = [
  { name: "a response", path: "/v1/responses", body: responses("gpt-4.1"), status: 200, untilWired: true },
  {
    name: "a stream",
    path: "/v1/responses",
    body: responses("gpt-4.1", { stream: true }),
    status: 200,
    untilWired: true,
  },
  {
    name: "a response from an Anthropic provider",
    path: "/v1/responses",
    body: responses("gpt-via-anthropic"),
    status: 200,
    untilWired: true,
  },
  {
    name: "a stream from an Anthropic provider",
    path: "/v1/responses",
    body: responses("gpt-via-anthropic", { stream: true }),
    status: 200,
    untilWired: true,
  },
  {
    name: "a body that is not JSON",
    path: "/v1/responses",
    body: "{not json",
    status: 400,
    untilWired: true,
  },
  {
    name: "previous_response_id to a provider without /v1/responses",
    path: "/v1/responses",
    body: responses("gpt-via-anthropic", { previous_response_id: "resp_123" }),
    status: 400,
    untilWired: true,
  },
  { name: "a wrong key", path: "/v1/responses", body: responses("gpt-4.1"), key: "wrong", status: 401 },
  {
    name: "an unmapped model",
    path: "/v1/responses",
    body: responses("llama-3"),
    status: 404,
    untilWired: true,
  },
  { name: "a GET", method: "GET", path: "/v1/responses", status: 405, untilWired: true },
  {
    name: "an upstream 429",
    path: "/v1/responses",
    body: responses("gpt-429"),
    status: 429,
    untilWired: true,
  },
  {
    name: "an upstream 500 translated",
    path: "/v1/responses",
    body: responses("gpt-500-via-anthropic"),
    status: 500,
    untilWired: true,
  },
];

const OTHER_CASES: Case[] = [
  { name: "OpenAI's list", method: "GET", path: "/v1/models", status: 200 },
  {
    name: "Anthropic's list",
    method: "GET",
    path: "/v1/models",
    headers: { "anthropic-version": "2023-06-01" },
    status: 200,
  },
  { name: "a wrong key", method: "GET", path: "/v1/models", key: "wrong", status: 401 },
  { name: "a POST", path: "/v1/models", body: {}, status: 405 },
  { name: "health, without a key", method: "GET", path: "/health", key: null, status: 200 },
  { name: "liveness, without a key", method: "GET", path: "/livez", key: null, status: 200 },
  { name: "the root probe", method: "GET", path: "/", key: null, status: 200 },
  { name: "the metrics", method: "GET", path: "/metrics", status: 200, untilWired: true },
  { name: "this document", method: "GET", path: "/openapi.json", status: 200, untilWired: true },
  { name: "an unknown path", method: "GET", path: "/v1/nope", status: 404 },
  {
    name: "an unknown path, Anthropic's way",
    method: "GET",
    path: "/v1/nope",
    headers: { "anthropic-version": "2023-06-01" },
    status: 404,
  },
];

/** Node's headers as one string each, as fetch shows them. */
function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(", ") : String(value),
    ]),
  );
}

/** Sends the start of a body and waits for the answer that comes before its end. */
function sendStalledBody(url: string, c: Case): Promise<ObservedResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${c.path}`,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": "1000", "x-api-key": KEY },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          resolve({
            method: "POST",
            path: c.path,
            status: res.statusCode ?? 0,
            headers: flatHeaders(res.headers),
            body: Buffer.concat(chunks).toString("utf8"),
          });
          req.destroy();
        });
      },
    );
    req.on("error", reject);
    req.write('{"model":"claude-ok",');
  });
}

async function send(url: string, c: Case): Promise<ObservedResponse> {
  if (c.stallBody) return sendStalledBody(url, c);
  const method = c.method ?? "POST";
  const key = c.key === undefined ? KEY : c.key;
  const res = await fetch(`${url}${c.path}`, {
    method,
    headers: {
      ...(c.body === undefined ? {} : { "content-type": "application/json" }),
      ...(key === null ? {} : { "x-api-key": key }),
      ...c.headers,
    },
    ...(c.body === undefined ? {} : { body: typeof c.body === "string" ? c.body : JSON.stringify(c.body) }),
  });
  return {
    method,
    path: c.path,
    status: res.status,
    headers: Object.fromEntries(res.headers),
    body: await res.text(),
  };
}

/** A route not yet wired into the server answers 404 "no route"; its cases wait for it. */
function unwired(observed: ObservedResponse): boolean {
  return observed.status === 404 && observed.body.includes("no route for");
}

describe("the document", () => {
  it("is a valid OpenAPI 3.1 document whose every $ref resolves", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(OPENAPI_JSON_TEXT));
    expect(result).toEqual({ valid: true });
    expect(validator.version).toBe("3.1");
  });

  it("fails validation when a response loses its description or a $ref names nothing", async () => {
    const noDescription = JSON.parse(OPENAPI_JSON_TEXT);
    delete noDescription.paths["/livez"].get.responses["200"].description;
    expect((await new Validator().validate(noDescription)).valid).toBe(false);
    const dangling = JSON.parse(OPENAPI_JSON_TEXT);
    dangling.paths["/livez"].get.responses["200"].content["application/json"].schema = {
      $ref: "#/components/schemas/Nothing",
    };
    expect((await new Validator().validate(dangling)).valid).toBe(false);
  });

  it("serves as its JSON text and lists every data-plane endpoint", () => {
    expect(JSON.parse(OPENAPI_JSON_TEXT)).toEqual(OPENAPI_DOCUMENT);
    expect(Object.keys(OPENAPI_DOCUMENT.paths).sort()).toEqual(
      [
        "/",
        "/health",
        "/livez",
        "/metrics",
        "/openapi.json",
        "/v1/chat/completions",
        "/v1/messages",
        "/v1/messages/count_tokens",
        "/v1/models",
        "/v1/responses",
      ].sort(),
    );
  });

  it("flags an undocumented status, a body off its schema and a missing required header", () => {
    const checker = openApiChecker(imported);
    const livez = { method: "GET", path: "/livez", headers: { "content-type": "application/json" } };
    expect(checker.check({ ...livez, status: 500, body: "{}" })).toEqual([
      "500 is not documented for GET /livez",
    ]);
    const offSchema = checker.check({
      ...livez,
      status: 200,
      headers: { ...livez.headers, "x-request-id": "r1" },
      body: JSON.stringify({ status: "fine", in_flight: 0, draining: false, timestamp: "now" }),
    });
    expect(offSchema.join("\n")).toMatch(/\/status must be equal to one of the allowed values/);
    expect(offSchema.join("\n")).toMatch(/\/timestamp must match format "date-time"/);
    const headerless = checker.check({
      ...livez,
      status: 200,
      body: JSON.stringify({
        status: "ok",
        in_flight: 0,
        draining: false,
        timestamp: new Date().toISOString(),
      }),
    });
    expect(headerless).toEqual(["header x-request-id is required but absent"]);
  });
});

describe("real answers of the running server match the document", () => {
  let openaiUp: MockUpstream;
  let anthropicUp: MockUpstream;
  let parley: TestParley;
  const checkers: Array<ReturnType<typeof openApiChecker>> = [openApiChecker(imported)];

  beforeAll(async () => {
    openaiUp = await startMockUpstream(openaiUpstream);
    anthropicUp = await startMockUpstream(anthropicUpstream);
    parley = await startTestParley({
      PARLEY_OPENAI_BASE_URL: `${openaiUp.url}/v1`,
      PARLEY_OPENAI_API_KEY: "sk-openai",
      PARLEY_ANTHROPIC_BASE_URL: anthropicUp.url,
      PARLEY_ANTHROPIC_API_KEY: "sk-ant",
      PARLEY_MODEL_MAP: MODEL_MAP,
      PARLEY_CLIENT_KEYS: KEY,
      PARLEY_MAX_RETRIES: "0",
      PARLEY_HEADERS_TIMEOUT: "0.5",
      PARLEY_MAX_BODY_BYTES: "65536",
      PARLEY_CLIENT_BODY_TIMEOUT: "0.5",
    });
    await configure(parley);
    // Once the route is wired, what it serves is checked too, and must be this module's document.
    const served = await fetch(`${parley.url}/openapi.json`, { headers: { "x-api-key": KEY } });
    if (served.status === 200) {
      const document = await served.json();
      expect(document).toEqual(OPENAPI_DOCUMENT);
      checkers.push(openApiChecker(document as OpenApiLike));
    }
  });

  afterAll(async () => {
    await parley?.close();
    await openaiUp?.close();
    await anthropicUp?.close();
  });

  const groups: Array<[string, Case[]]> = [
    ["/v1/messages", MESSAGES_CASES],
    ["/v1/messages/count_tokens", COUNT_CASES],
    ["/v1/chat/completions", CHAT_CASES],
    ["/v1/responses", RESPONSES_CASES],
    ["the other endpoints", OTHER_CASES],
  ];
  for (const [group, cases] of groups) {
    describe(group, () => {
      for (const c of cases) {
        it(`${c.method ?? "POST"} ${c.path}, ${c.name}: ${c.status}`, async (ctx) => {
          const observed = await send(parley.url, c);
          if (c.untilWired && unwired(observed)) ctx.skip(`${c.path} is not wired into the server yet`);
          expect(observed.status, observed.body).toBe(c.status);
          for (const checker of checkers) {
            expect(checker.documentedStatus(observed)).toBe(c.documentedAs ?? String(c.status));
            expect(checker.check(observed)).toEqual([]);
          }
        });
      }
    });
  }

  it("sends the documented error event when a stream fails after it began, in each dialect", async () => {
    const anthropic = await send(parley.url, ANTHROPIC_STREAM_FAILURE);
    expect(sseEventData(anthropic.body).at(-1)).toMatchObject({
      type: "error",
      error: { type: "overloaded_error" },
    });
    const openai = await send(parley.url, OPENAI_STREAM_FAILURE);
    expect(sseEventData(openai.body).at(-1)).toMatchObject({ error: { message: expect.any(String) } });
    expect(openai.body.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("marks an exhausted fallback chain and a local token count in the documented headers", async () => {
    const chain = await send(parley.url, CHAIN_EXHAUSTED);
    expect(chain.headers["x-parley-fallback-exhausted"]).toBe("true");
    expect(chain.headers["x-parley-attempts"]).toBe("2");
    const estimate = await send(parley.url, LOCAL_ESTIMATE);
    expect(estimate.headers["x-parley-token-count"]).toBe("estimate");
  });
});

describe("without any provider", () => {
  let parley: TestParley;
  beforeAll(async () => {
    parley = await startTestParley({});
  });
  afterAll(async () => {
    await parley?.close();
  });

  const cases: Case[] = [
    { name: "no provider", path: "/v1/messages", body: messages("claude-ok"), key: null, status: 503 },
    { name: "no provider", path: "/v1/chat/completions", body: chat("gpt-4.1"), key: null, status: 503 },
    {
      name: "no provider",
      path: "/v1/responses",
      body: responses("gpt-4.1"),
      key: null,
      status: 503,
      untilWired: true,
    },
  ];
  for (const c of cases) {
    it(`POST ${c.path}, ${c.name}: 503 in the path's dialect`, async (ctx) => {
      const observed = await send(parley.url, c);
      if (c.untilWired && unwired(observed)) ctx.skip(`${c.path} is not wired into the server yet`);
      expect(observed.status, observed.body).toBe(c.status);
      const checker = openApiChecker(imported);
      expect(checker.documentedStatus(observed)).toBe("503");
      expect(checker.check(observed)).toEqual([]);
    });
  }
});
