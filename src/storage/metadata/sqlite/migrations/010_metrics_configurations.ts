import type { Migration } from './Migration.js';

/**
 * Bucket metrics configurations (PutBucketMetricsConfiguration; see docs/metrics.md).
 *
 * - `bucket_metrics_configurations`: one row per (bucket, configuration id), the configuration as JSON; goes with the
 *   bucket. Listing pages walk the primary key in id order.
 */
export const metricsConfigurationsSchema: Migration = {
  version: 10,
  name: 'metrics_configurations',
  sql: `
CREATE TABLE bucket_metrics_configurations (
  bucket         TEXT NOT NULL REFERENCES buckets (name) ON DELETE CASCADE,
  id             TEXT NOT NULL,
  configuration  TEXT NOT NULL,
  PRIMARY KEY (bucket, id)
) STRICT;
`,
};
