import type { PostgresMigration } from './PostgresMigration.js';

/**
 * A bucket's configuration revision (Bucket.configRevision): every insert, update or delete of one of its
 * configurations (lifecycle, replication, notifications, metrics, audit) moves it in the same transaction, so a node
 * whose cache of a configuration was filled before a change made on another node sees a new revision with the bucket
 * on its next request and reads the configuration again. Configuration writes are rare, so the bucket row they
 * update is not a hot spot.
 */
export const bucketConfigRevision: PostgresMigration = {
  version: 6,
  name: 'bucket_config_revision',
  sql: `
ALTER TABLE buckets ADD COLUMN config_revision BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION bump_bucket_config_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE buckets SET config_revision = config_revision + 1 WHERE name = OLD.bucket;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.bucket IS DISTINCT FROM OLD.bucket) THEN
    UPDATE buckets SET config_revision = config_revision + 1 WHERE name = NEW.bucket;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER bucket_lifecycle_revision AFTER INSERT OR UPDATE OR DELETE ON bucket_lifecycle
  FOR EACH ROW EXECUTE FUNCTION bump_bucket_config_revision();
CREATE TRIGGER bucket_replication_revision AFTER INSERT OR UPDATE OR DELETE ON bucket_replication
  FOR EACH ROW EXECUTE FUNCTION bump_bucket_config_revision();
CREATE TRIGGER bucket_notifications_revision AFTER INSERT OR UPDATE OR DELETE ON bucket_notifications
  FOR EACH ROW EXECUTE FUNCTION bump_bucket_config_revision();
CREATE TRIGGER bucket_metrics_configurations_revision AFTER INSERT OR UPDATE OR DELETE ON bucket_metrics_configurations
  FOR EACH ROW EXECUTE FUNCTION bump_bucket_config_revision();
CREATE TRIGGER bucket_audit_revision AFTER INSERT OR UPDATE OR DELETE ON bucket_audit
  FOR EACH ROW EXECUTE FUNCTION bump_bucket_config_revision();
`,
};
