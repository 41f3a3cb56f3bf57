import type { Migration } from './Migration.js';

/**
 * Storage figures per bucket and per value of the tracked tag keys (see docs/metrics.md, "Storage figures"), kept
 * current by triggers inside the writer's own transaction, so every writer (PUT, overwrite, delete, multipart
 * completion, tag writes of every kind, lifecycle, replicas) keeps them without knowing they exist, and a crash
 * can never leave them out of step with the rows they count.
 *
 * - `bucket_stats`: one row per bucket that ever held a version (`bucketStats` reads `buckets` LEFT JOIN it, so an
 *   empty bucket reads as zeros). `objects`/`object_bytes`: current versions that are not delete markers;
 *   `versions`/`version_bytes`: every version row that is not a delete marker, current or not; `delete_markers`
 *   apart. Each trigger on `versions` is one upsert of the row's delta. Goes with the bucket.
 * - `metrics_tag_keys`: the tag keys the operator tracks (TESSERA_METRICS_TAG_KEYS), set at start.
 * - `tag_stats`: for each tracked key and each of its values, the current non-delete-marker versions carrying
 *   key=value and their bytes; a row reaching zero objects is removed. Goes with the bucket.
 *
 * The order SQLite runs things in when a version row is deleted (checked by test/storage/sqliteStorageStats.test.ts):
 * BEFORE DELETE on versions (its object_tags rows are still there), then the row goes, then the ON DELETE CASCADE
 * deletes its object_tags rows (their AFTER DELETE trigger finds no version row: a no-op), then AFTER DELETE on
 * versions. So the version's tags are subtracted once, by the BEFORE DELETE trigger.
 *
 * `tag_count` (which always equals the number of the version's object_tags rows when a trigger looks at it) lets the
 * triggers on `versions` skip untagged versions without touching `object_tags`. Nothing updates `versions.bucket`,
 * `versions.key` or `versions.id`, nor `object_tags` rows (tag writes delete and insert), but the UPDATE trigger on
 * object_tags keeps the figures right if something ever does the latter.
 */
const LIVE_NEW = '(NEW.is_latest = 1 AND NEW.is_delete_marker = 0)';
const LIVE_OLD = '(OLD.is_latest = 1 AND OLD.is_delete_marker = 0)';
const TRACKED = '(SELECT key FROM metrics_tag_keys)';

const BUCKET_UPSERT = `ON CONFLICT (bucket) DO UPDATE SET
    objects = objects + excluded.objects, object_bytes = object_bytes + excluded.object_bytes,
    versions = versions + excluded.versions, version_bytes = version_bytes + excluded.version_bytes,
    delete_markers = delete_markers + excluded.delete_markers`;

const TAG_UPSERT = `ON CONFLICT (bucket, key, value) DO UPDATE SET
    objects = objects + excluded.objects, bytes = bytes + excluded.bytes`;

/**
 * The triggers on `object_tags` and the ones on `versions` that read `object_tags`, as released in this step.
 * Migration 015 (which rebuilds `object_tags`) creates them again from these texts, so they must never change: a
 * different trigger is a new migration that drops and creates it.
 */
export const TAG_ROW_TRIGGERS = `CREATE TRIGGER tag_stats_tag_insert AFTER INSERT ON object_tags
WHEN NEW.key IN ${TRACKED}
BEGIN
  INSERT INTO tag_stats (bucket, key, value, objects, bytes)
    SELECT bucket, NEW.key, NEW.value, 1, size FROM versions
    WHERE id = NEW.version_row AND is_latest = 1 AND is_delete_marker = 0
  ${TAG_UPSERT};
END;

CREATE TRIGGER tag_stats_tag_delete AFTER DELETE ON object_tags
WHEN OLD.key IN ${TRACKED}
BEGIN
  INSERT INTO tag_stats (bucket, key, value, objects, bytes)
    SELECT bucket, OLD.key, OLD.value, -1, -size FROM versions
    WHERE id = OLD.version_row AND is_latest = 1 AND is_delete_marker = 0
  ${TAG_UPSERT};
  DELETE FROM tag_stats WHERE key = OLD.key AND value = OLD.value AND objects = 0
    AND bucket = (SELECT bucket FROM versions WHERE id = OLD.version_row);
END;

CREATE TRIGGER tag_stats_tag_update AFTER UPDATE ON object_tags
WHEN OLD.key IN ${TRACKED} OR NEW.key IN ${TRACKED}
BEGIN
  INSERT INTO tag_stats (bucket, key, value, objects, bytes)
    SELECT bucket, OLD.key, OLD.value, -1, -size FROM versions
    WHERE id = OLD.version_row AND is_latest = 1 AND is_delete_marker = 0 AND OLD.key IN ${TRACKED}
  ${TAG_UPSERT};
  DELETE FROM tag_stats WHERE key = OLD.key AND value = OLD.value AND objects = 0
    AND bucket = (SELECT bucket FROM versions WHERE id = OLD.version_row);
  INSERT INTO tag_stats (bucket, key, value, objects, bytes)
    SELECT bucket, NEW.key, NEW.value, 1, size FROM versions
    WHERE id = NEW.version_row AND is_latest = 1 AND is_delete_marker = 0 AND NEW.key IN ${TRACKED}
  ${TAG_UPSERT};
END;

`;

