import type { Migration } from './Migration.js';

/** S3 Batch Operations jobs, tasks and progress (owned by the S3 Control module). */
export const batchJobsSchema: Migration = {
  version: 3,
  name: 'batch_jobs',
  sql: `
CREATE TABLE batch_jobs (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  status TEXT NOT NULL,
  priority INTEGER NOT NULL,
  confirmation_required INTEGER NOT NULL,
  client_request_token TEXT NOT NULL,
  request_fingerprint TEXT NOT NULL,
  description TEXT,
  role_arn TEXT NOT NULL,
  spec TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  creation_time TEXT NOT NULL,
  termination_date TEXT,
  suspended_date TEXT,
  suspended_cause TEXT,
  status_update_reason TEXT,
  failure_reasons TEXT NOT NULL DEFAULT '[]',
  manifest_version_id TEXT,
  generated_manifest TEXT,
  total_tasks INTEGER,
  succeeded INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  cursor INTEGER NOT NULL DEFAULT 0,
  active_ms INTEGER NOT NULL DEFAULT 0,
  UNIQUE (account_id, client_request_token)
);
CREATE INDEX batch_jobs_by_account ON batch_jobs (account_id, seq);
CREATE INDEX batch_jobs_by_status ON batch_jobs (status, priority, seq);
CREATE TABLE batch_job_failures (
  job_id TEXT NOT NULL REFERENCES batch_jobs (id) ON DELETE CASCADE,
  row_number INTEGER NOT NULL,
  http_status INTEGER NOT NULL,
  error_code TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (job_id, row_number)
) WITHOUT ROWID;
`,
};
