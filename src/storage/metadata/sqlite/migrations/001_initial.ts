import type { Migration } from './Migration.js';

/**
 * The first schema.
 *
 * - Times are integer milliseconds since the epoch.
 * - Object keys are TEXT with the default BINARY collation, which compares UTF-8 bytes: S3's listing order.
 * - `versions.seq` is the store-wide write order, drawn from `counters` ('version_seq') so it never goes back, even
 *   when the newest version is deleted. It is not the row id: an unversioned overwrite updates the row in place
 *   (new seq, new contents), which touches far fewer pages than a delete plus an insert.
 * - `is_latest` is kept on the newest version of each key so `versions_live` (a partial index holding only the
 *   current, non-delete-marker versions) serves ListObjects without touching older versions.
 * - Tags are rows indexed by (key, value) so policies, lifecycle and batch jobs can query them.
 * - `version_blobs` maps each blob to the version holding it (a blob belongs to one version or one part, never two),
 *   so crash recovery can ask "is this blob referenced?" with one lookup.
 * - `released_blobs` is the outbox of blobs whose bytes the reaper must delete.
 * - FsBlobStore's blob ids begin with their creation time, so blob-keyed indexes mostly grow at one end.
 */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE counters (
  name   TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('version_seq', 0);

CREATE TABLE accounts (
  id            TEXT PRIMARY KEY,
  canonical_id  TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE access_keys (
  access_key_id      TEXT PRIMARY KEY,
  secret_access_key  TEXT NOT NULL,
  account_id         TEXT NOT NULL,
  user_name          TEXT,
  status             TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  created_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX access_keys_by_account ON access_keys (account_id);

CREATE TABLE buckets (
  name              TEXT PRIMARY KEY,
  owner_account_id  TEXT NOT NULL,
  region            TEXT NOT NULL,
  created_at        INTEGER NOT NULL,
  versioning        TEXT NOT NULL CHECK (versioning IN ('Unversioned', 'Enabled', 'Suspended')),
  has_tag_set       INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX buckets_by_owner ON buckets (owner_account_id, name);

CREATE TABLE bucket_tags (
  bucket  TEXT NOT NULL REFERENCES buckets (name) ON DELETE CASCADE,
  key     TEXT NOT NULL,
  value   TEXT NOT NULL,
  PRIMARY KEY (bucket, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX bucket_tags_by_key_value ON bucket_tags (key, value);

CREATE TABLE versions (
  id                  INTEGER PRIMARY KEY,
  bucket              TEXT NOT NULL REFERENCES buckets (name),
  key                 TEXT NOT NULL,
  seq                 INTEGER NOT NULL,
  version_id          TEXT NOT NULL,
  is_latest           INTEGER NOT NULL,
  is_delete_marker    INTEGER NOT NULL,
  last_modified       INTEGER NOT NULL,
  owner_account_id    TEXT NOT NULL,
  size                INTEGER NOT NULL,
  etag                TEXT NOT NULL,
  storage_class       TEXT NOT NULL,
  content_headers     TEXT,
  user_metadata       TEXT,
  checksum_algorithm  TEXT,
  checksum_value      TEXT,
  checksum_type       TEXT,
  segments            TEXT NOT NULL,
  part_sizes          TEXT,
  tag_count           INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX versions_by_version_id ON versions (bucket, key, version_id);
CREATE INDEX versions_by_key ON versions (bucket, key, seq DESC);
CREATE INDEX versions_live ON versions (bucket, key) WHERE is_latest = 1 AND is_delete_marker = 0;

CREATE TABLE object_tags (
  version_row  INTEGER NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
  key          TEXT NOT NULL,
  value        TEXT NOT NULL,
  PRIMARY KEY (version_row, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX object_tags_by_key_value ON object_tags (key, value);

CREATE TABLE version_blobs (
  blob_id      TEXT PRIMARY KEY,
  version_row  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE uploads (
  upload_id           TEXT PRIMARY KEY,
  bucket              TEXT NOT NULL REFERENCES buckets (name),
  key                 TEXT NOT NULL,
  initiated           INTEGER NOT NULL,
  owner_account_id    TEXT NOT NULL,
  initiator_arn       TEXT NOT NULL,
  storage_class       TEXT NOT NULL,
  content_headers     TEXT,
  user_metadata       TEXT,
  tags                TEXT,
  checksum_algorithm  TEXT,
  checksum_type       TEXT
) STRICT;
CREATE INDEX uploads_by_key ON uploads (bucket, key, initiated, upload_id);

CREATE TABLE parts (
  upload_id      TEXT NOT NULL REFERENCES uploads (upload_id) ON DELETE CASCADE,
  part_number    INTEGER NOT NULL,
  size           INTEGER NOT NULL,
  etag           TEXT NOT NULL,
  last_modified  INTEGER NOT NULL,
  blob_id        TEXT NOT NULL UNIQUE,
  blob_size      INTEGER NOT NULL,
  checksum       TEXT,
  PRIMARY KEY (upload_id, part_number)
) STRICT, WITHOUT ROWID;

CREATE TABLE released_blobs (
  blob_id      TEXT PRIMARY KEY,
  released_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`,
};
