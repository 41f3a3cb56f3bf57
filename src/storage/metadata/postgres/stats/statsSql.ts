/**
 * The SQL PostgresStorageStats runs over the tables of migration 002: every figure is a base row plus the sum of
 * its delta rows, read in one statement (one snapshot, so a compaction moving deltas into the base is never seen
 * half done). `deltas` in a result is how many delta rows the figure summed: past a threshold the store compacts.
 * Sums of BIGINT are NUMERIC in PostgreSQL, so each is cast back (the driver reads BIGINT as a number).
 */

const BUCKET_FIGURES = `coalesce(s.objects, 0) + coalesce(d.objects, 0) AS objects,
    coalesce(s.object_bytes, 0) + coalesce(d.object_bytes, 0) AS object_bytes,
    coalesce(s.versions, 0) + coalesce(d.versions, 0) AS versions,
    coalesce(s.version_bytes, 0) + coalesce(d.version_bytes, 0) AS version_bytes,
    coalesce(s.delete_markers, 0) + coalesce(d.delete_markers, 0) AS delete_markers,
    coalesce(d.deltas, 0) AS deltas`;

const DELTA_SUMS = `SELECT bucket, sum(objects)::bigint AS objects, sum(object_bytes)::bigint AS object_bytes,
    sum(versions)::bigint AS versions, sum(version_bytes)::bigint AS version_bytes,
    sum(delete_markers)::bigint AS delete_markers, count(*) AS deltas
  FROM bucket_stats_deltas`;

/** Every bucket (an empty one reads as zeros), by name. */
export const ALL_BUCKETS = `SELECT b.name AS bucket, ${BUCKET_FIGURES}
  FROM buckets b
  LEFT JOIN bucket_stats s ON s.bucket = b.name
  LEFT JOIN (${DELTA_SUMS} GROUP BY bucket) d ON d.bucket = b.name
  ORDER BY b.name`;

/** One bucket ($1); no row when there is no such bucket. */
export const ONE_BUCKET = `SELECT b.name AS bucket, ${BUCKET_FIGURES}
  FROM buckets b
  LEFT JOIN bucket_stats s ON s.bucket = b.name
  LEFT JOIN (${DELTA_SUMS} WHERE bucket = $1 GROUP BY bucket) d ON d.bucket = b.name
  WHERE b.name = $1`;

/** The keys whose figures can be read (a key being counted from scratch, or dropped, is not one). */
const COUNTED = '(SELECT key FROM metrics_tag_keys WHERE counted = 1)';

/** Every (bucket, tracked key, value), zero ones included (the caller drops them), in byte order like SQLite's. */
export const ALL_TAG_VALUES = `SELECT bucket, key, value, sum(objects)::bigint AS objects, sum(bytes)::bigint AS bytes,
    sum(delta)::bigint AS deltas
  FROM (
    SELECT bucket, key, value, objects, bytes, 0 AS delta FROM tag_stats WHERE key IN ${COUNTED}
    UNION ALL
    SELECT bucket, key, value, objects, bytes, 1 AS delta FROM tag_stats_deltas WHERE key IN ${COUNTED}
  ) t
  GROUP BY bucket, key, value
  ORDER BY bucket, key COLLATE "C", value COLLATE "C"`;

/**
 * The values of tag $2 on the current objects of bucket $1, in one statement: from the kept figures when the key is
 * tracked; otherwise counted from the tag index — every object_tags row with that key in the store
 * (object_tags_by_key_value), each joined to its version by id and kept when it is a current non-delete-marker
 * version of the bucket, a cost that grows with the versions carrying the key in every bucket (so it serves
 * `tessera stats --by-tag` for an untracked key, never a scrape). The branch not taken is cut by a one-time filter.
 */
export const COUNT_BY_TAG = `WITH tracked AS (SELECT EXISTS (SELECT 1 FROM metrics_tag_keys WHERE key = $2 AND counted = 1) AS yes)
  SELECT value, objects, bytes, deltas FROM (
    SELECT value, sum(objects)::bigint AS objects, sum(bytes)::bigint AS bytes, sum(delta)::bigint AS deltas
    FROM (
      SELECT value, objects, bytes, 0 AS delta FROM tag_stats WHERE bucket = $1 AND key = $2
      UNION ALL
      SELECT value, objects, bytes, 1 AS delta FROM tag_stats_deltas WHERE bucket = $1 AND key = $2
    ) kept
    WHERE (SELECT yes FROM tracked)
    GROUP BY value
    HAVING sum(objects) <> 0
    UNION ALL
    SELECT t.value, count(*) AS objects, sum(v.size)::bigint AS bytes, 0 AS deltas
    FROM object_tags t JOIN versions v ON v.id = t.version_row
    WHERE NOT (SELECT yes FROM tracked)
      AND t.key = $2 AND v.bucket = $1 AND v.is_latest = 1 AND v.is_delete_marker = 0
    GROUP BY t.value
  ) r
  ORDER BY value COLLATE "C"`;

