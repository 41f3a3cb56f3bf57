import type { Tag } from '../tags/Tag.js';

/**
 * A bucket metrics configuration (PutBucketMetricsConfiguration): an id, and the filter choosing the requests whose
 * CloudWatch-style request metrics it exports. Without a filter it covers every request on the bucket.
 */
export interface MetricsConfiguration {
  readonly id: string;
  readonly filter?: MetricsFilter;
}

/**
 * The normalized form of S3's MetricsFilter (`Prefix` | `Tag` | `AccessPointArn` | `And {Prefix?, Tag*,
 * AccessPointArn?}`): every condition it holds. A filter of one condition was written as that element alone, one of
 * two or more as `<And>` (an `And` of fewer than two is refused, as for lifecycle and replication filters), so this
 * form renders back exactly what was stored. Tags keep the order they were sent in.
 */
export interface MetricsFilter {
  readonly prefix?: string;
  readonly tags: readonly Tag[];
  /**
   * An S3 access point's ARN. Tessera has no access points, so no request is ever made through one: a filter naming
   * one is stored and listed, and matches nothing (see metricsFilterMatches).
   */
  readonly accessPointArn?: string;
}

/** At most this many configurations per bucket (AWS's limit). */
export const MAX_METRICS_CONFIGURATIONS = 1000;

/** ListBucketMetricsConfigurations answers at most this many per page. */
export const METRICS_PAGE_SIZE = 100;

/** How many conditions the filter holds (2 or more: it is written as `<And>`). */
export function conditionCount(filter: MetricsFilter): number {
  return (filter.prefix === undefined ? 0 : 1) + filter.tags.length + (filter.accessPointArn === undefined ? 0 : 1);
}

/** Whether the filter is written as `<And>`. */
export function isAndFilter(filter: MetricsFilter): boolean {
  return conditionCount(filter) > 1;
}

/** Whether matching a request against the filter needs the object's tags (the exporter loads them only then). */
export function filterNeedsTags(filter: MetricsFilter | undefined): boolean {
  return filter !== undefined && filter.tags.length > 0 && filter.accessPointArn === undefined;
}
