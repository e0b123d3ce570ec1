// The OpenAI Chat Completions request (`POST /v1/chat/completions`) as a client sends it
// for translation: the fields the openai-to-anthropic translators read, with the types
// they assume. Everything else, known to the SDK or not, passes untouched (and unread).
import { z } from "zod";
import { byType } from "../by-type.js";
import { expecting } from "../issue-text.js";
import { jsonObject } from "../json-object.js";
import { wireValidator } from "../wire-validator.js";

/** A content part (the SDK's `ChatCompletionContentPart`, plus assistant refusals). */
const contentPart = byType({
  known: {
    text: { text: z.string() },
    refusal: { refusal: z.string() },
    image_url: { image_url: z.looseObject({ url: z.string() }) },
    file: {
      file: z.looseObject({
        file_data: z.string().nullish(),
        file_id: z.string().nullish(),
        filename: z.string().nullish(),
      }),
    },
  },
});

/** A call in an assistant message's history; `custom` calls carry no `function`. */
const toolCall = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }).optional(),
});

const message = z.looseObject({
  role: z.string(),
  content: z
    .union([z.string(), z.array(contentPart)], { error: expecting("a string or an array of content parts") })
    .nullish(),
  tool_calls: z.array(toolCall).nullish(),
  tool_call_id: z.string().optional(),
  refusal: z.string().nullish(),
});

/** A function tool declares `function`; custom (grammar) tools do not. */
const tool = z.looseObject({
  type: z.string(),
  function: z
    .looseObject({ name: z.string(), description: z.string().nullish(), parameters: jsonObject.nullish() })
    .optional(),
});

const toolChoice = z.union(
  [
    z.string(),
    byType({
      known: { function: { function: z.looseObject({ name: z.string() }) } },
    }),
  ],
  { error: expecting('"auto", "required", "none" or a tool_choice object') },
);

/** The request schema; `messages` itself is checked at the edge (present, 1-1000 objects with a role). */
export const chatRequest = z.looseObject({
  messages: z.array(message),
  tools: z.array(tool).nullish(),
  tool_choice: toolChoice.nullish(),
  response_format: z.looseObject({ type: z.string() }).nullish(),
});

/** Throws a 400 naming the field (`messages[0].content[0]: expected an object, got null`) for a malformed request. */
export const validateChatRequest = wireValidator({
  schema: chatRequest,
  notation: "bracketed",
  freeFormFields: new Set(["parameters", "schema"]),
});
