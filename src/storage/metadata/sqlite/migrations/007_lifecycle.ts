import type { Migration } from './Migration.js';

/**
 * Bucket lifecycle (owned by the lifecycle feature; see docs/lifecycle.md).
 *
 * - `bucket_lifecycle`: the validated configuration (JSON) and its transition-default-minimum-object-size; goes with
 *   the bucket.
 * - `lifecycle_passes`: one row per pass over a bucket: its evaluation time, its durable cursor (written in the same
 *   transaction as the writes of each unit) and its tally. At most one unfinished pass per bucket.
 * - `object_restores`: RestoreObject's temporary readability of an archived version; goes with the version row, and
 *   with an unversioned overwrite of it (a new seq), like object ACLs.
 */
export const lifecycleSchema: Migration = {
  version: 7,
  name: 'lifecycle',
  sql: `
CREATE TABLE bucket_lifecycle (
  bucket                   TEXT PRIMARY KEY REFERENCES buckets (name) ON DELETE CASCADE,
  configuration            TEXT NOT NULL,
  transition_minimum_size  TEXT NOT NULL
) STRICT;

CREATE TABLE lifecycle_passes (
  id            INTEGER PRIMARY KEY,
  bucket        TEXT NOT NULL,
  trigger       TEXT NOT NULL,
  evaluated_at  INTEGER NOT NULL,
  started_at    INTEGER NOT NULL,
  finished_at   INTEGER,
  cursor        TEXT NOT NULL,
  tally         TEXT NOT NULL DEFAULT '{}',
  stale         INTEGER NOT NULL DEFAULT 0,
  errors        TEXT NOT NULL DEFAULT '[]'
) STRICT;
CREATE INDEX lifecycle_passes_by_bucket ON lifecycle_passes (bucket, id);
CREATE UNIQUE INDEX lifecycle_passes_unfinished ON lifecycle_passes (bucket) WHERE finished_at IS NULL;

CREATE TABLE object_restores (
  version_row   INTEGER PRIMARY KEY REFERENCES versions (id) ON DELETE CASCADE,
  requested_at  INTEGER NOT NULL,
  expiry        INTEGER NOT NULL
) STRICT;

CREATE TRIGGER object_restores_reset_on_overwrite AFTER UPDATE OF seq ON versions
BEGIN
  DELETE FROM object_restores WHERE version_row = NEW.id;
END;
`,
};