export const TAG_VERSION_TRIGGERS = `CREATE TRIGGER tag_stats_version_delete BEFORE DELETE ON versions
WHEN OLD.tag_count > 0 AND ${LIVE_OLD}
BEGIN
  INSERT INTO tag_stats (bucket, key, value, objects, bytes)
    SELECT OLD.bucket, key, value, -1, -OLD.size FROM object_tags
    WHERE version_row = OLD.id AND key IN ${TRACKED}
  ${TAG_UPSERT};
  DELETE FROM tag_stats WHERE bucket = OLD.bucket AND objects = 0
    AND (key, value) IN (SELECT key, value FROM object_tags WHERE version_row = OLD.id);
END;

CREATE TRIGGER tag_stats_version_update AFTER UPDATE OF is_latest, is_delete_marker, size ON versions
WHEN NEW.tag_count > 0 AND (${LIVE_OLD} OR ${LIVE_NEW})
  AND (OLD.is_latest IS NOT NEW.is_latest OR OLD.is_delete_marker IS NOT NEW.is_delete_marker OR OLD.size IS NOT NEW.size)
BEGIN
  INSERT INTO tag_stats (bucket, key, value, objects, bytes)
    SELECT NEW.bucket, key, value, ${LIVE_NEW} - ${LIVE_OLD}, ${LIVE_NEW} * NEW.size - ${LIVE_OLD} * OLD.size
    FROM object_tags WHERE version_row = NEW.id AND key IN ${TRACKED}
  ${TAG_UPSERT};
  DELETE FROM tag_stats WHERE bucket = NEW.bucket AND objects = 0
    AND (key, value) IN (SELECT key, value FROM object_tags WHERE version_row = NEW.id);
END;
`;

export const storageStatsSchema: Migration = {
  version: 12,
  name: 'storage_stats',
  sql: `
CREATE TABLE bucket_stats (
  bucket          TEXT PRIMARY KEY REFERENCES buckets (name) ON DELETE CASCADE,
  objects         INTEGER NOT NULL,
  object_bytes    INTEGER NOT NULL,
  versions        INTEGER NOT NULL,
  version_bytes   INTEGER NOT NULL,
  delete_markers  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO bucket_stats (bucket, objects, object_bytes, versions, version_bytes, delete_markers)
  SELECT bucket,
    sum(is_latest = 1 AND is_delete_marker = 0), sum(CASE WHEN is_latest = 1 AND is_delete_marker = 0 THEN size ELSE 0 END),
    sum(is_delete_marker = 0), sum(CASE WHEN is_delete_marker = 0 THEN size ELSE 0 END),
    sum(is_delete_marker = 1)
  FROM versions GROUP BY bucket;

CREATE TRIGGER bucket_stats_version_insert AFTER INSERT ON versions
BEGIN
  INSERT INTO bucket_stats (bucket, objects, object_bytes, versions, version_bytes, delete_markers)
  VALUES (NEW.bucket, ${LIVE_NEW}, ${LIVE_NEW} * NEW.size, NEW.is_delete_marker = 0, (NEW.is_delete_marker = 0) * NEW.size,
    NEW.is_delete_marker = 1)
  ${BUCKET_UPSERT};
END;

CREATE TRIGGER bucket_stats_version_delete AFTER DELETE ON versions
BEGIN
  INSERT INTO bucket_stats (bucket, objects, object_bytes, versions, version_bytes, delete_markers)
  VALUES (OLD.bucket, -${LIVE_OLD}, -${LIVE_OLD} * OLD.size, -(OLD.is_delete_marker = 0), -(OLD.is_delete_marker = 0) * OLD.size,
    -(OLD.is_delete_marker = 1))
  ${BUCKET_UPSERT};
END;

CREATE TRIGGER bucket_stats_version_update AFTER UPDATE OF is_latest, is_delete_marker, size ON versions
WHEN OLD.is_latest IS NOT NEW.is_latest OR OLD.is_delete_marker IS NOT NEW.is_delete_marker OR OLD.size IS NOT NEW.size
BEGIN
  INSERT INTO bucket_stats (bucket, objects, object_bytes, versions, version_bytes, delete_markers)
  VALUES (NEW.bucket, ${LIVE_NEW} - ${LIVE_OLD}, ${LIVE_NEW} * NEW.size - ${LIVE_OLD} * OLD.size,
    (NEW.is_delete_marker = 0) - (OLD.is_delete_marker = 0),
    (NEW.is_delete_marker = 0) * NEW.size - (OLD.is_delete_marker = 0) * OLD.size,
    (NEW.is_delete_marker = 1) - (OLD.is_delete_marker = 1))
  ${BUCKET_UPSERT};
END;

CREATE TABLE metrics_tag_keys (
  key  TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

CREATE TABLE tag_stats (
  bucket   TEXT NOT NULL REFERENCES buckets (name) ON DELETE CASCADE,
  key      TEXT NOT NULL,
  value    TEXT NOT NULL,
  objects  INTEGER NOT NULL,
  bytes    INTEGER NOT NULL,
  PRIMARY KEY (bucket, key, value)
) STRICT, WITHOUT ROWID;

${TAG_ROW_TRIGGERS}${TAG_VERSION_TRIGGERS}`,
};