/**
 * Newly tracked keys ($1, text[]), already counted by the triggers since they were added: one delta per (bucket, key,
 * value) bringing what the figures say (base plus deltas) to a count from the tag index over every bucket. One
 * statement, so the count and the figures it corrects are read in one snapshot: every write that snapshot sees is in
 * the count and, if its trigger counted the key, in the figures too (it is taken out again); every write it does not
 * see began after the key was added (the caller waited for the others), so its trigger counts the key.
 */
export const ADJUST_KEYS = `WITH counted AS (
    SELECT v.bucket, t.key, t.value, count(*) AS objects, sum(v.size) AS bytes
    FROM object_tags t JOIN versions v ON v.id = t.version_row
    WHERE t.key = ANY ($1::text[]) AND v.is_latest = 1 AND v.is_delete_marker = 0
    GROUP BY v.bucket, t.key, t.value
  ), kept AS (
    SELECT bucket, key, value, sum(objects) AS objects, sum(bytes) AS bytes
    FROM (
      SELECT bucket, key, value, objects, bytes FROM tag_stats WHERE key = ANY ($1::text[])
      UNION ALL
      SELECT bucket, key, value, objects, bytes FROM tag_stats_deltas WHERE key = ANY ($1::text[])
    ) k
    GROUP BY bucket, key, value
  )
  INSERT INTO tag_stats_deltas (bucket, key, value, objects, bytes)
  SELECT coalesce(c.bucket, k.bucket), coalesce(c.key, k.key), coalesce(c.value, k.value),
    coalesce(c.objects, 0) - coalesce(k.objects, 0), coalesce(c.bytes, 0) - coalesce(k.bytes, 0)
  FROM counted c FULL JOIN kept k ON k.bucket = c.bucket AND k.key = c.key AND k.value = c.value
  WHERE coalesce(c.objects, 0) <> coalesce(k.objects, 0) OR coalesce(c.bytes, 0) <> coalesce(k.bytes, 0)`;

/**
 * Fold every committed bucket delta into its base row. DELETE … RETURNING takes each delta row once: a second
 * compaction running at the same time waits on the rows this one deleted and, once it commits, skips them.
 * Base rows are written in bucket order (two compactions lock them in the same order).
 */
export const COMPACT_BUCKETS = `WITH d AS (
    DELETE FROM bucket_stats_deltas
    RETURNING bucket, objects, object_bytes, versions, version_bytes, delete_markers
  ), s AS (
    SELECT bucket, sum(objects) AS objects, sum(object_bytes) AS object_bytes, sum(versions) AS versions,
      sum(version_bytes) AS version_bytes, sum(delete_markers) AS delete_markers
    FROM d GROUP BY bucket
  )
  INSERT INTO bucket_stats AS b (bucket, objects, object_bytes, versions, version_bytes, delete_markers)
  SELECT bucket, objects, object_bytes, versions, version_bytes, delete_markers FROM s
  WHERE objects <> 0 OR object_bytes <> 0 OR versions <> 0 OR version_bytes <> 0 OR delete_markers <> 0
  ORDER BY bucket
  ON CONFLICT (bucket) DO UPDATE SET
    objects = b.objects + excluded.objects, object_bytes = b.object_bytes + excluded.object_bytes,
    versions = b.versions + excluded.versions, version_bytes = b.version_bytes + excluded.version_bytes,
    delete_markers = b.delete_markers + excluded.delete_markers`;

/**
 * The same for tag deltas; those of a key no longer tracked (written by a transaction that was in flight when the
 * key was dropped) are deleted, not folded. Returns the base rows left at zero objects (the caller deletes them).
 */
export const COMPACT_TAGS = `WITH d AS (
    DELETE FROM tag_stats_deltas RETURNING bucket, key, value, objects, bytes
  ), s AS (
    SELECT bucket, key, value, sum(objects) AS objects, sum(bytes) AS bytes FROM d
    WHERE key IN (SELECT key FROM metrics_tag_keys)
    GROUP BY bucket, key, value
  ), up AS (
    INSERT INTO tag_stats AS t (bucket, key, value, objects, bytes)
    SELECT bucket, key, value, objects, bytes FROM s
    WHERE objects <> 0 OR bytes <> 0
    ORDER BY bucket, key, value
    ON CONFLICT (bucket, key, value) DO UPDATE SET objects = t.objects + excluded.objects, bytes = t.bytes + excluded.bytes
    RETURNING bucket, key, value, objects
  )
  SELECT bucket, key, value FROM up WHERE objects = 0`;

/** Delete the base tag rows ($1 buckets, $2 keys, $3 values) still at zero objects. */
export const DELETE_ZERO_TAGS = `DELETE FROM tag_stats t
  USING unnest($1::text[], $2::text[], $3::text[]) AS z (bucket, key, value)
  WHERE t.bucket = z.bucket COLLATE "C" AND t.key = z.key AND t.value = z.value AND t.objects = 0`;
