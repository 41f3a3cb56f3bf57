import type { Migration } from './Migration.js';

/**
 * Event notifications (see docs/notifications.md), on the change feed of migration 008 (consumer `notifications`).
 *
 * - `bucket_notifications`: a bucket's notification configuration; goes with the bucket.
 * - `notification_attempts`: a change whose delivery failed and waits for its next attempt (head of its bucket's line).
 * - `notification_dead_letters`: deliveries given up on after the last attempt, with the event they carried.
 */
export const notificationsSchema: Migration = {
  version: 9,
  name: 'notifications',
  sql: `
CREATE TABLE bucket_notifications (
  bucket         TEXT PRIMARY KEY REFERENCES buckets (name) ON DELETE CASCADE,
  configuration  TEXT NOT NULL
) STRICT;

CREATE TABLE notification_attempts (
  seq         INTEGER PRIMARY KEY,
  bucket      TEXT NOT NULL,
  attempts    INTEGER NOT NULL,
  last_error  TEXT NOT NULL,
  next_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE notification_dead_letters (
  id          INTEGER PRIMARY KEY,
  bucket      TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  target      TEXT NOT NULL,
  event       TEXT NOT NULL,
  key         TEXT NOT NULL,
  attempts    INTEGER NOT NULL,
  last_error  TEXT NOT NULL,
  at          INTEGER NOT NULL,
  message     TEXT NOT NULL
) STRICT;
CREATE INDEX notification_dead_letters_by_bucket ON notification_dead_letters (bucket, id);
`,
};
