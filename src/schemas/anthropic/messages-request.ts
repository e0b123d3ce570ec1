// The Anthropic Messages request (`POST /v1/messages`) as a client sends it for
// translation: the fields the anthropic-to-openai translators read, with the types they
// assume. Everything else, known to the SDK or not, passes untouched (and unread).
import { z } from "zod";
import { byType } from "../by-type.js";
import { expecting } from "../issue-text.js";
import { jsonObject } from "../json-object.js";
import { wireValidator } from "../wire-validator.js";
import { contentBlock, turnContent } from "./content-blocks.js";

const message = z.looseObject({ role: z.string(), content: turnContent });

/**
 * A custom tool names its `input_schema`; Anthropic-run tools (web search, bash, text
 * editor…) have a versioned `type` and no schema, and beta toolsets no `name`.
 */
const tool = z.looseObject({
  type: z.string().nullish(),
  name: z.string().optional(),
  description: z.string().nullish(),
  input_schema: jsonObject.nullish(),
});

const toolChoice = byType({ known: { tool: { name: z.string() } } });

/** The request schema; `messages` itself is checked at the edge (present, 1-1000 objects with a role). */
export const messagesRequest = z.looseObject({
  messages: z.array(message),
  system: z
    .union([z.string(), z.array(contentBlock)], { error: expecting("a string or an array of text blocks") })
    .nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: toolChoice.nullish(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
});

/** Throws a 400 naming the field (`messages.0.content.0: expected an object, got null`) for a malformed request. */
export const validateMessagesRequest = wireValidator({
  schema: messagesRequest,
  notation: "dotted",
  freeFormFields: new Set(["input_schema", "input", "schema"]),
});
