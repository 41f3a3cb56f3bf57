import type { Migration } from './Migration.js';

/**
 * Batch job leases: the worker that holds a job (lease_holder) until lease_until (ms since the epoch). A job is
 * worked on by one worker at a time; an expired lease may be claimed by another (see JobStore.claimJob).
 */
export const batchJobLeasesSchema: Migration = {
  version: 13,
  name: 'batch_job_leases',
  sql: `
ALTER TABLE batch_jobs ADD COLUMN lease_holder TEXT;
ALTER TABLE batch_jobs ADD COLUMN lease_until INTEGER;
`,
};
