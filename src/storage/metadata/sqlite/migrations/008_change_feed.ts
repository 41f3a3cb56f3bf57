import type { Migration } from './Migration.js';

/**
 * The change feed: the durable outbox bucket replication (and, next, event notifications) read. See
 * docs/replication.md.
 *
 * - `change_feeds`: which consumers follow a bucket (`replication`, …). A bucket nobody follows logs nothing.
 * - `change_outbox`: one row per change of a followed bucket — a new version (`put`), a new delete marker
 *   (`delete-marker`), a tag set replaced or removed (`tags`), a version removed for good (`delete-version`) — written
 *   by VersionRepo in the same transaction as the change itself, so no acknowledged change is missing from it and
 *   none is in it that did not commit. `event` is the S3 event type it is (`s3:ObjectCreated:Copy`,
 *   `s3:LifecycleExpiration:Delete`, …), and `size` / `etag` what the version had, for event notifications (the
 *   version may be gone by the time its event is sent). `seq` is the order of changes (AUTOINCREMENT: never reused once the rows
 *   consumers have passed are dropped, so a cursor can never fall behind a new change).
 * - `change_cursors`: how far each consumer has handled each bucket's changes, advanced in the same transaction as
 *   what the consumer records about them.
 * - `bucket_replication`: a bucket's replication configuration; goes with the bucket.
 * - `versions.replication_status`: a version's replication status beyond PENDING — COMPLETED or FAILED at a source,
 *   REPLICA for a version replication wrote — read with the version itself (no second lookup on GET/HEAD), and
 *   rewritten by an overwrite in place.
 * - `replication_failures`: the last failure of each change the replication worker could not deliver yet.
 */
export const changeFeedSchema: Migration = {
  version: 8,
  name: 'change_feed',
  sql: `
CREATE TABLE change_feeds (
  bucket    TEXT NOT NULL REFERENCES buckets (name) ON DELETE CASCADE,
  consumer  TEXT NOT NULL,
  PRIMARY KEY (bucket, consumer)
) STRICT, WITHOUT ROWID;

CREATE TABLE change_outbox (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  bucket      TEXT NOT NULL,
  key         TEXT NOT NULL,
  version_id  TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('put', 'delete-marker', 'tags', 'delete-version')),
  event       TEXT NOT NULL,
  size        INTEGER,
  etag        TEXT,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX change_outbox_by_bucket ON change_outbox (bucket, seq);
CREATE INDEX change_outbox_by_version ON change_outbox (bucket, key, version_id);

CREATE TABLE change_cursors (
  consumer  TEXT NOT NULL,
  bucket    TEXT NOT NULL,
  seq       INTEGER NOT NULL,
  PRIMARY KEY (consumer, bucket)
) STRICT, WITHOUT ROWID;

CREATE TABLE bucket_replication (
  bucket         TEXT PRIMARY KEY REFERENCES buckets (name) ON DELETE CASCADE,
  configuration  TEXT NOT NULL
) STRICT;

ALTER TABLE versions ADD COLUMN replication_status TEXT CHECK (replication_status IN ('COMPLETED', 'FAILED', 'REPLICA'));

CREATE TABLE replication_failures (
  seq         INTEGER PRIMARY KEY,
  bucket      TEXT NOT NULL,
  attempts    INTEGER NOT NULL,
  last_error  TEXT NOT NULL,
  last_at     INTEGER NOT NULL,
  next_at     INTEGER NOT NULL
) STRICT;
`,
};
