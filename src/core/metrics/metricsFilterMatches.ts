import type { Tag } from '../tags/Tag.js';
import type { MetricsFilter } from './MetricsConfiguration.js';

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
