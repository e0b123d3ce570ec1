// OpenAI message content (a string or parts) → Anthropic content blocks. Images and PDFs
// keep their bytes (data URLs become base64 sources); what Anthropic cannot take (audio,
// OpenAI file ids) is refused with the field named rather than silently dropped.
import type {
  Base64ImageSource,
  DocumentBlockParam,
  ImageBlockParam,
  TextBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import { InvalidRequestError } from "../../core/errors.js";
import { parseDataUrl } from "./data-url.js";

/** The blocks a content part can become (a Chat or a Responses part). */
export type PartBlock = TextBlockParam | ImageBlockParam | DocumentBlockParam;

type ImageMediaType = Base64ImageSource["media_type"];

const IMAGE_MEDIA_TYPES: Record<string, ImageMediaType> = {
  "image/jpeg": "image/jpeg",
  "image/jpg": "image/jpeg",
  "image/png": "image/png",
  "image/gif": "image/gif",
  "image/webp": "image/webp",
};

/** An OpenAI content part as it arrives: typed loosely, since clients send what they like. */
interface LoosePart {
  type?: unknown;
  text?: unknown;
  refusal?: unknown;
  image_url?: { url?: unknown };
  file?: { file_data?: unknown; file_id?: unknown; filename?: unknown };
  prompt_cache_breakpoint?: unknown;
}

/**
 * Translates message content into blocks. Whitespace-only text is left out: Anthropic
 * rejects empty text blocks. `path` names the content field in errors
 * (`messages[2].content`).
 */
export function translateContent(content: unknown, path: string): PartBlock[] {
  if (content === null || content === undefined) return [];
  if (typeof content === "string") return textBlocks(content, false);
  if (!Array.isArray(content)) {
    throw new InvalidRequestError({
      message: `${path} must be a string or an array of content parts`,
      param: path,
    });
  }
  return content.flatMap((part, j) => translatePart(part as LoosePart, `${path}[${j}]`));
}

function translatePart(part: LoosePart, path: string): PartBlock[] {
  const cached = part.prompt_cache_breakpoint !== undefined && part.prompt_cache_breakpoint !== null;
  switch (part.type) {
    case "text":
      return textBlocks(typeof part.text === "string" ? part.text : "", cached);
    case "refusal":
      return textBlocks(typeof part.refusal === "string" ? part.refusal : "", cached);
    case "image_url":
      return [withCache(imageBlock(part.image_url?.url, `${path}.image_url.url`), cached)];
    case "file":
      return [withCache(fileBlock(part.file ?? {}, `${path}.file`), cached)];
    case "input_audio":
      throw new InvalidRequestError({
        message: `${path}.input_audio: audio input is not supported by Anthropic models; transcribe it to text first`,
        param: `${path}.input_audio`,
      });
    default:
      throw new InvalidRequestError({
        message: `${path}.type: unsupported content part type ${JSON.stringify(part.type)}; use text, image_url or file`,
        param: `${path}.type`,
      });
  }
}

/** Text as at most one block: whitespace-only text is left out, as Anthropic rejects it. */
export function textBlocks(text: string, cached: boolean): TextBlockParam[] {
  if (text.trim() === "") return [];
  return [withCache({ type: "text", text }, cached)];
}

/** The block marked cacheable when its part carried a prompt-cache breakpoint. */
export function withCache<T extends PartBlock>(block: T, cached: boolean): T {
  // An OpenAI prompt-cache breakpoint (Chat or Responses) marks the end of a reusable
  // prefix, which is exactly what Anthropic's cache_control marks.
  return cached ? { ...block, cache_control: { type: "ephemeral" } } : block;
}

/** An image URL (`path` names its field) → an image block: https URLs by reference, data URLs inline. */
export function imageBlock(url: unknown, path: string): ImageBlockParam {
  if (typeof url !== "string" || url === "") {
    throw new InvalidRequestError({ message: `${path} must be a data: or https: URL`, param: path });
  }
  if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
  const parsed = parseDataUrl(url);
  if (!parsed) {
    throw new InvalidRequestError({ message: `${path} must be a data: or https: URL`, param: path });
  }
  const mediaType = IMAGE_MEDIA_TYPES[parsed.mediaType];
  if (!mediaType) {
    throw new InvalidRequestError({
      message: `${path}: image type ${parsed.mediaType} is not supported by Anthropic; send JPEG, PNG, GIF or WebP`,
      param: path,
    });
  }
  if (!parsed.base64) {
    throw new InvalidRequestError({
      message: `${path}: an inline image must be base64-encoded`,
      param: path,
    });
  }
  return { type: "image", source: { type: "base64", media_type: mediaType, data: parsed.data } };
}

function fileBlock(file: NonNullable<LoosePart["file"]>, path: string): DocumentBlockParam {
  const title = typeof file.filename === "string" && file.filename !== "" ? { title: file.filename } : {};
  if (typeof file.file_data !== "string" || file.file_data === "") {
    const why =
      file.file_id !== undefined
        ? "OpenAI file ids cannot be read by an Anthropic provider; send the file inline as file_data"
        : "is missing: send the file as a base64 data URL";
    throw new InvalidRequestError({ message: `${path}.file_data: ${why}`, param: `${path}.file_data` });
  }
  return fileDataBlock({ data: file.file_data, field: `${path}.file_data`, title });
}

/** Inline file bytes, and the field they came from, for {@link fileDataBlock}. */
export interface FileData {
  /** A data URL, or bare base64 taken for a PDF. */
  data: string;
  /** The field named in errors (`messages[2].content[0].file.file_data`). */
  field: string;
  /** The document's title, when the client named the file. */
  title: { title?: string };
}

/** Inline file bytes → a document block: a base64 PDF or plain text, anything else refused. */
export function fileDataBlock({ data, field, title }: FileData): DocumentBlockParam {
  const parsed = parseDataUrl(data);
  // Bare base64 (no data: prefix) is how some clients send a PDF, the only file type
  // OpenAI's chat API reads.
  if (!parsed) return { type: "document", source: pdfSource(data), ...title };
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
