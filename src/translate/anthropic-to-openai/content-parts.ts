// Anthropic user content blocks → OpenAI content parts. Images keep their bytes (base64
// becomes a data URL, URLs stay URLs); a base64 PDF becomes a `file` part and a plain-text
// document a text part. Sources an OpenAI upstream cannot reach (Anthropic file ids, PDF
// URLs) are refused with the field named rather than silently dropped.
import type {
  DocumentBlockParam,
  ImageBlockParam,
  SearchResultBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import { InvalidRequestError } from "../../core/errors.js";
import type { AnthropicBlockParam, OpenAIContentPart } from "./wire.js";

function dataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}

/** An image block as an `image_url` part; `param` names the block for error messages. */
export function imagePart(block: ImageBlockParam, param: string): OpenAIContentPart {
  const source = block.source;
  if (source.type === "base64") {
    return { type: "image_url", image_url: { url: dataUrl(source.media_type, source.data) } };
  }
  if (source.type === "url") return { type: "image_url", image_url: { url: source.url } };
  throw new InvalidRequestError({
    message: `${param}.source: an image given by Anthropic file id (source.type "${String((source as { type?: unknown }).type)}") cannot be sent to an OpenAI-compatible provider; send it as base64 or a URL`,
    param: `${param}.source`,
  });
}

function pdfFileName(title: string | null | undefined): string {
  const base = title?.trim().replace(/[^\w.-]+/g, "_") || "document";
  return base.toLowerCase().endsWith(".pdf") ? base : `${base}.pdf`;
}

function titled(title: string | null | undefined, text: string): string {
  return title ? `${title}\n\n${text}` : text;
}

/** A document block as OpenAI parts: a `file` part for a PDF, text parts otherwise. */
export function documentParts(block: DocumentBlockParam, param: string): OpenAIContentPart[] {
  const source = block.source;
  switch (source.type) {
    case "base64":
      return [
        {
          type: "file",
          file: { filename: pdfFileName(block.title), file_data: dataUrl(source.media_type, source.data) },
        },
      ];
    case "text":
      return [{ type: "text", text: titled(block.title, source.data) }];
    case "content": {
      if (typeof source.content === "string")
        return [{ type: "text", text: titled(block.title, source.content) }];
      return source.content.flatMap((inner, i) => userParts(inner, `${param}.source.content.${i}`));
    }
    default:
      throw new InvalidRequestError({
        message: `${param}.source: a document given by ${source.type === "url" ? "URL" : "Anthropic file id"} cannot be sent to an OpenAI-compatible provider; send the PDF as base64 or the text as a plain-text source`,
        param: `${param}.source`,
      });
  }
}

/** A search result, which OpenAI has no block for, as readable text. */
export function searchResultText(block: SearchResultBlockParam): string {
  const body = block.content.map((inner) => inner.text).join("\n\n");
  return `${block.title}\n${block.source}\n\n${body}`;
}

/**
 * The OpenAI parts for one block of a user turn. Blocks with no user-side meaning in
 * Chat Completions (thinking, server-tool results, container uploads) give none.
 */
export function userParts(block: AnthropicBlockParam, param: string): OpenAIContentPart[] {
  switch (block.type) {
    case "text":
      return block.text === "" ? [] : [{ type: "text", text: block.text }];
    case "image":
      return [imagePart(block, param)];
    case "document":
      return documentParts(block, param);
    case "search_result":
      return [{ type: "text", text: searchResultText(block) }];
    default:
      return [];
  }
}
