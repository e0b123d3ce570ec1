// Responses message content (a string or parts) → Anthropic content blocks. Images and files
// keep their bytes (data URLs become base64 sources, https URLs URL sources); what Anthropic
// cannot read (OpenAI file ids, other media types) is refused with the field named.
import type { DocumentBlockParam, ImageBlockParam } from "@anthropic-ai/sdk/resources/messages";
import { InvalidRequestError } from "../../core/errors.js";
import {
  fileDataBlock,
  imageBlock as imageUrlBlock,
  type PartBlock,
  textBlocks,
  withCache,
} from "../openai-to-anthropic/content-parts.js";

/** A content part as it arrives, typed loosely: clients send what they like. */
interface LoosePart {
  type?: unknown;
  text?: unknown;
  refusal?: unknown;
  image_url?: unknown;
  file_id?: unknown;
  file_data?: unknown;
  file_url?: unknown;
  filename?: unknown;
  prompt_cache_breakpoint?: unknown;
}

/** Whose content is translated: the part types each may send differ. */
export type PartRole = "user" | "assistant" | "system" | "tool";

const ALLOWED: Record<PartRole, readonly string[]> = {
  user: ["input_text", "input_image", "input_file"],
  tool: ["input_text", "input_image", "input_file"],
  system: ["input_text"],
  // Assistant messages echoed back carry output_text and refusal parts; input_text is
  // accepted too, as OpenAI does.
  assistant: ["output_text", "refusal", "input_text"],
};

/**
 * Translates message content. Whitespace-only text is left out: Anthropic rejects empty
 * text blocks. `path` names the content field in errors (`input[2].content`).
 */
export function translateParts(content: unknown, path: string, role: PartRole): PartBlock[] {
  if (content === null || content === undefined) return [];
  if (typeof content === "string") return textBlocks(content, false);
  if (!Array.isArray(content)) {
    throw new InvalidRequestError({
      message: `${path} must be a string or an array of content parts`,
      param: path,
    });
  }
  return content.flatMap((part, j) => translatePart(part as LoosePart, `${path}[${j}]`, role));
}

function translatePart(part: LoosePart, path: string, role: PartRole): PartBlock[] {
  const type = typeof part.type === "string" ? part.type : "";
  if (!ALLOWED[role].includes(type)) {
    throw new InvalidRequestError({
      message: `${path}.type: ${JSON.stringify(part.type)} is not a content part a ${role} message can carry; use ${ALLOWED[role].join(", ")}`,
      param: `${path}.type`,
    });
  }
  const cached = part.prompt_cache_breakpoint !== undefined && part.prompt_cache_breakpoint !== null;
  if (type === "input_image") return [withCache(imageBlock(part, path), cached)];
  if (type === "input_file") return [withCache(fileBlock(part, path), cached)];
  const text = type === "refusal" ? part.refusal : part.text;
  return textBlocks(typeof text === "string" ? text : "", cached);
}

function refuseFileId(path: string, what: string): never {
  throw new InvalidRequestError({
    message: `${path}.file_id: OpenAI file ids cannot be read by an Anthropic provider; send the ${what} inline instead`,
    param: `${path}.file_id`,
  });
}

function imageBlock(part: LoosePart, path: string): ImageBlockParam {
  const url = part.image_url;
  if ((url === undefined || url === null) && part.file_id)
    refuseFileId(path, "image as a data: or https: URL");
  return imageUrlBlock(url, `${path}.image_url`);
}

function fileBlock(part: LoosePart, path: string): DocumentBlockParam {
  const title = typeof part.filename === "string" && part.filename !== "" ? { title: part.filename } : {};
  if (typeof part.file_url === "string" && /^https?:\/\//i.test(part.file_url)) {
    return { type: "document", source: { type: "url", url: part.file_url }, ...title };
  }
  const field = `${path}.file_data`;
  if (typeof part.file_data !== "string" || part.file_data === "") {
    if (part.file_id) refuseFileId(path, "file as file_data (a base64 data URL)");
    throw new InvalidRequestError({
      message: `${field} is missing: send the file as a base64 data URL, or file_url as an https: URL`,
      param: field,
    });
  }
  return fileDataBlock({ data: part.file_data, field, title });
}
