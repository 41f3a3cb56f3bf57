import type { PostgresMigration } from './PostgresMigration.js';

/**
 * Storage figures per bucket and per value of the tracked tag keys (docs/metrics.md, "Storage figures"), kept by
 * triggers in the writer's own transaction, as SQLite's migration 012 does — but without a hot row. SQLite has one
 * writer, so its triggers add to one row per bucket; here many transactions write one bucket at once, and a single
 * row per bucket would make each of them wait for the others' commits on its lock. So the triggers only INSERT
 * delta rows, which never conflict:
 *
 * - `bucket_stats` (one base row per bucket, goes with the bucket) + `bucket_stats_deltas` (rows the triggers add):
 *   a bucket's figures are its base row plus the sum of its deltas. `objects`/`object_bytes`: current versions that
 *   are not delete markers; `versions`/`version_bytes`: every version that is not a delete marker; `delete_markers`.
 * - `metrics_tag_keys`: the tracked tag keys (TESSERA_METRICS_TAG_KEYS); `counted` = 0 while a newly tracked key
 *   is being counted from scratch (the triggers already count it; reads do not use it yet).
 * - `tag_stats` (base, goes with the bucket) + `tag_stats_deltas`: for each tracked key and value, the current
 *   non-delete-marker versions carrying key=value and their bytes. A value whose sum is zero objects is not shown.
 *
 * PostgresStorageStats.compact folds the deltas into the base rows (DELETE … RETURNING, so each delta row is folded by
 * exactly one compaction, however many nodes compact at once). Delta tables have no foreign key (that would lock the
 * bucket row for every delta); the deltas of a deleted bucket go with a trigger on `buckets` (they sum to zero anyway:
 * only an empty bucket can be deleted).
 *
 * Trigger shapes: INSERT and DELETE on `versions` and every write of `object_tags` are per statement with transition
 * tables (one delta row per bucket, or per bucket and tag value, for each statement); UPDATE on `versions` is per row
 * with a WHEN on the three counted columns, so the many updates that change none of them (tag_count,
 * replication_status, …) cost nothing. A tag subtraction for a deleted current version runs BEFORE DELETE, per row,
 * while its object_tags rows still exist: PostgreSQL deletes them afterwards by the foreign key's ON DELETE CASCADE,
 * and the object_tags trigger of that cascade finds no version row (it is gone) and adds nothing.
 *
 * Concurrency (READ COMMITTED writers; every statement in a trigger takes a fresh snapshot):
 * - a tag write and a liveness change of the same version in two transactions: the tag trigger locks the version rows
 *   it counts (FOR SHARE) and reads their liveness after the lock, while the versions trigger runs after its UPDATE
 *   holds the row; so whichever commits second sees the first's result, and the pair counts once. A metadata store
 *   should still lock a version row (FOR UPDATE, or its UPDATE) before writing its tags, as PostgresMetadataStore
 *   does: otherwise two tag writers of one version could each hold FOR SHARE and deadlock when they then update it.
 * - a newly tracked key is counted without stopping the writers (PostgresStorageStats.setTrackedTagKeys): it is
 *   added uncounted (from then on every trigger counts it), the transactions in flight are waited for, then one
 *   statement adds, as a delta, the difference between a count from scratch and the figures it sees.
 *
 * Not relied on: `versions.tag_count` (the triggers look the version's object_tags up by its primary key instead).
 * Like SQLite's, the triggers assume nothing updates `versions.bucket` or `versions.id`.
 *
 * Not ported: SQLite's object_acls_reset_on_overwrite (its migration 004). PostgresMetadataStore's in-place
 * overwrite is one statement of data-modifying CTEs that drops the old ACL and writes the new one itself; an AFTER
 * UPDATE OF seq trigger would fire at the end of that statement and delete the ACL it had just written (a BEFORE one
 * would make its own DELETE fail as "already modified by an operation triggered by the current command").
 */
const LIVE = '(is_latest = 1 AND is_delete_marker = 0)';

