import type { PostgresMigration } from './PostgresMigration.js';

/**
 * IAM (SQLite migration 002), S3 Batch Operations jobs (003, with 013's leases), bucket metrics configurations
 * (010) and audit configurations (011): the same tables and columns as SQLite, with PostgreSQL's conventions (times
 * BIGINT ms — the jobs' dates too, which SQLite keeps as ISO text —, flags SMALLINT 0/1, bucket names COLLATE "C").
 *
 * - IAM user, role and policy names are unique per account regardless of case but keep their case (SQLite's COLLATE
 *   NOCASE; IAM names are ASCII): unique indexes on lower(name), and lookups by lower(name). Tags, inline policies
 *   and attachments record their holder under its name as stored, and are found by lower(holder_name).
 * - `counters('identity_revision')` moves with every write to identity data (PostgresIamStore.identityRevision).
 * - `batch_jobs.seq` is an identity (SQLite's max + 1 would race between nodes); `lease_holder` / `lease_until` (ms)
 *   are the lease of the worker working on the job (JobStore.claimJob).
 */
export const iamJobsConfigurations: PostgresMigration = {
  version: 3,
  name: 'iam_jobs_configurations',
  sql: `
CREATE TABLE iam_users (
  account_id  TEXT NOT NULL,
  user_name   TEXT NOT NULL,
  user_id     TEXT NOT NULL UNIQUE,
  path        TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX iam_users_by_name ON iam_users (account_id, lower(user_name));

CREATE TABLE iam_roles (
  account_id            TEXT NOT NULL,
  role_name             TEXT NOT NULL,
  role_id               TEXT NOT NULL UNIQUE,
  path                  TEXT NOT NULL,
  trust_policy          TEXT NOT NULL,
  description           TEXT,
  max_session_duration  INTEGER NOT NULL,
  created_at            BIGINT NOT NULL
);
CREATE UNIQUE INDEX iam_roles_by_name ON iam_roles (account_id, lower(role_name));

CREATE TABLE iam_tags (
  account_id   TEXT NOT NULL,
  holder_kind  TEXT NOT NULL CHECK (holder_kind IN ('user', 'role')),
  holder_name  TEXT NOT NULL,
  key          TEXT COLLATE "C" NOT NULL,
  value        TEXT NOT NULL
);
CREATE UNIQUE INDEX iam_tags_by_holder ON iam_tags (account_id, holder_kind, lower(holder_name), key);

CREATE TABLE iam_inline_policies (
  account_id   TEXT NOT NULL,
  holder_kind  TEXT NOT NULL CHECK (holder_kind IN ('user', 'role')),
  holder_name  TEXT NOT NULL,
  policy_name  TEXT COLLATE "C" NOT NULL,
  document     TEXT NOT NULL
);
CREATE UNIQUE INDEX iam_inline_policies_by_holder ON iam_inline_policies (account_id, holder_kind, lower(holder_name), policy_name);

CREATE TABLE iam_managed_policies (
  arn          TEXT PRIMARY KEY,
  account_id   TEXT NOT NULL,
  policy_name  TEXT NOT NULL,
  policy_id    TEXT NOT NULL UNIQUE,
  path         TEXT NOT NULL,
  description  TEXT,
  document     TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX iam_managed_policies_by_name ON iam_managed_policies (account_id, lower(policy_name));

CREATE TABLE iam_attachments (
  account_id   TEXT NOT NULL,
  holder_kind  TEXT NOT NULL CHECK (holder_kind IN ('user', 'role')),
  holder_name  TEXT NOT NULL,
  policy_arn   TEXT NOT NULL REFERENCES iam_managed_policies (arn)
);
CREATE UNIQUE INDEX iam_attachments_by_holder ON iam_attachments (account_id, holder_kind, lower(holder_name), policy_arn);
CREATE INDEX iam_attachments_by_policy ON iam_attachments (policy_arn);

CREATE TABLE iam_sessions (
  access_key_id      TEXT PRIMARY KEY,
  secret_access_key  TEXT NOT NULL,
  session_token      TEXT NOT NULL,
  account_id         TEXT NOT NULL,
  role_name          TEXT NOT NULL,
  role_id            TEXT NOT NULL,
  session_name       TEXT NOT NULL,
  session_policy     TEXT,
  expires_at         BIGINT NOT NULL,
  created_at         BIGINT NOT NULL
);
CREATE INDEX iam_sessions_by_expiry ON iam_sessions (expires_at);

INSERT INTO counters (name, value) VALUES ('identity_revision', 0) ON CONFLICT (name) DO NOTHING;

CREATE TABLE batch_jobs (
  id                     TEXT PRIMARY KEY,
  account_id             TEXT NOT NULL,
  seq                    BIGINT GENERATED ALWAYS AS IDENTITY,
  status                 TEXT NOT NULL,
  priority               INTEGER NOT NULL,
  confirmation_required  SMALLINT NOT NULL,
  client_request_token   TEXT NOT NULL,
  request_fingerprint    TEXT NOT NULL,
  description            TEXT,
  role_arn               TEXT NOT NULL,
  spec                   TEXT NOT NULL,
  tags                   TEXT NOT NULL DEFAULT '[]',
  creation_time          BIGINT NOT NULL,
  termination_date       BIGINT,
  suspended_date         BIGINT,
  suspended_cause        TEXT,
  status_update_reason   TEXT,
  failure_reasons        TEXT NOT NULL DEFAULT '[]',
  manifest_version_id    TEXT,
  generated_manifest     TEXT,
  total_tasks            BIGINT,
  succeeded              BIGINT NOT NULL DEFAULT 0,
  failed                 BIGINT NOT NULL DEFAULT 0,
  cursor                 BIGINT NOT NULL DEFAULT 0,
  active_ms              BIGINT NOT NULL DEFAULT 0,
  lease_holder           TEXT,
  lease_until            BIGINT,
  UNIQUE (account_id, client_request_token)
);
CREATE INDEX batch_jobs_by_account ON batch_jobs (account_id, seq);
CREATE INDEX batch_jobs_by_status ON batch_jobs (status, priority DESC, seq);
CREATE TABLE batch_job_failures (
  job_id       TEXT NOT NULL REFERENCES batch_jobs (id) ON DELETE CASCADE,
  row_number   BIGINT NOT NULL,
  http_status  INTEGER NOT NULL,
  error_code   TEXT NOT NULL,
  message      TEXT NOT NULL,
  PRIMARY KEY (job_id, row_number)
);

CREATE TABLE bucket_metrics_configurations (
  bucket         TEXT COLLATE "C" NOT NULL REFERENCES buckets (name) ON DELETE CASCADE,
  id             TEXT COLLATE "C" NOT NULL,
  configuration  TEXT NOT NULL,
  PRIMARY KEY (bucket, id)
);

CREATE TABLE bucket_audit (
  bucket         TEXT COLLATE "C" PRIMARY KEY REFERENCES buckets (name) ON DELETE CASCADE,
  configuration  TEXT NOT NULL
);
`,
};
