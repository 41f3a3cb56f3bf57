import type { PostgresMigration } from './PostgresMigration.js';

/**
 * Batch job ranges (as SQLite's migration 014): an Active job's manifest rows split into ranges [first_row, end_row),
 * each with its own durable cursor and lease (holder until lease_until, ms on the database's clock), so the units of
 * one job run on several nodes at once. Jobs already running get one range holding their progress.
 */
export const batchJobRanges: PostgresMigration = {
  version: 7,
  name: 'batch_job_ranges',
  sql: `
CREATE TABLE batch_job_ranges (
  job_id       TEXT NOT NULL REFERENCES batch_jobs(id) ON DELETE CASCADE,
  first_row    BIGINT NOT NULL,
  end_row      BIGINT NOT NULL,
  cursor       BIGINT NOT NULL,
  holder       TEXT,
  lease_until  BIGINT,
  PRIMARY KEY (job_id, first_row)
);
INSERT INTO batch_job_ranges (job_id, first_row, end_row, cursor)
  SELECT id, 0, total_tasks, cursor FROM batch_jobs
   WHERE status IN ('Active', 'Cancelling', 'Failing') AND total_tasks IS NOT NULL AND total_tasks > 0;
`,
};