/** The bucket deltas of a transition table (`rows`), multiplied by `sign`. */
function bucketDeltasOf(rows: string, sign: '' | '-'): string {
  return `INSERT INTO bucket_stats_deltas (bucket, objects, object_bytes, versions, version_bytes, delete_markers)
    SELECT bucket,
      ${sign}count(*) FILTER (WHERE ${LIVE}), ${sign}coalesce(sum(size) FILTER (WHERE ${LIVE}), 0),
      ${sign}count(*) FILTER (WHERE is_delete_marker = 0), ${sign}coalesce(sum(size) FILTER (WHERE is_delete_marker = 0), 0),
      ${sign}count(*) FILTER (WHERE is_delete_marker = 1)
    FROM ${rows} GROUP BY bucket;`;
}

/**
 * The tag deltas of a transition table of object_tags rows (`rows`), multiplied by `sign`: its rows with a tracked
 * key whose version is current and not a delete marker, the version rows locked FOR SHARE before their liveness is
 * read (see the concurrency note above).
 */
function tagDeltasOf(rows: string, sign: '' | '-'): string {
  return `WITH live AS (
      SELECT id, bucket, size FROM versions
      WHERE id IN (SELECT r.version_row FROM ${rows} r JOIN metrics_tag_keys k ON k.key = r.key) AND ${LIVE}
      FOR SHARE
    )
    INSERT INTO tag_stats_deltas (bucket, key, value, objects, bytes)
    SELECT v.bucket, r.key, r.value, ${sign}count(*), ${sign}sum(v.size)
    FROM ${rows} r JOIN metrics_tag_keys k ON k.key = r.key JOIN live v ON v.id = r.version_row
    GROUP BY v.bucket, r.key, r.value;`;
}

