import { parseTemplate, resolvePart, type TemplatePart, type VariableResolver } from './variables.js';
import { ArnSourceBuilder, GlobSourceBuilder, hasWildcard } from './wildcard.js';

/**
 * A policy value compiled once into the fastest matcher it allows:
 * - `exact`: string equality (StringEquals); `ignoreCase`: equality ignoring case (StringEqualsIgnoreCase);
 * - `glob`: `*`/`?` wildcards (StringLike);
 * - `arn`: wildcards scoped to ARN components (Resource, ArnLike, ArnEquals).
 * Values without variables are compared directly or through a regex built at compile time; values with variables
 * build their regex per distinct variable values, cached.
 */
export type PatternMode = 'exact' | 'ignoreCase' | 'glob' | 'arn';

/** A variable in the value could not be resolved: the statement does not match. */
export const UNRESOLVED = 'unresolved';
export type PatternResult = boolean | typeof UNRESOLVED;

const DYNAMIC_CACHE_LIMIT = 64;

export class CompiledPattern {
  readonly source: string;
  private readonly mode: PatternMode;
  private readonly parts: readonly TemplatePart[];
  /** Static comparand (lower-cased for ignoreCase) when no regex is needed. */
  private readonly literal: string | undefined;
  private readonly regex: RegExp | undefined;
  private readonly cache = new Map<string, RegExp>();

  constructor(source: string, mode: PatternMode, variables: boolean) {
    this.source = source;
    this.mode = mode;
    this.parts = parseTemplate(source, variables);
    if (this.parts.some((p) => p.kind === 'var')) return;
    const wildcards = (mode === 'glob' || mode === 'arn') && this.parts.some((p) => p.kind === 'text' && hasWildcard(p.text));
    if (wildcards) {
      this.regex = this.buildRegex(this.parts.map((p) => (p.kind === 'var' ? '' : p.text)));
    } else {
      const text = this.parts.map((p) => (p.kind === 'var' ? '' : p.text)).join('');
      this.literal = mode === 'ignoreCase' ? text.toLowerCase() : text;
    }
  }

  /** The comparand when the value is a plain string (no variables, no wildcards); lower-cased for ignoreCase. */
  get staticText(): string | undefined {
    return this.literal;
  }

  /** No variables: the answer depends on the value alone (never UNRESOLVED). */
  get isStatic(): boolean {
    return this.literal !== undefined || this.regex !== undefined;
  }

  /** Whether `value` matches; UNRESOLVED when a variable has no value in this request. */
  test(value: string, resolve: VariableResolver): PatternResult {
    if (this.literal !== undefined) return this.mode === 'ignoreCase' ? value.toLowerCase() === this.literal : value === this.literal;
    if (this.regex) return this.regex.test(value);
    const values: string[] = [];
    for (const part of this.parts) {
      if (part.kind !== 'var') {
        values.push(part.text);
        continue;
      }
      const v = resolvePart(part, resolve);
      if (v === undefined) return UNRESOLVED;
      values.push(v);
    }
    if (this.mode === 'exact') return value === values.join('');
    if (this.mode === 'ignoreCase') return value.toLowerCase() === values.join('').toLowerCase();
    const cacheKey = values.join('\u0000');
    let re = this.cache.get(cacheKey);
    if (!re) {
      re = this.buildRegex(values);
      if (this.cache.size >= DYNAMIC_CACHE_LIMIT) this.cache.clear();
      this.cache.set(cacheKey, re);
    }
    return re.test(value);
  }

  /** Regex for the parts with `values[i]` standing for part i (text parts' own text, resolved variables). */
  private buildRegex(values: readonly string[]): RegExp {
    const builder = this.mode === 'arn' ? new ArnSourceBuilder() : new GlobSourceBuilder();
    this.parts.forEach((part, i) => {
      const v = values[i] ?? '';
      if (part.kind === 'text') builder.text(v);
      else builder.literal(v);
    });
    return builder.build();
  }
}
