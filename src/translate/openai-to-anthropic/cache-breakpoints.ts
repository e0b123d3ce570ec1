// Keeps the prompt-cache breakpoints of a translated request within Anthropic's limit.
// OpenAI lets a request mark more explicit breakpoints than Anthropic accepts (four);
// like OpenAI, the latest ones are kept, since they cover the longest prefixes.
import type { MessageParam, TextBlockParam } from "@anthropic-ai/sdk/resources/messages";

/** The most cache_control markers Anthropic accepts in one request. */
export const MAX_CACHE_BREAKPOINTS = 4;

/** Any block that may carry a marker, tool_result blocks with their nested content included. */
type Marked = { cache_control?: unknown; content?: unknown };

/**
 * Removes the earliest markers beyond the limit. It edits the blocks in place: they are
 * Parley's own copies, built by the translator, never the client's objects.
 */
export function limitCacheBreakpoints(
  system: string | TextBlockParam[] | undefined,
  messages: MessageParam[],
): void {
  const marked: Marked[] = [];
  const visit = (value: object) => {
    const block = value as Marked;
    if (Array.isArray(block.content)) block.content.forEach(visit);
    if (block.cache_control) marked.push(block);
  };
  if (Array.isArray(system)) system.forEach(visit);
  for (const message of messages) if (Array.isArray(message.content)) message.content.forEach(visit);
  for (const block of marked.slice(0, Math.max(0, marked.length - MAX_CACHE_BREAKPOINTS))) {
    delete block.cache_control;
  }
}
