/** Where a JSON syntax error is (1-based line and column), from the offset in the parser's message, if it gives one. */
export function jsonErrorLine(text: string, message: string): number | undefined {
  const line = /line (\d+)/i.exec(message);
  if (line?.[1] !== undefined) return Number(line[1]);
  const position = /position (\d+)/i.exec(message);
  if (position?.[1] === undefined) return undefined;
  return text.slice(0, Number(position[1])).split('\n').length;
}

/**
 * The line where statement `index` (0-based) of a policy starts, found by scanning the text: the index-th object
 * directly inside the "Statement" array (or the Statement object itself). Undefined when it cannot be found.
 */
export function statementLine(text: string, index: number): number | undefined {
  const at = text.search(/"Statement"\s*:/);
  if (at < 0) return undefined;
  let i = text.indexOf(':', at) + 1;
  while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  if (text[i] === '{') return index === 0 ? text.slice(0, i).split('\n').length : undefined;
  if (text[i] !== '[') return undefined;
  let depth = 0;
  let inString = false;
  let seen = -1;
  for (i += 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0 && c === '{') {
        seen++;
        if (seen === index) return text.slice(0, i).split('\n').length;
      }
      depth++;
    } else if (c === '}' || c === ']') {
      if (depth === 0) return undefined;
      depth--;
    }
  }
  return undefined;
}

/** The line a server's MalformedPolicy message points at ("Statement 1 (Sid "x"): …"). */
export function serverMessageLine(text: string, message: string): number | undefined {
  const m = /Statement (\d+)/.exec(message);
  return m?.[1] === undefined ? undefined : statementLine(text, Number(m[1]));
}
