import type { Migration } from './Migration.js';

/** S3 Batch Operations jobs, tasks and progress (owned by the S3 Control module). */
export const batchJobsSchema: Migration = {
  version: 3,
  name: 'batch_jobs',
  sql: '',
};
