/**
 * Wildcard matching as IAM does it: `*` matches any run of characters (including none), `?` exactly one
 * character; everything else is literal. Patterns compile to anchored regular expressions once.
 *
 * In ARNs (the Resource element, `ArnLike`/`ArnEquals`), each of the first five colon-separated components is
 * matched separately, so a wildcard there does not cross a colon; the sixth component (the resource part, which
 * may itself contain colons) matches freely.
 */

const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

export function escapeRegex(text: string): string {
  return text.replace(SYNTAX, '\\$&');
}

export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/** Regex source for a wildcard pattern where every character outside `*`/`?` is literal. */
export function globSource(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') out += '[\\s\\S]*';
    else if (ch === '?') out += '[\\s\\S]';
    else out += escapeRegex(ch);
  }
  return out;
}

/** An anchored, Unicode-aware regular expression for a wildcard pattern. */
export function globRegExp(pattern: string, options: { readonly ignoreCase?: boolean } = {}): RegExp {
  return new RegExp(`^${globSource(pattern)}$`, options.ignoreCase ? 'iu' : 'u');
}

/**
 * Builds the regex source for an ARN pattern piece by piece: `text` pieces may contain wildcards, `literal` pieces
 * (variable values, `${*}` escapes) never do. Colons are counted across both so wildcards in the first five
 * components stay within their component.
 */
export class ArnSourceBuilder {
  private source = '';
  private colons = 0;

  text(piece: string): void {
    for (const ch of piece) {
      if (ch === ':') {
        this.colons++;
        this.source += ':';
      } else if (ch === '*') {
        this.source += this.colons < 5 ? '[^:]*' : '[\\s\\S]*';
      } else if (ch === '?') {
        this.source += this.colons < 5 ? '[^:]' : '[\\s\\S]';
      } else {
        this.source += escapeRegex(ch);
      }
    }
  }

  literal(piece: string): void {
    for (const ch of piece) if (ch === ':') this.colons++;
    this.source += escapeRegex(piece);
  }

  build(): RegExp {
    return new RegExp(`^${this.source}$`, 'u');
  }
}

/** Builds the regex source of a plain (non-ARN) wildcard pattern piece by piece. */
export class GlobSourceBuilder {
  private source = '';

  text(piece: string): void {
    this.source += globSource(piece);
  }

  literal(piece: string): void {
    this.source += escapeRegex(piece);
  }

  build(ignoreCase = false): RegExp {
    return new RegExp(`^${this.source}$`, ignoreCase ? 'iu' : 'u');
  }
}
