import type { PostgresMigration } from './PostgresMigration.js';

/**
 * A bucket's policy and ACL (bucket_access) move its configuration revision too (migration 006's trigger function),
 * so a bucket read names the access state it was read with: a node may answer a request's access check from the
 * bucket read of the same request (BucketAccessMemo) and still never serve a policy older than the request.
 */
export const bucketAccessRevision: PostgresMigration = {
  version: 8,
  name: 'bucket_access_revision',
  sql: `
CREATE TRIGGER bucket_access_revision AFTER INSERT OR UPDATE OR DELETE ON bucket_access
  FOR EACH ROW EXECUTE FUNCTION bump_bucket_config_revision();
`,
};
