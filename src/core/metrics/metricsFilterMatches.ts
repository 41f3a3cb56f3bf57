import type { Tag } from '../tags/Tag.js';
import type { MetricsConfiguration, MetricsFilter } from './MetricsConfiguration.js';

/**
 * Whether a request on the object `key`, whose tags at request time are `tags`, is one a metrics configuration with
 * this filter covers. Pure.
 * - no filter: every request on the bucket;
 * - a prefix: the key starts with it (case-sensitive; the empty prefix matches every key);
 * - tags: the object has every one of them, with exactly that value (it may have others);
 * - an access point ARN: never — Tessera has no access points, so no request arrives through one;
 * - several conditions (an `And`): all of them.
 */
export function metricsFilterMatches(filter: MetricsFilter | undefined, key: string, tags: readonly Tag[]): boolean {
  if (filter === undefined) return true;
  if (filter.accessPointArn !== undefined) return false;
  if (filter.prefix !== undefined && !key.startsWith(filter.prefix)) return false;
  for (const wanted of filter.tags) {
    if (!tags.some((t) => t.key === wanted.key && t.value === wanted.value)) return false;
  }
  return true;
}

/** The object a request operates on, as metrics filters see it: its key and its tags at request time. */
export interface MetricsSubject {
  readonly key: string;
  readonly tags: readonly Tag[];
}

/**
 * The configurations a request counts for, in the order given. `object` is the single object the request operates
 * on; undefined for a request on no single object (ListObjectsV2, DeleteObjects, a bucket sub-resource), which — as
 * on AWS — only the configurations without a filter cover.
 */
export function matchingMetricsConfigurations(
  configurations: readonly MetricsConfiguration[],
  object: MetricsSubject | undefined,
): MetricsConfiguration[] {
  return configurations.filter((c) =>
    object === undefined ? c.filter === undefined : metricsFilterMatches(c.filter, object.key, object.tags),
  );
}
