import type { Migration } from './Migration.js';

/**
 * bucket policies and ACLs of buckets and objects (owned by the S3 access-control layer).
 *
 * - `bucket_access`: one row per bucket that has a policy or a non-default ACL; goes with the bucket.
 * - `object_acls`: the ACL of one version row. Absent = the default ACL (owner FULL_CONTROL). A row goes when its
 *   version is deleted (cascade) and when an unversioned overwrite rewrites the version row in place (a new seq:
 *   the trigger), so an overwrite never inherits the old object's ACL; the writer then stores what the new PUT says.
 * - `upload_acls`: the ACL a CreateMultipartUpload asked for, applied when the upload completes; goes with the upload.
 */
export const accessControlSchema: Migration = {
  version: 4,
  name: 'access_control',
  sql: `
CREATE TABLE bucket_access (
  bucket  TEXT PRIMARY KEY REFERENCES buckets (name) ON DELETE CASCADE,
  policy  TEXT,
  acl     TEXT
) STRICT;

CREATE TABLE object_acls (
  version_row  INTEGER PRIMARY KEY REFERENCES versions (id) ON DELETE CASCADE,
  acl          TEXT NOT NULL
) STRICT;

CREATE TABLE upload_acls (
  upload_id  TEXT PRIMARY KEY REFERENCES uploads (upload_id) ON DELETE CASCADE,
  acl        TEXT NOT NULL
) STRICT;

CREATE TRIGGER object_acls_reset_on_overwrite AFTER UPDATE OF seq ON versions
BEGIN
  DELETE FROM object_acls WHERE version_row = NEW.id;
END;
`,
};
