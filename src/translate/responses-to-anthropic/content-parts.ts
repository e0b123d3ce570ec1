// Responses message content (a string or parts) → Anthropic content blocks. Images and files
// keep their bytes (data URLs become base64 sources, https URLs URL sources); what Anthropic
// cannot read (OpenAI file ids, other media types) is refused with the field named.
import type {
  Base64ImageSource,
  DocumentBlockParam,
  ImageBlockParam,
  TextBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import { InvalidRequestError } from "../../core/errors.js";
import { parseDataUrl } from "../openai-to-anthropic/data-url.js";

/** The blocks a content part can become. */
export type PartBlock = TextBlockParam | ImageBlockParam | DocumentBlockParam;

type ImageMediaType = Base64ImageSource["media_type"];

const IMAGE_MEDIA_TYPES: Record<string, ImageMediaType> = {
  "image/jpeg": "image/jpeg",
  "image/jpg": "image/jpeg",
  "image/png": "image/png",
  "image/gif": "image/gif",
  "image/webp": "image/webp",
};

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

function textBlocks(text: string, cached: boolean): TextBlockParam[] {
  if (text.trim() === "") return [];
  return [withCache({ type: "text", text }, cached)];
}

function withCache<T extends PartBlock>(block: T, cached: boolean): T {
  // A Responses prompt-cache breakpoint marks the end of a reusable prefix, which is
  // exactly what Anthropic's cache_control marks.
  return cached ? { ...block, cache_control: { type: "ephemeral" } } : block;
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
  const field = `${path}.image_url`;
  if (typeof url !== "string" || url === "") {
    throw new InvalidRequestError({ message: `${field} must be a data: or https: URL`, param: field });
  }
  if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
  const parsed = parseDataUrl(url);
  if (!parsed)
    throw new InvalidRequestError({ message: `${field} must be a data: or https: URL`, param: field });
  const mediaType = IMAGE_MEDIA_TYPES[parsed.mediaType];
  if (!mediaType) {
    throw new InvalidRequestError({
      message: `${field}: image type ${parsed.mediaType} is not supported by Anthropic; send JPEG, PNG, GIF or WebP`,
      param: field,
    });
  }
  if (!parsed.base64) {
    throw new InvalidRequestError({
      message: `${field}: an inline image must be base64-encoded`,
      param: field,
    });
  }
  return { type: "image", source: { type: "base64", media_type: mediaType, data: parsed.data } };
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
  const parsed = parseDataUrl(part.file_data);
  // Bare base64 (no data: prefix) is how some clients send a PDF.
  if (!parsed) return { type: "document", source: pdfSource(part.file_data), ...title };
  if (parsed.mediaType === "application/pdf" && parsed.base64) {
    return { type: "document", source: pdfSource(parsed.data), ...title };
  }
  if (parsed.mediaType === "text/plain") {
    const text = parsed.base64
      ? Buffer.from(parsed.data, "base64").toString("utf8")
      : percentDecode(parsed.data, field);
    return { type: "document", source: { type: "text", media_type: "text/plain", data: text }, ...title };
  }
  throw new InvalidRequestError({
    message: `${field}: file type ${parsed.mediaType} is not supported by Anthropic; send a base64 PDF or plain text`,
    param: field,
  });
}

function pdfSource(data: string): DocumentBlockParam["source"] {
  return { type: "base64", media_type: "application/pdf", data };
}

function percentDecode(data: string, field: string): string {
  try {
    return decodeURIComponent(data);
  } catch {
    throw new InvalidRequestError({
      message: `${field}: the data URL is not valid percent-encoding`,
      param: field,
    });
  }
}
