import type { MetricsConfiguration } from '../metrics/MetricsConfiguration.js';

/**
 * Bucket metrics configurations, keyed by (bucket, id); they go with their bucket. Every backend runs
 * test/storage/metricsConfigurationContract.ts.
 */
export interface MetricsConfigurationStore {
  /**
   * Store the configuration under its id, replacing one of the same id. In one transaction: 'missing' when the bucket
   * does not exist; 'too-many' when the id is new and the bucket already has `limit` configurations (nothing stored).
   */
  putMetricsConfiguration(bucket: string, configuration: MetricsConfiguration, limit: number): Promise<'ok' | 'missing' | 'too-many'>;
  getMetricsConfiguration(bucket: string, id: string): Promise<MetricsConfiguration | undefined>;
  /** Remove it; whether it existed. */
  deleteMetricsConfiguration(bucket: string, id: string): Promise<boolean>;
  /** Up to `limit` configurations of the bucket with an id after `after` (all when undefined), in id order (binary). */
  listMetricsConfigurations(bucket: string, after: string | undefined, limit: number): Promise<MetricsConfiguration[]>;
}
