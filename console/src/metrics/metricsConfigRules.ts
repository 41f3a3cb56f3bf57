import type { MetricsConfiguration } from '@aws-sdk/client-s3';
import { tagProblems, tagSetOf, type TagRow } from '../tags/tagRules.js';

/** S3's metrics configuration id: 1 to 64 letters, digits, '.', '-' or '_'. */
const ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A configuration as the form holds it. */
export interface MetricsDraft {
  readonly id: string;
  readonly prefix: string;
  readonly tags: readonly TagRow[];
}

/** The problems of a draft, checked before sending: the id's rule and the object-tag rules for filter tags. */
export function draftProblems(draft: MetricsDraft): string[] {
  const problems: string[] = [];
  if (draft.id === '') problems.push('Id: required (1 to 64 letters, digits, . - _)');
  else if (!ID.test(draft.id)) problems.push(`Id: 1 to 64 letters, digits, . - _ (this one has ${[...draft.id].length} characters${/^[A-Za-z0-9._-]*$/.test(draft.id) ? '' : ', some not allowed'})`);
  return [...problems, ...tagProblems(draft.tags)];
}

/**
 * The configuration to send: no filter for neither prefix nor tags, one condition as that element, two or more
 * inside And (docs/metrics.md).
 */
export function configurationOf(draft: MetricsDraft): MetricsConfiguration {
  const tags = tagSetOf(draft.tags);
  const conditions = (draft.prefix !== '' ? 1 : 0) + tags.length;
  if (conditions === 0) return { Id: draft.id };
  if (conditions > 1) return { Id: draft.id, Filter: { And: { ...(draft.prefix !== '' ? { Prefix: draft.prefix } : {}), ...(tags.length > 0 ? { Tags: tags } : {}) } } };
  const [tag] = tags;
  return tag === undefined ? { Id: draft.id, Filter: { Prefix: draft.prefix } } : { Id: draft.id, Filter: { Tag: tag } };
}

/** A configuration's filter in one line: `prefix "raw/" and env=prod`, or `every request`. */
export function filterText(config: MetricsConfiguration): string {
  const f = config.Filter;
  if (f === undefined) return 'every request on the bucket';
  const parts: string[] = [];
  const prefix = f.Prefix ?? f.And?.Prefix;
  if (prefix !== undefined) parts.push(`prefix "${prefix}"`);
  for (const t of f.Tag !== undefined ? [f.Tag] : (f.And?.Tags ?? [])) parts.push(`${t.Key ?? ''}=${t.Value ?? ''}`);
  const arn = f.AccessPointArn ?? f.And?.AccessPointArn;
  if (arn !== undefined) parts.push(`access point ${arn}`);
  return parts.length === 0 ? 'every request on the bucket' : parts.join(' and ');
}
