// The openai SDK's own Responses stream reader (`responses.stream()`), run on a real socket
// over what the stream translator produced: it must accumulate to the very body the
// non-streaming translation gives for the same answer, and raise when the stream failed.
import { APIError } from "openai";
import { describe, expect, it } from "vitest";
import {
  createStreamTranslator,
  type ResponsesRequest,
  translateResponse,
} from "../../../../src/translate/responses-to-openai/index.js";
import {
  contextFor,
  readJsonFixture,
  readSseChunks,
  replay,
  sdkRawStream,
  sdkStream,
  toSse,
  withoutSdkFields,
} from "./fixtures.js";

const codex = () => readJsonFixture<ResponsesRequest>("responses/request-codex.json");

async function translatedStream(fixture: string) {
  const ctx = contextFor(await codex());
  return { ctx, sse: toSse(replay(createStreamTranslator(ctx), await readSseChunks(fixture))) };
}

describe("the openai SDK reading the translated stream", () => {
  it.each([
    ["Codex's exec_command turn", "chat-stream-exec-command.sse", "chat-completion-exec-command.json"],
    [
      "parallel calls, one namespaced",
      "chat-stream-parallel-namespace.sse",
      "chat-completion-parallel-namespace.json",
    ],
  ])(
    "%s: finalResponse() equals the non-streaming translation of the same answer",
    async (_name, stream, body) => {
      const { ctx, sse } = await translatedStream(`responses/${stream}`);
      const { final, error } = await sdkStream(sse);
      expect(error).toBeUndefined();
      const whole = translateResponse(await readJsonFixture(`responses/${body}`), ctx);
      expect(withoutSdkFields(final)).toEqual(whole);
    },
  );

  it("gives the SDK's text and argument snapshots as they grow", async () => {
    const { sse } = await translatedStream("responses/chat-stream-exec-command.sse");
    const { final, snapshots } = await sdkStream(sse);
    expect((final as { output_text: string }).output_text).toBe("\n\nI’ll read the file.");
    expect(snapshots).toEqual(['{"cmd":', '{"cmd":"cat note', '{"cmd":"cat note.txt"}']);
  });

  it("resolves a response cut by the token limit as incomplete", async () => {
    const { sse } = await translatedStream("responses/chat-stream-length.sse");
    const { final } = await sdkStream(sse);
    expect(final).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "max_output_tokens" },
    });
  });

  it.each([
    ["an error inside the upstream stream", "openai/stream-error-in-200.sse", "Provider returned error"],
    [
      "a stream cut before its finish reason",
      "openai/stream-cut.sse",
      "ended before the response was complete",
    ],
  ])(
    "raises an APIError for %s, from the helper and from a plain iteration",
    async (_name, fixture, message) => {
      const { sse } = await translatedStream(fixture);
      const helper = await sdkStream(sse);
      expect(helper.final).toBeUndefined();
      expect(helper.error).toBeInstanceOf(APIError);
      expect(helper.error?.message).toContain(message);
      expect((helper.error as APIError).code).toBe("server_error");
      // A plain iteration stops at the error event: no one reads a half answer as a whole one.
      const raw = await sdkRawStream(sse);
      expect(raw.error).toBeInstanceOf(APIError);
      expect(raw.types).not.toContain("error");
      expect(raw.types).not.toContain("response.completed");
    },
  );
});
