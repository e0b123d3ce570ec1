import type { Message } from "@anthropic-ai/sdk/resources/messages";
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { translateResponse } from "../../../../src/translate/openai-to-anthropic/index.js";
import { synthesizeOpenAIStream } from "../../../../src/translate/synthesize/openai-stream.js";
import { fixtureJson } from "../openai-to-anthropic/fixtures.js";

const COMPLETION: ChatCompletion = {
  id: "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
  object: "chat.completion",
  created: 1741570283,
  model: "gpt-4.1-2025-04-14",
  system_fingerprint: "fp_a1102cf978",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "Paris is warmer.", refusal: null },
      logprobs: null,
      finish_reason: "stop",
    },
  ],
  usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 },
};

type Chunk = ChatCompletionChunk & { choices: Array<{ delta: Record<string, unknown> }> };

/** What an OpenAI client rebuilds from a stream: text, reasoning and tool calls by index. */
function reassemble(chunks: Chunk[]) {
  let content = "";
  let reasoning = "";
  let finish: string | null = null;
  const calls: Array<{ id?: string; type?: string; function: { name: string; arguments: string } }> = [];
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      content += (choice.delta.content as string | undefined) ?? "";
      reasoning += (choice.delta.reasoning_content as string | undefined) ?? "";
      for (const call of (choice.delta.tool_calls ?? []) as ChatCompletionChunk.Choice.Delta.ToolCall[]) {
        calls[call.index] ??= { function: { name: "", arguments: "" } };
        const entry = calls[call.index]!;
        if (call.id) entry.id = call.id;
        if (call.type) entry.type = call.type;
        entry.function.name += call.function?.name ?? "";
        entry.function.arguments += call.function?.arguments ?? "";
      }
      finish = choice.finish_reason ?? finish;
    }
  }
  return { content, reasoning, calls, finish };
}

describe("synthesizeOpenAIStream", () => {
  it("streams a text completion as role, content and finish chunks", () => {
    const chunks = synthesizeOpenAIStream(COMPLETION, { includeUsage: false }) as Chunk[];
    expect(chunks).toEqual([
      {
        id: COMPLETION.id,
        object: "chat.completion.chunk",
        created: 1741570283,
        model: "gpt-4.1-2025-04-14",
        system_fingerprint: "fp_a1102cf978",
        choices: [
          { index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null },
        ],
      },
      expect.objectContaining({
        choices: [{ index: 0, delta: { content: "Paris is warmer." }, logprobs: null, finish_reason: null }],
      }),
      expect.objectContaining({ choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] }),
    ]);
  });

  it("ends with a usage chunk with no choices when the client asked for usage", () => {
    const chunks = synthesizeOpenAIStream(COMPLETION, { includeUsage: true }) as Chunk[];
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: COMPLETION.usage });
    for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull();
  });

  it("streams tool calls as an id-and-name chunk then their arguments, and rebuilds the completion", async () => {
    const message = await fixtureJson<Message>("anthropic/message-parallel-tool-use.json");
    const completion = translateResponse(message, {
      clientModel: "gpt-4.1",
      upstreamModel: "claude",
      includeUsage: true,
    });
    const chunks = synthesizeOpenAIStream(completion, { includeUsage: true }) as Chunk[];
    const toolDeltas = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
    expect(toolDeltas).toEqual([
      {
        index: 0,
        id: "toolu_01A09q90qw90lq917835lq9",
        type: "function",
        function: { name: "get_weather", arguments: "" },
      },
      { index: 0, function: { arguments: '{"location":"San Francisco, CA","unit":"celsius"}' } },
      {
        index: 1,
        id: "toolu_01B8Xm2Kq7Lp3Nz5Vw6Rt4Yc",
        type: "function",
        function: { name: "get_weather", arguments: "" },
      },
      { index: 1, function: { arguments: '{"location":"Paris, France","unit":"celsius"}' } },
    ]);
    const rebuilt = reassemble(chunks);
    expect(rebuilt.content).toBe(completion.choices[0]?.message.content);
    expect(rebuilt.calls).toEqual(completion.choices[0]?.message.tool_calls);
    expect(rebuilt.finish).toBe("tool_calls");
    expect(chunks.at(-1)?.usage).toEqual(completion.usage);
  });

  it("carries reasoning_content from the message", async () => {
    const message = await fixtureJson<Message>("anthropic/message-thinking.json");
    const completion = translateResponse(message, {
      clientModel: "gpt-4.1",
      upstreamModel: "claude",
      includeUsage: false,
    });
    const rebuilt = reassemble(synthesizeOpenAIStream(completion, { includeUsage: false }) as Chunk[]);
    expect(rebuilt.reasoning).toBe("27 * 453 = 10800 + 1431 = 12231.");
    expect(rebuilt.content).toBe("27 × 453 = **12,231**");
  });

  it("streams every choice of a multi-choice completion under its own index", () => {
    const second = {
      ...COMPLETION.choices[0]!,
      index: 1,
      message: { ...COMPLETION.choices[0]!.message, content: "Rome." },
    };
    const chunks = synthesizeOpenAIStream(
      { ...COMPLETION, choices: [...COMPLETION.choices, second] },
      { includeUsage: false },
    ) as Chunk[];
    const byIndex = (i: number) => reassemble(chunks.filter((c) => c.choices[0]?.index === i)).content;
    expect([byIndex(0), byIndex(1)]).toEqual(["Paris is warmer.", "Rome."]);
  });

  it("produces a well-formed stream for a body without choices", () => {
    const chunks = synthesizeOpenAIStream(
      { id: "x", object: "chat.completion", created: 1, model: "m" } as never,
      {
        includeUsage: false,
      },
    );
    expect(chunks).toEqual([]);
  });
});
