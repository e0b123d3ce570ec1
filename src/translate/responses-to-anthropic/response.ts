// Anthropic Message → Responses body. Consecutive text blocks form one message item (a
// part each), a thinking block becomes a reasoning item whose summary is its text, and a
// tool_use block a function_call (or custom_tool_call) item under the name the client declared.
import type { ContentBlock, Message, ToolUseBlock } from "@anthropic-ai/sdk/resources/messages";
import type { ResponseOutputMessage } from "../../schemas/responses/wire.js";
import type { ResponsesContext } from "./context.js";
import {
  customInputOf,
  customToolCallItem,
  functionCallItem,
  messageItem,
  outputText,
  reasoningItem,
} from "./output-items.js";
import {
  baseIdOf,
  customToolCallItemId,
  functionCallItemId,
  messageItemId,
  reasoningItemId,
  responseBody,
  responseOutcome,
  responsesUsage,
} from "./response-fields.js";
import type { ResponsesBody, ResponsesOutputItem } from "./wire.js";

/** Translates a complete Anthropic response body. Never modifies `body`. */
export function translateResponse(body: Message, ctx: ResponsesContext): ResponsesBody {
  const baseId = baseIdOf(body.id);
  const blocks: ContentBlock[] = Array.isArray(body.content) ? body.content : [];
  const outcome = responseOutcome(body.stop_reason);
  return responseBody(ctx, {
    baseId,
    createdAt: Math.floor(Date.now() / 1000),
    status: outcome.status,
    incompleteDetails: outcome.incomplete_details,
    output: outputItems(blocks, baseId, ctx),
    usage: responsesUsage(body.usage),
  });
}

function outputItems(blocks: ContentBlock[], baseId: string, ctx: ResponsesContext): ResponsesOutputItem[] {
  const output: ResponsesOutputItem[] = [];
  let run: ResponseOutputMessage | undefined;
  for (const block of blocks) {
    if (block.type === "text") {
      if (!run) {
        run = messageItem(messageItemId(baseId, output.length), [], "completed");
        output.push(run);
      }
      run.content.push(outputText(block.text));
    } else if (block.type === "thinking") {
      run = undefined;
      output.push(reasoningItem(reasoningItemId(baseId, output.length), block.thinking));
    } else if (block.type === "tool_use") {
      run = undefined;
      output.push(callItem(block, ctx));
    }
    // Redacted thinking and server-tool blocks hold nothing a Responses client can read or
    // run; they neither make an item nor end a run of text.
  }
  return output;
}

function callItem(block: ToolUseBlock, ctx: ResponsesContext): ResponsesOutputItem {
  const tool = ctx.toolNames?.toClient(block.name) ?? { name: block.name };
  if (tool.kind === "custom") {
    return customToolCallItem({
      id: customToolCallItemId(block.id),
      callId: block.id,
      tool,
      input: customInputOf(block.input),
    });
  }
  return functionCallItem({
    id: functionCallItemId(block.id),
    callId: block.id,
    tool,
    arguments: JSON.stringify(block.input ?? {}),
    status: "completed",
  });
}
