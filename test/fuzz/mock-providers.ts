// The two providers behind the fuzzed server: an OpenAI and an Anthropic mock that answer
// any request they can read with a well-formed response in their own wire format (JSON,
// or SSE when `stream` is true, with a tool call when tools are offered) and anything
// else with a 400 in their own dialect. They count the 5xx they send (a crash in the
// mock itself), so a 5xx reaching the client can be told apart from one Parley made, and
// note any request whose model is not the one the mapping names.
import type { ServerResponse } from "node:http";
import {
  anthropicSse,
  json,
  type MockUpstream,
  openaiSse,
  type RecordedRequest,
  sseChunks,
  startMockUpstream,
} from "../helpers/mock-upstream.js";
import {
  anthropicMessage,
  anthropicTextEvents,
  openaiCompletion,
  openaiTextChunks,
} from "../helpers/wire.js";
import { mayReceiveModel, type ProviderKind } from "./valid-requests.js";

/** The two running mocks and their 5xx count. */
export interface MockProviders {
  openai: MockUpstream;
  anthropic: MockUpstream;
  /** 5xx answers sent by either mock so far. */
  serverErrors(): number;
  /** Requests that arrived with a model other than the mapping's (the first few, described). */
  modelOverrides(): readonly string[];
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

function readable(req: RecordedRequest): Body | undefined {
  const body: unknown = req.json;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  return Array.isArray((body as Body).messages) ? (body as Body) : undefined;
}

/** The name of the first offered tool, when it has one. */
function firstToolName(body: Body): string | undefined {
  const tool: unknown = Array.isArray(body.tools) ? body.tools[0] : undefined;
  const fn = (tool as { function?: { name?: unknown } } | undefined)?.function;
  const name = fn ? fn.name : (tool as { name?: unknown } | undefined)?.name;
  return typeof name === "string" && name !== "" ? name : undefined;
}

async function answerOpenAI(req: RecordedRequest, res: ServerResponse): Promise<void> {
  const body = readable(req);
  if (req.url !== "/v1/chat/completions") {
    return json(res, 404, { error: { message: `no route ${req.url}`, type: "invalid_request_error" } });
  }
  if (!body) {
    return json(res, 400, {
      error: {
        message: "could not parse the JSON body",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
  }
  const tool = firstToolName(body);
  if (body.stream !== true) {
    if (!tool) return json(res, 200, openaiCompletion());
    const message = {
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "call_fuzz1", type: "function", function: { name: tool, arguments: '{"city":"Paris"}' } },
      ],
    };
    return json(
      res,
      200,
      openaiCompletion({ choices: [{ index: 0, message, finish_reason: "tool_calls" }] }),
    );
  }
  const chunks = openaiTextChunks("Hello from OpenAI");
  if (tool) {
    const base = {
      id: "chatcmpl-fuzz",
      object: "chat.completion.chunk",
      created: 1741569952,
      model: "gpt-4.1",
    };
    const call = { index: 0, id: "call_fuzz1", type: "function", function: { name: tool, arguments: "" } };
    chunks.splice(
      3,
      1,
      { ...base, choices: [{ index: 0, delta: { tool_calls: [call] }, finish_reason: null }] },
      {
        ...base,
        choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] } }],
      },
      {
        ...base,
        choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] } }],
      },
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
    );
  }
  // One write: a syscall per event would make the mock the slowest part of the sweep.
  return sseChunks(res, [openaiSse(chunks).join("")]);
}

function anthropicToolEvents(name: string): Array<{ type: string } & Record<string, unknown>> {
  const text = anthropicTextEvents("x");
  return [
    text[0]!,
    {
      type: "content_block_start",
      index: 0,
      content_block: { type: "tool_use", id: "toolu_fuzz1", name, input: {} },
    },
    { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"city":' } },
    { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '"Paris"}' } },
    { type: "content_block_stop", index: 0 },
    {
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { output_tokens: 9 },
    },
    text.at(-1)!,
  ];
}

async function answerAnthropic(req: RecordedRequest, res: ServerResponse): Promise<void> {
  const body = readable(req);
  const known = req.url?.startsWith("/v1/messages/count_tokens") || req.url?.startsWith("/v1/messages");
  if (!known) {
    return json(res, 404, {
      type: "error",
      error: { type: "not_found_error", message: `no route ${req.url}` },
    });
  }
  if (!body) {
    return json(res, 400, {
      type: "error",
      error: { type: "invalid_request_error", message: "could not parse the JSON body" },
    });
  }
  if (req.url?.startsWith("/v1/messages/count_tokens")) return json(res, 200, { input_tokens: 42 });
  const tool = firstToolName(body);
  if (body.stream === true) {
    const events = tool ? anthropicToolEvents(tool) : anthropicTextEvents("Hello from Anthropic");
    return sseChunks(res, [anthropicSse(events).join("")]);
  }
  if (!tool) return json(res, 200, anthropicMessage());
  return json(
    res,
    200,
    anthropicMessage({
      content: [{ type: "tool_use", id: "toolu_fuzz1", name: tool, input: { city: "Paris" } }],
      stop_reason: "tool_use",
    }),
  );
}

/** Starts both mocks on ephemeral ports. */
export async function startMockProviders(): Promise<MockProviders> {
  let serverErrors = 0;
  const overrides: string[] = [];
  const mocks: MockUpstream[] = [];
  const counted =
    (provider: ProviderKind, answer: (req: RecordedRequest, res: ServerResponse) => Promise<void>) =>
    async (req: RecordedRequest, res: ServerResponse) => {
      // Nothing reads the recorded requests, and ten thousand bodies (some of megabytes)
      // would only grow the test process.
      for (const mock of mocks) mock.requests.length = 0;
      const body = readable(req);
      if (body && !mayReceiveModel(provider, body.model) && overrides.length < 20) {
        overrides.push(`${provider} received model ${JSON.stringify(body.model)}: ${req.body.slice(0, 200)}`);
      }
      try {
        await answer(req, res);
      } catch (error) {
        serverErrors++;
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`mock provider failed: ${String(error)}`);
      }
    };
  const openai = await startMockUpstream(counted("openai", answerOpenAI));
  const anthropic = await startMockUpstream(counted("anthropic", answerAnthropic));
  mocks.push(openai, anthropic);
  return {
    openai,
    anthropic,
    serverErrors: () => serverErrors,
    modelOverrides: () => overrides,
    async close() {
      await Promise.all([openai.close(), anthropic.close()]);
    },
  };
}
