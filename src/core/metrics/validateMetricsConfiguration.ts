import type { Tag } from '../tags/Tag.js';
import { validateTagSet } from '../tags/TagSet.js';
import type { MetricsConditionsDraft, MetricsConfigurationDraft, MetricsFilterDraft } from './MetricsConfigurationDraft.js';
import type { MetricsConfiguration, MetricsFilter } from './MetricsConfiguration.js';
import { MAX_METRICS_ID_LENGTH, metricsErrors } from './metricsErrors.js';

const ID = /^[A-Za-z0-9._-]+$/;

/**
 * An access point ARN as S3 writes them: `arn:<partition>:s3:<region>:<12-digit account>:accesspoint/<name>`, the
 * name 3–50 lower-case letters, digits and hyphens, starting and ending with a letter or digit.
 */
const ACCESS_POINT_ARN = /^arn:aws[a-z-]*:s3:[a-z0-9-]+:\d{12}:accesspoint\/[a-z0-9](?:[a-z0-9-]{1,48})[a-z0-9]$/;

/** Whether `id` is a metrics configuration id S3 accepts: 1–64 letters, digits, `.`, `-`, `_`. */
export function isMetricsId(id: string): boolean {
  return id.length <= MAX_METRICS_ID_LENGTH && ID.test(id);
}

/**
 * The `id` query parameter of Put/Get/DeleteBucketMetricsConfiguration, checked: missing (or empty) →
 * InvalidArgument; not 1–64 letters, digits, `.`, `-`, `_` → InvalidArgument (ArgumentName `id`).
 */
export function checkMetricsId(id: string | undefined): string {
  if (id === undefined || id === '') throw metricsErrors.missingId();
  if (!isMetricsId(id)) throw metricsErrors.invalidId(id);
  return id;
}

/**
 * Check a configuration as PutBucketMetricsConfiguration does, and return it as Tessera keeps it. In order:
 * 1. the query's id (checkMetricsId);
 * 2. the body's `<Id>`: missing, or not the query's id → MalformedXML;
 * 3. the `<Filter>`, when present: it must hold exactly one of Prefix, Tag, AccessPointArn, And — none or several →
 *    MalformedXML; an `And` must hold at least two conditions (MalformedXML), at most one Prefix and one
 *    AccessPointArn (the schema's, MalformedXML while parsing);
 * 4. tags: an empty key → MalformedXML; the same key twice in an And → InvalidRequest "Duplicate Tag Keys are not
 *    allowed."; then the object-tag rules (validateTagSet: at most 10, lengths and characters, no `aws:` keys);
 * 5. an AccessPointArn that is not an S3 access point ARN → InvalidArgument (ArgumentName AccessPointArn).
 * A Prefix may be any string, the empty one included (it matches every key).
 */
export function validateMetricsConfiguration(draft: MetricsConfigurationDraft, queryId: string | undefined): MetricsConfiguration {
  const id = checkMetricsId(queryId);
  if (draft.id === undefined || draft.id !== id) throw metricsErrors.malformed();
  if (draft.filter === undefined) return { id };
  return { id, filter: checkFilter(draft.filter) };
}

function checkFilter(filter: MetricsFilterDraft): MetricsFilter {
  const direct = count(filter) + (filter.and === undefined ? 0 : 1);
  if (direct !== 1) throw metricsErrors.malformed();
  const conditions = filter.and ?? filter;
  if (filter.and !== undefined && count(filter.and) < 2) throw metricsErrors.malformed();
  const tags = checkTags(conditions.tags);
  const arn = conditions.accessPointArn;
  if (arn !== undefined && !ACCESS_POINT_ARN.test(arn)) throw metricsErrors.invalidAccessPointArn(arn);
  return {
    ...(conditions.prefix === undefined ? {} : { prefix: conditions.prefix }),
    tags,
    ...(arn === undefined ? {} : { accessPointArn: arn }),
  };
}

function count(c: MetricsConditionsDraft): number {
  return (c.prefix === undefined ? 0 : 1) + c.tags.length + (c.accessPointArn === undefined ? 0 : 1);
}

/** The filter's tags, checked, in the order given. */
function checkTags(tags: readonly Tag[]): Tag[] {
  const seen = new Set<string>();
  for (const { key } of tags) {
    if (key === '') throw metricsErrors.malformed();
    if (seen.has(key)) throw metricsErrors.duplicateTagKeys();
    seen.add(key);
  }
  validateTagSet(tags, 'object');
  return tags.map((t) => ({ key: t.key, value: t.value }));
}
