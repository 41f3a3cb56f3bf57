import type { Migration } from './Migration.js';

/**
 * Batch job ranges: an Active job's manifest rows split into ranges [first_row, end_row), each with its own durable
 * cursor (rows [first_row, cursor) applied) and its own lease (holder until lease_until, ms since the epoch), so the
 * units of one job can run on several workers (JobStore.claimJob). A done range keeps its last holder. Jobs that were
 * already running get one range holding the progress they made ([0, cursor) applied).
 */
export const batchJobRangesSchema: Migration = {
  version: 14,
  name: 'batch_job_ranges',
  sql: `
CREATE TABLE batch_job_ranges (
  job_id       TEXT NOT NULL REFERENCES batch_jobs(id) ON DELETE CASCADE,
  first_row    INTEGER NOT NULL,
  end_row      INTEGER NOT NULL,
  cursor       INTEGER NOT NULL,
  holder       TEXT,
  lease_until  INTEGER,
  PRIMARY KEY (job_id, first_row)
) WITHOUT ROWID;
INSERT INTO batch_job_ranges (job_id, first_row, end_row, cursor)
  SELECT id, 0, total_tasks, cursor FROM batch_jobs
   WHERE status IN ('Active', 'Cancelling', 'Failing') AND total_tasks IS NOT NULL AND total_tasks > 0;
`,
};