export const storageStats: PostgresMigration = {
  version: 2,
  name: 'storage_stats',
  sql: `
-- no write between the count of the versions already stored and the triggers that count from then on
LOCK TABLE buckets, versions, object_tags IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE bucket_stats (
  bucket          TEXT COLLATE "C" PRIMARY KEY REFERENCES buckets (name) ON DELETE CASCADE,
  objects         BIGINT NOT NULL,
  object_bytes    BIGINT NOT NULL,
  versions        BIGINT NOT NULL,
  version_bytes   BIGINT NOT NULL,
  delete_markers  BIGINT NOT NULL
);
CREATE TABLE bucket_stats_deltas (
  bucket          TEXT COLLATE "C" NOT NULL,
  objects         BIGINT NOT NULL,
  object_bytes    BIGINT NOT NULL,
  versions        BIGINT NOT NULL,
  version_bytes   BIGINT NOT NULL,
  delete_markers  BIGINT NOT NULL
);
CREATE INDEX bucket_stats_deltas_by_bucket ON bucket_stats_deltas (bucket);

INSERT INTO bucket_stats (bucket, objects, object_bytes, versions, version_bytes, delete_markers)
  SELECT bucket,
    count(*) FILTER (WHERE ${LIVE}), coalesce(sum(size) FILTER (WHERE ${LIVE}), 0),
    count(*) FILTER (WHERE is_delete_marker = 0), coalesce(sum(size) FILTER (WHERE is_delete_marker = 0), 0),
    count(*) FILTER (WHERE is_delete_marker = 1)
  FROM versions GROUP BY bucket;

CREATE TABLE metrics_tag_keys (
  key      TEXT PRIMARY KEY,
  -- 0 while the key's figures are being counted from scratch: the triggers count it, reads do not use it yet
  counted  SMALLINT NOT NULL DEFAULT 0
);
CREATE TABLE tag_stats (
  bucket   TEXT COLLATE "C" NOT NULL REFERENCES buckets (name) ON DELETE CASCADE,
  key      TEXT NOT NULL,
  value    TEXT NOT NULL,
  objects  BIGINT NOT NULL,
  bytes    BIGINT NOT NULL,
  PRIMARY KEY (bucket, key, value)
);
CREATE TABLE tag_stats_deltas (
  bucket   TEXT COLLATE "C" NOT NULL,
  key      TEXT NOT NULL,
  value    TEXT NOT NULL,
  objects  BIGINT NOT NULL,
  bytes    BIGINT NOT NULL
);
CREATE INDEX tag_stats_deltas_by_bucket_key ON tag_stats_deltas (bucket, key);

CREATE FUNCTION storage_stats_versions_inserted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  ${bucketDeltasOf('inserted', '')}
  RETURN NULL;
END
$fn$;
CREATE TRIGGER storage_stats_version_insert AFTER INSERT ON versions
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION storage_stats_versions_inserted();

CREATE FUNCTION storage_stats_versions_deleted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  ${bucketDeltasOf('deleted', '-')}
  RETURN NULL;
END
$fn$;
CREATE TRIGGER storage_stats_version_delete AFTER DELETE ON versions
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION storage_stats_versions_deleted();

-- a deleted current version's tags, while its object_tags rows are still there (the cascade removes them after)
CREATE FUNCTION storage_stats_version_deleting() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO tag_stats_deltas (bucket, key, value, objects, bytes)
    SELECT OLD.bucket, t.key, t.value, -1, -OLD.size
    FROM object_tags t JOIN metrics_tag_keys k ON k.key = t.key
    WHERE t.version_row = OLD.id;
  RETURN OLD;
END
$fn$;
CREATE TRIGGER storage_stats_version_deleting BEFORE DELETE ON versions
  FOR EACH ROW WHEN (OLD.is_latest = 1 AND OLD.is_delete_marker = 0) EXECUTE FUNCTION storage_stats_version_deleting();

CREATE FUNCTION storage_stats_version_updated() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  live_old  BIGINT := (OLD.is_latest = 1 AND OLD.is_delete_marker = 0)::int;
  live_new  BIGINT := (NEW.is_latest = 1 AND NEW.is_delete_marker = 0)::int;
  kept_old  BIGINT := (OLD.is_delete_marker = 0)::int;
  kept_new  BIGINT := (NEW.is_delete_marker = 0)::int;
  d_objects BIGINT := live_new - live_old;
  d_obytes  BIGINT := live_new * NEW.size - live_old * OLD.size;
  d_kept    BIGINT := kept_new - kept_old;
  d_kbytes  BIGINT := kept_new * NEW.size - kept_old * OLD.size;
BEGIN
  IF d_objects <> 0 OR d_obytes <> 0 OR d_kept <> 0 OR d_kbytes <> 0 THEN
    INSERT INTO bucket_stats_deltas (bucket, objects, object_bytes, versions, version_bytes, delete_markers)
      VALUES (NEW.bucket, d_objects, d_obytes, d_kept, d_kbytes, -d_kept);
  END IF;
  IF d_objects <> 0 OR d_obytes <> 0 THEN
    INSERT INTO tag_stats_deltas (bucket, key, value, objects, bytes)
      SELECT NEW.bucket, t.key, t.value, d_objects, d_obytes
      FROM object_tags t JOIN metrics_tag_keys k ON k.key = t.key
      WHERE t.version_row = NEW.id;
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER storage_stats_version_update AFTER UPDATE OF is_latest, is_delete_marker, size ON versions
  FOR EACH ROW
  WHEN (OLD.is_latest IS DISTINCT FROM NEW.is_latest OR OLD.is_delete_marker IS DISTINCT FROM NEW.is_delete_marker
    OR OLD.size IS DISTINCT FROM NEW.size)
  EXECUTE FUNCTION storage_stats_version_updated();

CREATE FUNCTION storage_stats_tags_inserted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  ${tagDeltasOf('inserted', '')}
  RETURN NULL;
END
$fn$;
CREATE TRIGGER storage_stats_tag_insert AFTER INSERT ON object_tags
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION storage_stats_tags_inserted();

CREATE FUNCTION storage_stats_tags_deleted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  ${tagDeltasOf('deleted', '-')}
  RETURN NULL;
END
$fn$;
CREATE TRIGGER storage_stats_tag_delete AFTER DELETE ON object_tags
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION storage_stats_tags_deleted();

CREATE FUNCTION storage_stats_tags_updated() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  ${tagDeltasOf('replaced', '-')}
  ${tagDeltasOf('replacing', '')}
  RETURN NULL;
END
$fn$;
CREATE TRIGGER storage_stats_tag_update AFTER UPDATE ON object_tags
  REFERENCING OLD TABLE AS replaced NEW TABLE AS replacing FOR EACH STATEMENT EXECUTE FUNCTION storage_stats_tags_updated();

CREATE FUNCTION storage_stats_buckets_deleted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM bucket_stats_deltas WHERE bucket IN (SELECT name FROM deleted);
  DELETE FROM tag_stats_deltas WHERE bucket IN (SELECT name FROM deleted);
  RETURN NULL;
END
$fn$;
CREATE TRIGGER storage_stats_bucket_delete AFTER DELETE ON buckets
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION storage_stats_buckets_deleted();

`,
};
