import type { Tag } from '../tags/Tag.js';
import { conditionsOf, type LifecycleRule } from './LifecycleRule.js';

/** What matching a rule looks at in an object version (a delete marker: size 0, no tags). */
export interface MatchFacts {
  readonly key: string;
  readonly size: number;
  readonly tags: readonly Tag[];
}

/** One condition of a rule, held against one object: whether it holds, and why, in words. */
export interface ConditionCheck {
  readonly condition: 'status' | 'prefix' | 'tag' | 'objectSizeGreaterThan' | 'objectSizeLessThan';
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * Every condition of a rule held against an object, in the order status, prefix, tags, sizes. A rule applies when
 * all hold: it is Enabled; the key starts with its prefix; each of its tags is on the object with exactly that
 * value (the object may have more tags; a filter tag with an empty value wants the tag with an empty value); the
 * size is strictly greater than ObjectSizeGreaterThan and strictly less than ObjectSizeLessThan.
 */
export function checkRule(rule: LifecycleRule, object: MatchFacts): ConditionCheck[] {
  const c = conditionsOf(rule.scope);
  const checks: ConditionCheck[] = [
    { condition: 'status', ok: rule.status === 'Enabled', detail: `the rule is ${rule.status}` },
  ];
  if (c.prefix !== undefined && c.prefix !== '') {
    const ok = object.key.startsWith(c.prefix);
    checks.push({ condition: 'prefix', ok, detail: `key ${JSON.stringify(object.key)} ${ok ? 'starts' : 'does not start'} with ${JSON.stringify(c.prefix)}` });
  }
  for (const want of c.tags) checks.push(tagCheck(want, object.tags));
  if (c.objectSizeGreaterThan !== undefined) {
    const ok = object.size > c.objectSizeGreaterThan;
    checks.push({ condition: 'objectSizeGreaterThan', ok, detail: `size ${object.size} ${ok ? 'is' : 'is not'} greater than ${c.objectSizeGreaterThan}` });
  }
  if (c.objectSizeLessThan !== undefined) {
    const ok = object.size < c.objectSizeLessThan;
    checks.push({ condition: 'objectSizeLessThan', ok, detail: `size ${object.size} ${ok ? 'is' : 'is not'} less than ${c.objectSizeLessThan}` });
  }
  return checks;
}

function tagCheck(want: Tag, tags: readonly Tag[]): ConditionCheck {
  const have = tags.find((t) => t.key === want.key);
  const wanted = `${want.key}=${JSON.stringify(want.value)}`;
  if (have === undefined) return { condition: 'tag', ok: false, detail: `no tag ${JSON.stringify(want.key)} (the rule wants ${wanted})` };
  if (have.value !== want.value) {
    return { condition: 'tag', ok: false, detail: `tag ${want.key} is ${JSON.stringify(have.value)}, the rule wants ${JSON.stringify(want.value)}` };
  }
  return { condition: 'tag', ok: true, detail: `tag ${wanted} is on the object` };
}

/** Whether the rule applies to the object (Enabled, and every condition holds): checkRule's verdict, without its words. */
export function ruleApplies(rule: LifecycleRule, object: MatchFacts): boolean {
  if (rule.status !== 'Enabled') return false;
  const c = conditionsOf(rule.scope);
  if (c.prefix !== undefined && !object.key.startsWith(c.prefix)) return false;
  for (const want of c.tags) if (!object.tags.some((t) => t.key === want.key && t.value === want.value)) return false;
  if (c.objectSizeGreaterThan !== undefined && !(object.size > c.objectSizeGreaterThan)) return false;
  if (c.objectSizeLessThan !== undefined && !(object.size < c.objectSizeLessThan)) return false;
  return true;
}
