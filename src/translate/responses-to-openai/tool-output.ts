// A `function_call_output` (or `custom_tool_call_output`) item → a Chat Completions tool message,
// with the output's images and files in a user message right after it (edge 6).
import type { ChatCompletionToolMessageParam } from "openai/resources/chat/completions";
import { InvalidRequestError } from "../../core/errors.js";
import { upstreamToolCallId } from "../anthropic-to-openai/tool-call-id.js";
import { contentPart } from "./content-parts.js";
import type { OpenAIContentPart } from "./wire.js";

/** A tool output as a tool message, plus the parts that must follow in a user message. */
export interface TranslatedToolOutput {
  message: ChatCompletionToolMessageParam;
  attachments: OpenAIContentPart[];
}

const ATTACHMENT_NOTE = "[the images or files of this tool output follow in the next user message]";

/** Translates one output item; `param` names it for error messages. */
export function translateToolOutput(callId: string, output: unknown, param: string): TranslatedToolOutput {
  const texts: string[] = [];
  const attachments: OpenAIContentPart[] = [];
  if (typeof output === "string") texts.push(output);
  else if (Array.isArray(output)) {
    output.forEach((part: unknown, i) => {
      const translated = contentPart(part, `${param}.output.${i}`);
      if (translated.type === "text") texts.push(translated.text);
      else attachments.push(translated);
    });
  } else if (output !== undefined && output !== null) {
    throw new InvalidRequestError({
      message: `${param}.output must be a string or an array of content parts`,
      param: `${param}.output`,
    });
  }
  let text = texts.filter((t) => t !== "").join("\n\n");
  if (attachments.length > 0) text = text === "" ? ATTACHMENT_NOTE : `${text}\n\n${ATTACHMENT_NOTE}`;
  return {
    message: { role: "tool", tool_call_id: upstreamToolCallId(callId), content: text },
    attachments,
  };
}
