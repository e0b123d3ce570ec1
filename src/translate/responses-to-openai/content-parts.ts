// Responses content parts → Chat Completions parts: text, images (URL or data URL), files and
// audio. What the upstream cannot reach (images by OpenAI file id, files by URL) is refused
// with the part named rather than silently dropped.
import { InvalidRequestError } from "../../core/errors.js";
import { isRecord } from "../accumulate/json-record.js";
import type { OpenAIContentPart } from "./wire.js";

const IMAGE_DETAILS = new Set(["auto", "low", "high"]);

function refuse(message: string, param: string): InvalidRequestError {
  return new InvalidRequestError({ message: `${param}: ${message}`, param });
}

function imagePart(part: Record<string, unknown>, param: string): OpenAIContentPart {
  if (typeof part.image_url !== "string" || part.image_url === "") {
    throw refuse(
      "an image given by OpenAI file id cannot be sent to this provider; send it as a data URL or an https URL in image_url",
      param,
    );
  }
  const image: { url: string; detail?: "auto" | "low" | "high" } = { url: part.image_url };
  // "original" is a Responses-only level; Chat Completions knows auto/low/high.
  if (typeof part.detail === "string" && IMAGE_DETAILS.has(part.detail)) {
    image.detail = part.detail as "auto" | "low" | "high";
  }
  return { type: "image_url", image_url: image };
}

function filePart(part: Record<string, unknown>, param: string): OpenAIContentPart {
  const file: { file_data?: string; file_id?: string; filename?: string } = {};
  if (typeof part.file_data === "string" && part.file_data !== "") file.file_data = part.file_data;
  else if (typeof part.file_id === "string" && part.file_id !== "") file.file_id = part.file_id;
  else {
    throw refuse("a file given by URL cannot be sent to this provider; send its bytes in file_data", param);
  }
  if (typeof part.filename === "string" && part.filename !== "") file.filename = part.filename;
  return { type: "file", file };
}

function audioPart(part: Record<string, unknown>, param: string): OpenAIContentPart {
  const audio = isRecord(part.input_audio) ? part.input_audio : {};
  if (typeof audio.data !== "string" || (audio.format !== "wav" && audio.format !== "mp3")) {
    throw refuse("input_audio needs base64 data and a format of wav or mp3", param);
  }
  return { type: "input_audio", input_audio: { data: audio.data, format: audio.format } };
}

/** One part of a user message (or a tool output) as a Chat Completions part. */
export function contentPart(part: unknown, param: string): OpenAIContentPart {
  if (!isRecord(part)) throw refuse("a content part must be an object with a type", param);
  switch (part.type) {
    case "input_text":
    case "output_text":
    case "text":
      if (typeof part.text !== "string") throw refuse("text must be a string", `${param}.text`);
      return { type: "text", text: part.text };
    case "refusal":
      return { type: "text", text: typeof part.refusal === "string" ? part.refusal : "" };
    case "input_image":
      return imagePart(part, param);
    case "input_file":
      return filePart(part, param);
    case "input_audio":
      return audioPart(part, param);
    default:
      throw refuse(
        `content parts of type ${JSON.stringify(part.type)} have no Chat Completions counterpart`,
        param,
      );
  }
}

/** The text of a message's content (a string, or parts that must all be text). */
export function textOf(content: unknown, param: string, separator: string): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) throw refuse("content must be a string or an array of content parts", param);
  return content
    .map((part: unknown, i) => {
      const translated = contentPart(part, `${param}.${i}`);
      if (translated.type !== "text") throw refuse("only text can go here", `${param}.${i}`);
      return translated.text;
    })
    .join(separator);
}

/** User content: a string when all of it is text (some compatible servers refuse part arrays). */
export function userContent(content: unknown, param: string): string | OpenAIContentPart[] {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) throw refuse("content must be a string or an array of content parts", param);
  const parts = content.map((part: unknown, i) => contentPart(part, `${param}.${i}`));
  if (parts.every((part) => part.type === "text")) return parts.map((part) => part.text).join("\n\n");
  return parts;
}
