import type { Tag } from '../tags/Tag.js';
import { validateTagSet } from '../tags/TagSet.js';
import type { ConditionsDraft, RuleDraft } from './LifecycleDraft.js';
import type { FilterConditions, LifecycleFilter, RuleScope } from './LifecycleRule.js';
import { lifecycleErrors, MAX_OBJECT_SIZE_CONDITION } from './lifecycleErrors.js';

/**
 * A rule's scope — its `Filter`, or the rule-level `Prefix` of Lifecycle V1 — checked as S3 checks it:
 * - neither or both: MalformedXML;
 * - a V1 prefix in a V2 configuration (whose first rule has a Filter), or a Filter in a V1 one: InvalidRequest;
 * - a Filter holding more than one condition outside `And`, or an `And` holding fewer than two: MalformedXML;
 * - a tag with an empty key: MalformedXML; the same key twice: InvalidRequest "Duplicate Tag Keys are not allowed.";
 *   then the tags are held to the object-tag rules (validateTagSet: at most 10, keys and values AWS accepts);
 * - ObjectSizeGreaterThan outside 0…1,099,511,627,776,000, ObjectSizeLessThan outside 1…, or not greater than
 *   ObjectSizeGreaterThan: InvalidRequest.
 */
export function validateRuleScope(rule: RuleDraft, v2: boolean): RuleScope {
  if ((rule.prefix === undefined) === (rule.filter === undefined)) throw lifecycleErrors.malformed();
  if (rule.prefix !== undefined) {
    if (v2) throw lifecycleErrors.prefixInV2();
    return { kind: 'prefix', prefix: rule.prefix };
  }
  if (!v2) throw lifecycleErrors.filterInV1();
  const filter = rule.filter!;
  const direct = conditionCount(filter) + (filter.and === undefined ? 0 : 1);
  if (direct > 1) throw lifecycleErrors.malformed();
  if (filter.and !== undefined) {
    if (conditionCount(filter.and) < 2) throw lifecycleErrors.malformed();
    return { kind: 'filter', filter: { kind: 'and', and: checkedConditions(filter.and) } };
  }
  return { kind: 'filter', filter: singleCondition(checkedConditions(filter)) };
}

function conditionCount(c: ConditionsDraft): number {
  return (
    (c.prefix === undefined ? 0 : 1) +
    c.tags.length +
    (c.objectSizeGreaterThan === undefined ? 0 : 1) +
    (c.objectSizeLessThan === undefined ? 0 : 1)
  );
}

function singleCondition(c: FilterConditions): LifecycleFilter {
  if (c.prefix !== undefined) return { kind: 'prefix', prefix: c.prefix };
  const tag = c.tags[0];
  if (tag !== undefined) return { kind: 'tag', tag };
  if (c.objectSizeGreaterThan !== undefined) return { kind: 'objectSizeGreaterThan', bytes: c.objectSizeGreaterThan };
  if (c.objectSizeLessThan !== undefined) return { kind: 'objectSizeLessThan', bytes: c.objectSizeLessThan };
  return { kind: 'all' };
}

function checkedConditions(c: ConditionsDraft): FilterConditions {
  checkTags(c.tags);
  const { objectSizeGreaterThan: greater, objectSizeLessThan: less } = c;
  if (greater !== undefined && (greater < 0 || greater > MAX_OBJECT_SIZE_CONDITION)) throw lifecycleErrors.sizeGreaterThanRange();
  if (less !== undefined && (less < 1 || less > MAX_OBJECT_SIZE_CONDITION)) throw lifecycleErrors.sizeLessThanRange();
  if (greater !== undefined && less !== undefined && less <= greater) throw lifecycleErrors.sizeOrder();
  return {
    ...(c.prefix === undefined ? {} : { prefix: c.prefix }),
    tags: c.tags.map((t) => ({ key: t.key, value: t.value })),
    ...(greater === undefined ? {} : { objectSizeGreaterThan: greater }),
    ...(less === undefined ? {} : { objectSizeLessThan: less }),
  };
}

function checkTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const { key } of tags) {
    if (key === '') throw lifecycleErrors.malformed();
    if (seen.has(key)) throw lifecycleErrors.duplicateTagKeys();
    seen.add(key);
  }
  validateTagSet(tags, 'object');
}
