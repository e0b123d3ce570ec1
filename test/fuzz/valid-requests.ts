// Valid requests of each dialect, the starting points the fuzz cases mutate: every content
// kind (text, images, documents, tool_use, tool_result, thinking), tools and tool_choice,
// streaming or not, and a model that routes to one provider kind or the other.
import fc from "fast-check";
import type { Tree } from "./json-tree.js";

/** The provider kinds behind Parley in the fuzz setup. */
export type ProviderKind = "anthropic" | "openai";

/**
 * Model names and where the fuzz server's PARLEY_MODEL_MAP routes them: `claude-*`/`an-*`
 * to the Anthropic mock, `gpt-*`/`oa-*` (and anything else, via `*`) to the OpenAI mock.
 */
export const MODELS: Record<ProviderKind, readonly string[]> = {
  anthropic: ["claude-sonnet-4-5", "claude-3-5-haiku-latest", "an-fuzz"],
  openai: ["gpt-4.1", "gpt-4o-mini", "oa-fuzz"],
};

/** The PARLEY_MODEL_MAP that routes MODELS as described. */
export const MODEL_MAP =
  "gpt-*=openai/gpt-4.1,claude-*=anthropic/claude-sonnet-4-5,oa-*=openai/gpt-4.1,an-*=anthropic/claude-sonnet-4-5";

/** Where MODEL_MAP (and the quick-start catch-all `*`, the OpenAI provider) sends a model. */
export function routeOf(model: string): ProviderKind {
  return /^(claude|an)-/i.test(model) ? "anthropic" : "openai";
}

/**
 * Whether a provider may receive `model` under MODEL_MAP: a mapped alias must arrive as its
 * mapping's model; only models that match no alias (the catch-all `*`) arrive as sent.
 */
export function mayReceiveModel(provider: ProviderKind, model: unknown): boolean {
  if (provider === "anthropic") return model === "claude-sonnet-4-5";
  return model === "gpt-4.1" || (typeof model === "string" && !/^(gpt|oa|claude|an)-/i.test(model));
}

const shortText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 12 }) },
);
const toolName = fc.constantFrom("get_weather", "Bash", "read_file", "x".repeat(80), "mcp__srv__tool-1");
const toolId = fc.constantFrom("toolu_01A09q90qw90lq917835lq9", "call_abc123", "functions.Bash:0");
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==";
const schema: fc.Arbitrary<Tree> = fc.constantFrom<Tree>(
  { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  { type: "object", properties: {} },
  { type: "object", properties: { n: { type: "integer", minimum: 0 }, tags: { type: "array" } } },
);

const anthropicImage = fc.constantFrom<Tree>(
  { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
  { type: "image", source: { type: "url", url: "https://example.com/cat.png" } },
);
const anthropicUserBlock: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 4, arbitrary: shortText.map((text) => ({ type: "text", text })) },
  { weight: 1, arbitrary: anthropicImage },
  {
    weight: 1,
    arbitrary: fc.constant({
      type: "document",
      source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQK" },
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        type: fc.constant("tool_result"),
        tool_use_id: toolId,
        content: fc.oneof(shortText, fc.array(anthropicImage, { maxLength: 1 })),
        is_error: fc.boolean(),
      },
      { requiredKeys: ["type", "tool_use_id"] },
    ),
  },
);
const anthropicAssistantBlock: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 3, arbitrary: shortText.map((text) => ({ type: "text", text })) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant("tool_use"),
      id: toolId,
      name: toolName,
      input: fc.constantFrom<Tree>({}, { city: "Paris" }, { n: 3, tags: ["a"] }),
    }),
  },
  {
    weight: 1,
    arbitrary: shortText.map((thinking) => ({ type: "thinking", thinking, signature: "EqQBCgIYAhIM" })),
  },
);
const anthropicContent = (block: fc.Arbitrary<Tree>): fc.Arbitrary<Tree> =>
  fc.oneof(shortText, fc.array(block, { minLength: 1, maxLength: 3 }));

const anthropicMessages: fc.Arbitrary<Tree> = fc
  .tuple(
    fc.array(fc.tuple(anthropicContent(anthropicUserBlock), anthropicContent(anthropicAssistantBlock)), {
      maxLength: 2,
    }),
    anthropicContent(anthropicUserBlock),
  )
  .map(([turns, last]) => [
    ...turns.flatMap(([user, assistant]) => [
      { role: "user", content: user },
      { role: "assistant", content: assistant },
    ]),
    { role: "user", content: last },
  ]);

const anthropicTools: fc.Arbitrary<Tree> = fc.array(
  fc.record(
    { name: toolName, description: shortText, input_schema: schema },
    { requiredKeys: ["name", "input_schema"] },
  ),
  { minLength: 1, maxLength: 2 },
);

