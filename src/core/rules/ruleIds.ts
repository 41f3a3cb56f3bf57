import type { S3Error } from '../../errors/S3Error.js';
import { codePointLength } from '../tags/TagSet.js';

/** What a configuration's rule-ID checks answer (each configuration has S3's words for them). */
export interface RuleIdErrors {
  readonly maxLength: number;
  tooLong(id: string): S3Error;
  duplicate(id: string): S3Error;
}

/**
 * The IDs given to a configuration's rules (lifecycle, replication), each checked in order: at most `maxLength`
 * characters, none twice. An absent or empty ID is skipped (one is generated: withGeneratedIds). Returns the IDs.
 */
export function checkRuleIds(ids: readonly (string | undefined)[], errors: RuleIdErrors): Set<string> {
  const seen = new Set<string>();
  for (const id of ids) {
    if (id === undefined || id === '') continue;
    if (codePointLength(id) > errors.maxLength) throw errors.tooLong(id);
    if (seen.has(id)) throw errors.duplicate(id);
    seen.add(id);
  }
  return seen;
}

/** The rules, each without an ID given one from `newId` that no other rule has. */
export function withGeneratedIds<R extends { readonly id: string }>(rules: readonly R[], given: Set<string>, newId: () => string): R[] {
  return rules.map((rule) => {
    if (rule.id !== '') return rule;
    let id = newId();
    while (given.has(id)) id = newId();
    given.add(id);
    return { ...rule, id };
  });
}
