import type { Migration } from './Migration.js';

/**
 * Completed multipart uploads, remembered for a day so that a retried CompleteMultipartUpload (the client did not
 * see the first answer) gets the same 200 instead of NoSuchUpload, as on AWS.
 */
export const completedUploadsSchema: Migration = {
  version: 5,
  name: 'completed_uploads',
  sql: `
    CREATE TABLE completed_uploads (
      upload_id     TEXT PRIMARY KEY,
      bucket        TEXT NOT NULL,
      key           TEXT NOT NULL,
      version_id    TEXT NOT NULL,
      completed_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX completed_uploads_by_age ON completed_uploads (completed_at);
  `,
};
