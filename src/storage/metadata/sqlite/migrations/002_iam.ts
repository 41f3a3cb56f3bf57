import type { Migration } from './Migration.js';

/**
 * IAM users, access keys of users, policies, roles and role sessions (owned by the IAM module).
 *
 * - User, role and policy names are unique per account regardless of case (IAM's rule): COLLATE NOCASE.
 * - Users' access keys stay in `access_keys` (001) with `user_name` set, so authentication has one lookup.
 * - Tags of users and roles are rows (`iam_tags`), like object tags.
 * - Inline policies and managed-policy attachments are keyed by holder kind ('user' | 'role') and name.
 * - `iam_sessions` holds AssumeRole's temporary credentials until they expire.
 */
export const iamSchema: Migration = {
  version: 2,
  name: 'iam',
  sql: `
CREATE TABLE iam_users (
  account_id  TEXT NOT NULL,
  user_name   TEXT NOT NULL COLLATE NOCASE,
  user_id     TEXT NOT NULL UNIQUE,
  path        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (account_id, user_name)
) STRICT, WITHOUT ROWID;

CREATE TABLE iam_roles (
  account_id            TEXT NOT NULL,
  role_name             TEXT NOT NULL COLLATE NOCASE,
  role_id               TEXT NOT NULL UNIQUE,
  path                  TEXT NOT NULL,
  trust_policy          TEXT NOT NULL,
  description           TEXT,
  max_session_duration  INTEGER NOT NULL,
  created_at            INTEGER NOT NULL,
  PRIMARY KEY (account_id, role_name)
) STRICT, WITHOUT ROWID;

CREATE TABLE iam_tags (
  account_id   TEXT NOT NULL,
  holder_kind  TEXT NOT NULL CHECK (holder_kind IN ('user', 'role')),
  holder_name  TEXT NOT NULL COLLATE NOCASE,
  key          TEXT NOT NULL,
  value        TEXT NOT NULL,
  PRIMARY KEY (account_id, holder_kind, holder_name, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE iam_inline_policies (
  account_id   TEXT NOT NULL,
  holder_kind  TEXT NOT NULL CHECK (holder_kind IN ('user', 'role')),
  holder_name  TEXT NOT NULL COLLATE NOCASE,
  policy_name  TEXT NOT NULL,
  document     TEXT NOT NULL,
  PRIMARY KEY (account_id, holder_kind, holder_name, policy_name)
) STRICT, WITHOUT ROWID;

CREATE TABLE iam_managed_policies (
  arn          TEXT PRIMARY KEY,
  account_id   TEXT NOT NULL,
  policy_name  TEXT NOT NULL COLLATE NOCASE,
  policy_id    TEXT NOT NULL UNIQUE,
  path         TEXT NOT NULL,
  description  TEXT,
  document     TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  UNIQUE (account_id, policy_name)
) STRICT, WITHOUT ROWID;

CREATE TABLE iam_attachments (
  account_id   TEXT NOT NULL,
  holder_kind  TEXT NOT NULL CHECK (holder_kind IN ('user', 'role')),
  holder_name  TEXT NOT NULL COLLATE NOCASE,
  policy_arn   TEXT NOT NULL REFERENCES iam_managed_policies (arn),
  PRIMARY KEY (account_id, holder_kind, holder_name, policy_arn)
) STRICT, WITHOUT ROWID;
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
  expires_at         INTEGER NOT NULL,
  created_at         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX iam_sessions_by_expiry ON iam_sessions (expires_at);
`,
};
