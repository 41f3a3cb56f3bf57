import { conditionsOf, type RuleScope } from './LifecycleRule.js';

/**
 * How S3 names a rule's filter inside its error messages: `(prefix=logs/)`, `(prefix=)` for an empty filter or an
 * empty prefix. S3 has only been recorded naming prefix filters; tags and sizes are added here in the same
 * manner (`(prefix= and tag={key=k, value=v} and objectsizegreaterthan=10)`).
 */
export function filterLabel(scope: RuleScope): string {
  const c = conditionsOf(scope);
  const parts = [`prefix=${c.prefix ?? ''}`];
  for (const tag of c.tags) parts.push(`tag={key=${tag.key}, value=${tag.value}}`);
  if (c.objectSizeGreaterThan !== undefined) parts.push(`objectsizegreaterthan=${c.objectSizeGreaterThan}`);
  if (c.objectSizeLessThan !== undefined) parts.push(`objectsizelessthan=${c.objectSizeLessThan}`);
  return `(${parts.join(' and ')})`;
}
