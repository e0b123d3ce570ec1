// The content blocks of an Anthropic Messages request, as far as a translator reads them
// (the SDK's `ContentBlockParam`): text, images, documents, search results, thinking,
// tool calls and results. Other block types (redacted thinking, server-tool blocks,
// container uploads, whatever comes next) need only a string `type`.
import { z } from "zod";
import { byType } from "../by-type.js";
import { expecting } from "../issue-text.js";
import { jsonObject } from "../json-object.js";

/**
 * How many levels of content a block may hold below a turn's content: a tool result's
 * content (1), then a document's content inside it (2), whose text and image blocks hold
 * none. That is as deep as the API nests blocks, so the schema is unrolled to it rather
 * than recursive, which lets zod compile it.
 */
const NESTED_CONTENT_LEVELS = 2;

/** The one block a search result is made of. */
const textBlock = z.looseObject({ type: z.literal("text"), text: z.string() });

const imageSource = byType({
  known: {
    base64: { media_type: z.string(), data: z.string() },
    url: { url: z.string() },
    file: { file_id: z.string() },
  },
});

/** Content blocks `level` levels below a turn's content (0 = the turn's own blocks). */
function contentBlockAt(level: number): z.ZodType {
  const nested =
    level < NESTED_CONTENT_LEVELS
      ? z.union([z.string(), z.array(contentBlockAt(level + 1))], {
          error: expecting("a string or an array of content blocks"),
        })
      : z.string();
  const documentSource = byType({
    known: {
      base64: { media_type: z.string(), data: z.string() },
      text: { data: z.string() },
      content: { content: nested },
      url: { url: z.string() },
      file: { file_id: z.string() },
    },
  });
  return byType({
    known: {
      text: { text: z.string() },
      image: { source: imageSource },
      document: { source: documentSource, title: z.string().nullish() },
      search_result: { content: z.array(textBlock), source: z.string(), title: z.string() },
      thinking: { thinking: z.string(), signature: z.string().optional() },
      tool_use: { id: z.string(), name: z.string(), input: jsonObject.nullish() },
      tool_result: { tool_use_id: z.string(), content: nested.nullish(), is_error: z.boolean().nullish() },
      tool_reference: { tool_name: z.string() },
    },
  });
}

/** Any content block of a turn, held to the fields of its type when the type is known. */
export const contentBlock = contentBlockAt(0);

/** A turn's content: a string or an array of content blocks. */
export const turnContent = z.union([z.string(), z.array(contentBlock)], {
  error: expecting("a string or an array of content blocks"),
});
