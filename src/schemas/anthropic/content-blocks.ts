// The content blocks of an Anthropic Messages request, as far as a translator reads them
// (the SDK's `ContentBlockParam`): text, images, documents, search results, thinking,
// tool calls and results. Other block types (redacted thinking, server-tool blocks,
// container uploads, whatever comes next) need only a string `type`.
import { z } from "zod";
import { byType } from "../by-type.js";
import { jsonObject } from "../json-object.js";

/** The one block a system prompt and a search result are made of. */
export const textBlock = z.looseObject({ type: z.literal("text"), text: z.string() });

const imageSource = byType({
  known: {
    base64: z.looseObject({ media_type: z.string(), data: z.string() }),
    url: z.looseObject({ url: z.string() }),
    file: z.looseObject({ file_id: z.string() }),
  },
});

const documentSource = byType({
  known: {
    base64: z.looseObject({ media_type: z.string(), data: z.string() }),
    text: z.looseObject({ data: z.string() }),
    content: z.looseObject({
      content: z.union([z.string(), z.array(z.lazy(() => contentBlock))], {
        error: "expected a string or an array of content blocks",
      }),
    }),
    url: z.looseObject({ url: z.string() }),
    file: z.looseObject({ file_id: z.string() }),
  },
});

/** Any content block of a turn, held to the fields of its type when the type is known. */
export const contentBlock: z.ZodType = byType({
  known: {
    text: z.looseObject({ text: z.string() }),
    image: z.looseObject({ source: imageSource }),
    document: z.looseObject({ source: documentSource, title: z.string().nullish() }),
    search_result: z.looseObject({ content: z.array(textBlock), source: z.string(), title: z.string() }),
    thinking: z.looseObject({ thinking: z.string(), signature: z.string().optional() }),
    tool_use: z.looseObject({ id: z.string(), name: z.string(), input: jsonObject.nullish() }),
    tool_result: z.looseObject({
      tool_use_id: z.string(),
      content: z
        .union([z.string(), z.array(z.lazy(() => contentBlock))], {
          error: "expected a string or an array of content blocks",
        })
        .nullish(),
      is_error: z.boolean().nullish(),
    }),
    tool_reference: z.looseObject({ tool_name: z.string() }),
  },
});

/** A turn's content: a string or an array of content blocks. */
export const turnContent = z.union([z.string(), z.array(contentBlock)], {
  error: "expected a string or an array of content blocks",
});