/** A valid Anthropic Messages request for a model that routes to `target`. */
export function anthropicRequest(
  target: ProviderKind,
  options: { countTokens: boolean },
): fc.Arbitrary<Tree> {
  const sending = {
    max_tokens: fc.integer({ min: 1, max: 64_000 }),
    stream: fc.boolean(),
    temperature: fc.double({ min: 0, max: 1, noNaN: true }),
    top_p: fc.double({ min: 0, max: 1, noNaN: true }),
    stop_sequences: fc.array(shortText, { maxLength: 2 }),
    metadata: fc.record({ user_id: shortText }),
  };
  return fc.record(
    {
      model: fc.constantFrom(...MODELS[target]),
      messages: anthropicMessages,
      system: fc.oneof(
        shortText,
        fc.array(
          shortText.map((text) => ({ type: "text", text })),
          { minLength: 1, maxLength: 2 },
        ),
      ),
      tools: anthropicTools,
      tool_choice: fc.oneof(
        fc.constantFrom<Tree>({ type: "auto" }, { type: "any" }, { type: "none" }),
        toolName.map((name) => ({ type: "tool", name })),
      ),
      thinking: fc
        .integer({ min: 1024, max: 32_000 })
        .map((budget) => ({ type: "enabled", budget_tokens: budget })),
      ...(options.countTokens ? {} : sending),
    },
    { requiredKeys: options.countTokens ? ["model", "messages"] : ["model", "messages", "max_tokens"] },
  );
}

const openaiPart: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 4, arbitrary: shortText.map((text) => ({ type: "text", text })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Tree>(
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
      { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } },
    ),
  },
);
const openaiToolCall: fc.Arbitrary<Tree> = fc.record({
  id: toolId,
  type: fc.constant("function"),
  function: fc.record({
    name: toolName,
    arguments: fc.constantFrom("{}", '{"city":"Paris"}', '{"n":3'),
  }),
});
const openaiTurn: fc.Arbitrary<Tree[]> = fc.oneof(
  fc
    .oneof(shortText, fc.array(openaiPart, { minLength: 1, maxLength: 3 }))
    .map((content) => [{ role: "user", content }]),
  shortText.map((content) => [{ role: "assistant", content }]),
  fc.array(openaiToolCall, { minLength: 1, maxLength: 2 }).chain((calls) =>
    fc.array(shortText, { minLength: calls.length, maxLength: calls.length }).map((results) => [
      { role: "assistant", content: null, tool_calls: calls },
      ...results.map((content, i) => ({
        role: "tool",
        tool_call_id: (calls[i] as { id: string }).id,
        content,
      })),
    ]),
  ),
);
const openaiMessages: fc.Arbitrary<Tree> = fc
  .tuple(
    fc.option(fc.record({ role: fc.constantFrom("system", "developer"), content: shortText }), {
      nil: undefined,
    }),
    fc.array(openaiTurn, { maxLength: 3 }),
    fc.oneof(shortText, fc.array(openaiPart, { minLength: 1, maxLength: 2 })),
  )
  .map(([system, turns, last]) => [
    ...(system ? [system] : []),
    ...turns.flat(),
    { role: "user", content: last },
  ]);

/** A valid OpenAI Chat Completions request for a model that routes to `target`. */
export function openaiRequest(target: ProviderKind): fc.Arbitrary<Tree> {
  return fc.record(
    {
      model: fc.constantFrom(...MODELS[target]),
      messages: openaiMessages,
      stream: fc.boolean(),
      stream_options: fc.record({ include_usage: fc.boolean() }),
      max_tokens: fc.integer({ min: 1, max: 32_000 }),
      max_completion_tokens: fc.integer({ min: 1, max: 32_000 }),
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      top_p: fc.double({ min: 0, max: 1, noNaN: true }),
      stop: fc.oneof(shortText, fc.array(shortText, { maxLength: 2 })),
      n: fc.constant(1),
      user: shortText,
      reasoning_effort: fc.constantFrom("low", "medium", "high"),
      response_format: fc.constantFrom<Tree>({ type: "text" }, { type: "json_object" }),
      tools: fc.array(
        fc.record({
          type: fc.constant("function"),
          function: fc.record(
            { name: toolName, description: shortText, parameters: schema },
            { requiredKeys: ["name"] },
          ),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      tool_choice: fc.oneof(
        fc.constantFrom<Tree>("auto", "none", "required"),
        toolName.map((name) => ({ type: "function", function: { name } })),
      ),
    },
    { requiredKeys: ["model", "messages"] },
  );
}
