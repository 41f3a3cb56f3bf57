import type { AnyOperation } from '../Operation.js';
import { DeleteBucketMetricsConfiguration } from './DeleteBucketMetricsConfiguration.js';
import { GetBucketMetricsConfiguration } from './GetBucketMetricsConfiguration.js';
import { ListBucketMetricsConfigurations } from './ListBucketMetricsConfigurations.js';
import { PutBucketMetricsConfiguration } from './PutBucketMetricsConfiguration.js';

/** Bucket metrics configurations (the request-metrics filters; docs/metrics.md). */
export const metricsOperations: readonly AnyOperation[] = [
  PutBucketMetricsConfiguration,
  GetBucketMetricsConfiguration,
  DeleteBucketMetricsConfiguration,
  ListBucketMetricsConfigurations,
];
