// Rewrites the top-level "model" of a JSON body without re-serializing it, so every
// other byte (integers beyond 2^53, key order, escapes) reaches the upstream unchanged.

/** The span of the top-level "model" string value, or undefined when there is none. */
function findTopLevelModel(text: string): { start: number; end: number } | undefined {
  let depth = 0;
  let i = 0;
  let expectKey = false;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      const end = stringEnd(text, i);
      if (depth === 1 && expectKey) {
        const key = text.slice(i, end + 1);
        let j = end + 1;
        while (/\s/.test(text[j] ?? "")) j++;
        if (text[j] === ":" && key === '"model"') {
          j++;
          while (/\s/.test(text[j] ?? "")) j++;
          if (text[j] === '"') return { start: j, end: stringEnd(text, j) + 1 };
          return undefined;
        }
        expectKey = false;
      }
      i = end + 1;
      continue;
    }
    if (ch === "{") {
      depth++;
      expectKey = depth === 1;
    } else if (ch === "[") {
      depth++;
    } else if (ch === "}" || ch === "]") {
      depth--;
    } else if (ch === "," && depth === 1) {
      expectKey = true;
    }
    i++;
  }
  return undefined;
}

/** Index of the closing quote of the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "\\") i += 2;
    else if (ch === '"') return i;
    else i++;
  }
  return text.length - 1;
}

/** The body with its top-level "model" value replaced; unchanged if it has none. */
export function spliceModel(body: string, model: string): string {
  const span = findTopLevelModel(body);
  if (!span) return body;
  return `${body.slice(0, span.start)}${JSON.stringify(model)}${body.slice(span.end)}`;
}
