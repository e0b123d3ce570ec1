// The readable text of a non-JSON upstream body, such as the HTML error page a load
// balancer answers with: what the client's error message can quote.

/** Longest quoted text, so a large page never becomes a large error message. */
export const MAX_PAGE_TEXT = 500;

/** Tags, scripts, styles and comments removed, entities decoded, whitespace collapsed. */
export function pageText(text: string, max = MAX_PAGE_TEXT): string {
  return text
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, max);
}
