import { findConditionKey, type KeyRef } from './conditionKeys.js';

/**
 * Policy variables (IAM "Variables and tags"): `${aws:username}` and any other single-valued request key, with an
 * optional default (`${aws:username, 'nobody'}`), plus the escapes `${*}`, `${?}` and `${$}` that stand for a literal
 * `*`, `?` and `$`. Only policies with `"Version": "2012-10-17"` have variables; in older policies `${…}` is text.
 *
 * A template is a list of parts: `text` (where `*` and `?` may be wildcards, depending on where it is used),
 * `literal` (never wildcards: escapes), and `var` (replaced by the request's value, which is itself literal).
 */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'var'; readonly name: string; readonly ref: KeyRef | undefined; readonly fallback: string | undefined };

const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };
const WITH_DEFAULT = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/;

export function parseTemplate(source: string, variables: boolean): TemplatePart[] {
  if (!variables || !source.includes('${')) return [{ kind: 'text', text: source }];
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const start = source.indexOf('${', i);
    const end = start < 0 ? -1 : source.indexOf('}', start + 2);
    if (start < 0 || end < 0) {
      text += source.slice(i);
      break;
    }
    text += source.slice(i, start);
    if (text) parts.push({ kind: 'text', text });
    text = '';
    const inner = source.slice(start + 2, end);
    const escape = ESCAPES[inner];
    if (escape !== undefined) {
      parts.push({ kind: 'literal', text: escape });
    } else {
      const withDefault = WITH_DEFAULT.exec(inner);
      const name = withDefault ? (withDefault[1] ?? '') : inner.trim();
      parts.push({ kind: 'var', name, ref: findConditionKey(name), fallback: withDefault ? withDefault[2] : undefined });
    }
    i = end + 1;
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

export function hasVariables(parts: readonly TemplatePart[]): boolean {
  return parts.some((p) => p.kind === 'var');
}

/**
 * Looks a variable up in the request: its single value, or undefined when the key is unknown, absent, multivalued
 * or only available lazily (existing object tags, bucket tags) — then the part's default applies, and without one
 * the variable cannot be resolved and the statement does not match (as AWS treats an unresolvable variable).
 */
export type VariableResolver = (ref: KeyRef) => string | undefined;

/** The resolver handed where no value has a variable: it would answer every variable as unresolved. */
export const NO_VARIABLES: VariableResolver = () => undefined;

/** The value of a `var` part, or undefined when it cannot be resolved. */
export function resolvePart(part: Extract<TemplatePart, { kind: 'var' }>, resolve: VariableResolver): string | undefined {
  const value = part.ref ? resolve(part.ref) : undefined;
  return value ?? part.fallback;
}
