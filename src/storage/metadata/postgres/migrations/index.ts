import { initial } from './001_initial.js';
import { storageStats } from './002_storage_stats.js';
import { iamJobsConfigurations } from './003_iam_jobs_configurations.js';
import { lifecycleReplicationNotifications } from './004_lifecycle_replication_notifications.js';
import { workerLeases } from './005_worker_leases.js';
import { bucketConfigRevision } from './006_bucket_config_revision.js';
import { batchJobRanges } from './007_batch_job_ranges.js';
import { bucketAccessRevision } from './008_bucket_access_revision.js';
import type { PostgresMigration } from './PostgresMigration.js';

/** Every step of the PostgreSQL schema, in order (see PostgresMigration). */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  initial,
  storageStats,
  iamJobsConfigurations,
  lifecycleReplicationNotifications,
  workerLeases,
  bucketConfigRevision,
  batchJobRanges,
  bucketAccessRevision,
];
